import { MigrationInterface, QueryRunner, Table, TableIndex, TableUnique } from 'typeorm';
import { columnKit } from '../migration-helpers';

/**
 * Inventory (issue 4): holders, workstations, devices of every kind with their detail tables,
 * the device event history, custody assignments, handover receipts and the leaver/revocation tasks.
 */
export class Inventory1763900000000 implements MigrationInterface {
  name = 'Inventory1763900000000';

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
        name: 'holders',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.str('first_name', 100),
          c.str('last_name', 100),
          c.str('fiscal_code', 16),
          c.str('email', 254, true),
          c.str('office', 200, true),
          c.str('role_description', 200, true),
          c.str('employment_status', 16),
          c.str('leaver_reason', 32, true),
          c.date('left_on', true),
          c.text('leaver_note', true),
          c.uuid('user_id', true),
          c.createdAt(),
          c.updatedAt(),
          c.version(),
        ],
        uniques: [new TableUnique({ name: 'uq_holders_org_fiscal_code', columnNames: ['organization_id', 'fiscal_code'] })],
        foreignKeys: [org, { columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'SET NULL' }],
        indices: [
          new TableIndex({ name: 'ix_holders_org_name', columnNames: ['organization_id', 'last_name', 'first_name'] }),
          new TableIndex({ name: 'ix_holders_user', columnNames: ['user_id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'workstations',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.str('kind', 16),
          c.str('code', 64),
          c.str('hostname', 253, true),
          c.str('ip_address', 45, true),
          c.str('office', 200, true),
          c.str('function', 200, true),
          c.bool('is_portable', false),
          c.bool('is_personal', false),
          c.uuid('custodian_holder_id', true),
          c.str('status', 16),
          c.text('notes', true),
          c.createdAt(),
          c.updatedAt(),
          c.version(),
        ],
        uniques: [new TableUnique({ name: 'uq_workstations_org_code', columnNames: ['organization_id', 'code'] })],
        foreignKeys: [org, { columnNames: ['custodian_holder_id'], referencedTableName: 'holders', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'devices',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.str('kind', 32),
          c.str('status', 32),
          c.str('label', 300),
          c.uuid('holder_id', true),
          c.uuid('workstation_id', true),
          c.uuid('custodian_holder_id', true),
          c.time('expires_at', true),
          c.uuid('successor_id', true),
          c.time('status_changed_at'),
          c.text('notes', true),
          c.createdAt(),
          c.updatedAt(),
          c.version(),
        ],
        foreignKeys: [
          org,
          { columnNames: ['holder_id'], referencedTableName: 'holders', referencedColumnNames: ['id'] },
          { columnNames: ['workstation_id'], referencedTableName: 'workstations', referencedColumnNames: ['id'] },
          { columnNames: ['custodian_holder_id'], referencedTableName: 'holders', referencedColumnNames: ['id'] },
          { columnNames: ['successor_id'], referencedTableName: 'devices', referencedColumnNames: ['id'] },
        ],
        indices: [
          // The one index every expiry query uses, across kinds (design.md section 4).
          new TableIndex({ name: 'ix_devices_org_expires_at', columnNames: ['organization_id', 'expires_at'] }),
          new TableIndex({ name: 'ix_devices_org_kind_status', columnNames: ['organization_id', 'kind', 'status'] }),
          new TableIndex({ name: 'ix_devices_holder', columnNames: ['holder_id'] }),
          new TableIndex({ name: 'ix_devices_custodian', columnNames: ['custodian_holder_id'] }),
          new TableIndex({ name: 'ix_devices_workstation', columnNames: ['workstation_id'] }),
        ],
      }),
    );
    const device = { columnNames: ['device_id'], referencedTableName: 'devices', referencedColumnNames: ['id'], onDelete: 'CASCADE' };
    await queryRunner.createTable(
      new Table({
        name: 'device_certificates',
        columns: [
          { ...c.uuid('device_id'), isPrimary: true },
          c.uuid('organization_id'),
          c.str('serial_number', 128),
          c.json('subject'),
          c.json('issuer'),
          c.str('common_name', 300, true),
          c.time('not_before'),
          c.time('not_after'),
          c.str('fingerprint_sha256', 64),
          c.str('key_algorithm', 16),
          c.int('key_bits', undefined, true),
          c.str('ec_curve', 32, true),
          c.str('fiscal_code', 16, true),
          c.bool('self_signed', false),
          c.text('pem'),
          c.json('chain'),
          c.str('source_name', 300, true),
        ],
        uniques: [
          new TableUnique({ name: 'uq_device_certificates_org_fingerprint', columnNames: ['organization_id', 'fingerprint_sha256'] }),
        ],
        foreignKeys: [device],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'device_smart_cards',
        columns: [
          { ...c.uuid('device_id'), isPrimary: true },
          c.uuid('organization_id'),
          c.str('serial_number', 64),
          c.str('card_type', 64, true),
          c.str('generation', 32, true),
          c.str('certificate_fingerprint_sha256', 64, true),
          c.str('certificate_fiscal_code', 16, true),
        ],
        uniques: [new TableUnique({ name: 'uq_device_smart_cards_org_serial', columnNames: ['organization_id', 'serial_number'] })],
        foreignKeys: [device],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'device_credentials',
        columns: [
          { ...c.uuid('device_id'), isPrimary: true },
          c.uuid('organization_id'),
          c.str('system', 32),
          c.str('username', 200),
          c.str('identity_provider', 16, true),
          c.date('issued_on', true),
          c.date('last_rotated_on', true),
          c.int('rotation_days', undefined, true),
        ],
        uniques: [
          new TableUnique({ name: 'uq_device_credentials_org_system_username', columnNames: ['organization_id', 'system', 'username'] }),
        ],
        foreignKeys: [device],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'device_events',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.uuid('device_id'),
          c.time('at'),
          c.str('type', 32),
          c.str('action', 32, true),
          c.str('from_status', 32, true),
          c.str('to_status', 32, true),
          c.str('actor_type', 16),
          c.str('actor_id', 64, true),
          c.str('actor_label', 254),
          c.text('reason', true),
          c.json('evidence', true),
          c.json('data'),
        ],
        foreignKeys: [device],
        indices: [new TableIndex({ name: 'ix_device_events_device_at', columnNames: ['device_id', 'at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'custody_assignments',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.uuid('device_id'),
          c.str('target', 16),
          c.uuid('holder_id', true),
          c.uuid('workstation_id', true),
          c.time('started_at'),
          c.time('ended_at', true),
          c.str('assigned_by', 254),
          c.str('end_reason', 200, true),
        ],
        foreignKeys: [
          device,
          { columnNames: ['holder_id'], referencedTableName: 'holders', referencedColumnNames: ['id'] },
          { columnNames: ['workstation_id'], referencedTableName: 'workstations', referencedColumnNames: ['id'] },
        ],
        indices: [
          new TableIndex({ name: 'ix_custody_assignments_device', columnNames: ['device_id', 'started_at'] }),
          new TableIndex({ name: 'ix_custody_assignments_holder', columnNames: ['holder_id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'handover_receipts',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.uuid('device_id'),
          c.uuid('assignment_id', true),
          c.uuid('holder_id'),
          c.str('number', 32),
          c.str('direction', 16),
          c.json('content'),
          c.str('created_by', 254),
          c.time('acknowledged_at', true),
          c.str('acknowledged_by', 254, true),
          c.text('acknowledgement_note', true),
          c.createdAt(),
        ],
        uniques: [new TableUnique({ name: 'uq_handover_receipts_org_number', columnNames: ['organization_id', 'number'] })],
        foreignKeys: [
          device,
          { columnNames: ['holder_id'], referencedTableName: 'holders', referencedColumnNames: ['id'] },
          { columnNames: ['assignment_id'], referencedTableName: 'custody_assignments', referencedColumnNames: ['id'] },
        ],
        indices: [new TableIndex({ name: 'ix_handover_receipts_device', columnNames: ['device_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'tasks',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.str('type', 32),
          c.str('status', 16),
          c.uuid('device_id', true),
          c.uuid('holder_id', true),
          c.date('due_on', true),
          c.str('assignee_role', 32),
          c.text('reason'),
          c.str('trigger', 32),
          c.time('closed_at', true),
          c.str('closed_by', 254, true),
          c.createdAt(),
          c.updatedAt(),
          c.version(),
        ],
        foreignKeys: [
          org,
          { columnNames: ['device_id'], referencedTableName: 'devices', referencedColumnNames: ['id'] },
          { columnNames: ['holder_id'], referencedTableName: 'holders', referencedColumnNames: ['id'] },
        ],
        indices: [
          new TableIndex({ name: 'ix_tasks_org_status_due', columnNames: ['organization_id', 'status', 'due_on'] }),
          new TableIndex({ name: 'ix_tasks_device', columnNames: ['device_id'] }),
          new TableIndex({ name: 'ix_tasks_holder', columnNames: ['holder_id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'tasks',
      'handover_receipts',
      'custody_assignments',
      'device_events',
      'device_credentials',
      'device_smart_cards',
      'device_certificates',
      'devices',
      'workstations',
      'holders',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
