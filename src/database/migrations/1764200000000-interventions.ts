import { MigrationInterface, QueryRunner, Table, TableIndex, TableUnique } from 'typeorm';
import { columnKit } from '../migration-helpers';

/** Maintenance providers, their technicians, interventions agreed in advance and caller checks (issue 7). */
export class Interventions1764200000000 implements MigrationInterface {
  name = 'Interventions1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    const org = {
      columnNames: ['organization_id'],
      referencedTableName: 'organizations',
      referencedColumnNames: ['id'],
      onDelete: 'CASCADE',
    };
    await queryRunner.createTable(
      new Table({
        name: 'maintenance_providers',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.str('name', 200),
          c.str('normalized_name', 200),
          c.json('aliases'),
          c.str('contract_reference', 200, true),
          c.str('callback_phone', 40),
          c.str('callback_email', 254),
          c.str('verification_source', 500),
          c.str('verified_by', 254),
          c.time('verified_at'),
          c.text('notes', true),
          c.bool('active', true),
          c.createdAt(),
          c.updatedAt(),
          c.version(),
        ],
        uniques: [new TableUnique({ name: 'uq_maintenance_providers_org_name', columnNames: ['organization_id', 'normalized_name'] })],
        foreignKeys: [org],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'provider_technicians',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.uuid('provider_id'),
          c.str('full_name', 200),
          c.str('normalized_name', 200),
          c.bool('active', true),
          c.str('created_by', 254),
          c.createdAt(),
          c.time('deactivated_at', true),
        ],
        uniques: [new TableUnique({ name: 'uq_provider_technicians_name', columnNames: ['provider_id', 'normalized_name'] })],
        foreignKeys: [org, { columnNames: ['provider_id'], referencedTableName: 'maintenance_providers', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'interventions',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.uuid('provider_id'),
          c.time('starts_at'),
          c.time('ends_at'),
          c.str('channel', 16),
          c.str('remote_tool', 100, true),
          c.text('purpose'),
          c.str('agreed_with', 200),
          c.str('agreed_by', 254),
          c.time('agreed_at'),
          c.str('phrase_hash', 64),
          c.time('phrase_issued_at'),
          c.int('failed_phrase_attempts', 0),
          c.str('status', 16),
          c.time('cancelled_at', true),
          c.str('cancelled_by', 254, true),
          c.text('cancel_reason', true),
          c.createdAt(),
          c.updatedAt(),
          c.version(),
        ],
        foreignKeys: [org, { columnNames: ['provider_id'], referencedTableName: 'maintenance_providers', referencedColumnNames: ['id'] }],
        indices: [
          // The caller check: this provider's scheduled windows around now.
          new TableIndex({ name: 'ix_interventions_provider_window', columnNames: ['organization_id', 'provider_id', 'ends_at'] }),
          new TableIndex({ name: 'ix_interventions_org_starts', columnNames: ['organization_id', 'starts_at', 'id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'intervention_technicians',
        columns: [{ ...c.id('intervention_id') }, { ...c.id('technician_id') }, c.uuid('organization_id')],
        foreignKeys: [
          org,
          { columnNames: ['intervention_id'], referencedTableName: 'interventions', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
          { columnNames: ['technician_id'], referencedTableName: 'provider_technicians', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'intervention_workstations',
        columns: [{ ...c.id('intervention_id') }, { ...c.id('workstation_id') }, c.uuid('organization_id')],
        foreignKeys: [
          org,
          { columnNames: ['intervention_id'], referencedTableName: 'interventions', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
          { columnNames: ['workstation_id'], referencedTableName: 'workstations', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'caller_checks',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.time('checked_at'),
          c.uuid('checked_by_user_id', true),
          c.str('checked_by', 254),
          c.str('claimed_company', 200),
          c.str('claimed_technician', 200),
          c.str('caller_number', 40, true),
          c.bool('phrase_given', false),
          c.str('outcome', 16),
          c.str('reason', 32),
          c.uuid('provider_id', true),
          c.uuid('intervention_id', true),
          c.uuid('incident_id', true),
        ],
        foreignKeys: [
          org,
          { columnNames: ['provider_id'], referencedTableName: 'maintenance_providers', referencedColumnNames: ['id'] },
          { columnNames: ['intervention_id'], referencedTableName: 'interventions', referencedColumnNames: ['id'] },
        ],
        indices: [new TableIndex({ name: 'ix_caller_checks_org_checked', columnNames: ['organization_id', 'checked_at', 'id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'caller_checks',
      'intervention_workstations',
      'intervention_technicians',
      'interventions',
      'provider_technicians',
      'maintenance_providers',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
