import { MigrationInterface, QueryRunner, Table, TableIndex, TableUnique } from 'typeorm';
import { columnKit } from '../migration-helpers';

/** The incident register, its links, timeline and evidence, and the art. 33(5) breach register (issue 7). */
export class Incidents1764200000001 implements MigrationInterface {
  name = 'Incidents1764200000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    const org = {
      columnNames: ['organization_id'],
      referencedTableName: 'organizations',
      referencedColumnNames: ['id'],
      onDelete: 'CASCADE',
    };
    const incident = { columnNames: ['incident_id'], referencedTableName: 'incidents', referencedColumnNames: ['id'], onDelete: 'CASCADE' };
    await queryRunner.createTable(
      new Table({
        name: 'incidents',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.str('number', 16),
          c.str('type', 32),
          c.str('status', 16),
          c.str('source', 16),
          c.str('title', 300),
          c.text('description'),
          c.time('occurred_at', true),
          c.time('detected_at'),
          c.time('aware_at'),
          c.uuid('reported_by_user_id', true),
          c.str('reported_by', 254),
          c.uuid('reporter_holder_id', true),
          c.json('call', true),
          c.bool('possible_breach', false),
          c.str('police_office', 200, true),
          c.date('police_reported_on', true),
          c.str('police_protocol', 100, true),
          c.str('police_recorded_by', 254, true),
          c.date('dcsd_sent_on', true),
          c.str('dcsd_protocol', 100, true),
          c.str('dcsd_recorded_by', 254, true),
          c.time('contained_at', true),
          c.time('reported_at', true),
          c.time('closed_at', true),
          c.text('closing_note', true),
          c.createdAt(),
          c.updatedAt(),
          c.version(),
        ],
        uniques: [new TableUnique({ name: 'uq_incidents_org_number', columnNames: ['organization_id', 'number'] })],
        foreignKeys: [org, { columnNames: ['reporter_holder_id'], referencedTableName: 'holders', referencedColumnNames: ['id'] }],
        indices: [
          new TableIndex({ name: 'ix_incidents_org_created', columnNames: ['organization_id', 'created_at', 'id'] }),
          // Operators list the incidents they reported.
          new TableIndex({ name: 'ix_incidents_org_reporter', columnNames: ['organization_id', 'reported_by_user_id'] }),
        ],
      }),
    );
    const link = (name: string, column: string, table: string) =>
      new Table({
        name,
        columns: [c.id('incident_id'), c.id(column), c.uuid('organization_id'), c.time('added_at'), c.str('added_by', 254)],
        foreignKeys: [org, incident, { columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'] }],
        indices: [new TableIndex({ name: `ix_${name}_${column}`, columnNames: [column] })],
      });
    await queryRunner.createTable(link('incident_devices', 'device_id', 'devices'));
    await queryRunner.createTable(link('incident_holders', 'holder_id', 'holders'));
    await queryRunner.createTable(link('incident_workstations', 'workstation_id', 'workstations'));
    await queryRunner.createTable(
      new Table({
        name: 'incident_attachments',
        columns: [
          c.id('incident_id'),
          c.id('attachment_id'),
          c.uuid('organization_id'),
          c.str('description', 500, true),
          c.time('added_at'),
          c.str('added_by', 254),
        ],
        foreignKeys: [org, incident, { columnNames: ['attachment_id'], referencedTableName: 'attachments', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'incident_events',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.uuid('incident_id'),
          c.time('at'),
          c.str('type', 32),
          c.str('actor_label', 254),
          c.text('summary'),
          c.json('data'),
        ],
        foreignKeys: [org, incident],
        indices: [new TableIndex({ name: 'ix_incident_events_incident', columnNames: ['incident_id', 'at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'breach_records',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.uuid('incident_id'),
          c.time('aware_at'),
          c.time('deadline_at'),
          c.time('flagged_at'),
          c.str('flagged_by', 254),
          c.str('dpo_contact', 254, true),
          c.text('nature', true),
          c.json('data_categories'),
          c.int('subjects_approx', undefined, true),
          c.int('records_approx', undefined, true),
          c.text('consequences', true),
          c.text('measures', true),
          c.str('assessment', 16, true),
          c.str('risk', 16, true),
          c.text('assessment_reasons', true),
          c.time('assessed_at', true),
          c.str('assessed_by', 254, true),
          c.time('preliminary_notified_at', true),
          c.str('preliminary_reference', 100, true),
          c.time('complete_notified_at', true),
          c.str('complete_reference', 100, true),
          c.text('delay_reasons', true),
          c.str('subjects_decision', 16, true),
          c.time('subjects_informed_at', true),
          c.text('subjects_note', true),
          c.createdAt(),
          c.updatedAt(),
          c.version(),
        ],
        uniques: [new TableUnique({ name: 'uq_breach_records_incident', columnNames: ['incident_id'] })],
        foreignKeys: [org, incident],
        indices: [new TableIndex({ name: 'ix_breach_records_org_aware', columnNames: ['organization_id', 'aware_at', 'id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'breach_records',
      'incident_events',
      'incident_attachments',
      'incident_workstations',
      'incident_holders',
      'incident_devices',
      'incidents',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
