import { MigrationInterface, QueryRunner, Table, TableIndex, TableUnique } from 'typeorm';
import { columnKit } from '../migration-helpers';

/**
 * Reminders (issue 6): policies, the ledger (unique per subject, expiry, step, channel and
 * recipient), acknowledgements, sweep progress, webhook endpoints, calendar feeds and the
 * revocation-task workflow history.
 */
export class Reminders1764100000000 implements MigrationInterface {
  name = 'Reminders1764100000000';

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
        name: 'reminder_policies',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.str('subject_kind', 32),
          c.json('steps'),
          c.int('send_hour'),
          c.json('channels'),
          c.json('escalate_steps'),
          c.createdAt(),
          c.updatedAt(),
          c.version(),
        ],
        uniques: [new TableUnique({ name: 'uq_reminder_policies_org_kind', columnNames: ['organization_id', 'subject_kind'] })],
        foreignKeys: [org],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reminders',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.str('subject_type', 16),
          c.uuid('subject_id'),
          c.uuid('device_id', true),
          c.time('expires_at'),
          c.int('step_days'),
          c.date('due_on'),
          c.time('send_at'),
          c.str('channel', 16),
          c.str('recipient', 80),
          c.str('audience', 16),
          c.bool('escalation', false),
          c.str('state', 16),
          c.int('attempts', 0),
          c.text('last_error', true),
          c.str('reference', 16),
          c.time('state_changed_at'),
          c.time('sent_at', true),
          c.time('read_at', true),
          c.str('closed_reason', 200, true),
          c.createdAt(),
          c.updatedAt(),
        ],
        uniques: [
          // One reminder per step and recipient, whatever runs twice (design.md section 5).
          new TableUnique({
            name: 'uq_reminders_key',
            columnNames: ['subject_type', 'subject_id', 'expires_at', 'step_days', 'channel', 'recipient'],
          }),
        ],
        foreignKeys: [org],
        indices: [
          new TableIndex({ name: 'ix_reminders_state_send_at', columnNames: ['state', 'send_at'] }),
          new TableIndex({ name: 'ix_reminders_org_subject', columnNames: ['organization_id', 'subject_id'] }),
          new TableIndex({ name: 'ix_reminders_org_created', columnNames: ['organization_id', 'created_at', 'id'] }),
          new TableIndex({ name: 'ix_reminders_org_recipient', columnNames: ['organization_id', 'recipient', 'channel'] }),
          new TableIndex({ name: 'ix_reminders_org_reference', columnNames: ['organization_id', 'reference'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reminder_pauses',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.str('subject_type', 16),
          c.uuid('subject_id'),
          c.time('expires_at'),
          c.date('paused_until', true),
          c.int('acknowledged_step'),
          c.text('note'),
          c.str('created_by', 254),
          c.createdAt(),
        ],
        foreignKeys: [org],
        indices: [
          new TableIndex({ name: 'ix_reminder_pauses_subject', columnNames: ['organization_id', 'subject_id', 'expires_at'] }),
          new TableIndex({ name: 'ix_reminder_pauses_until', columnNames: ['organization_id', 'paused_until'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reminder_sweeps',
        columns: [{ ...c.uuid('organization_id'), isPrimary: true }, c.date('last_swept_on'), c.time('last_run_at')],
        foreignKeys: [org],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_endpoints',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.str('url', 2000),
          c.str('description', 200),
          c.str('created_by', 254),
          c.createdAt(),
          c.time('revoked_at', true),
        ],
        foreignKeys: [org],
        indices: [new TableIndex({ name: 'ix_webhook_endpoints_org', columnNames: ['organization_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'calendar_feeds',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.uuid('user_id'),
          c.str('token_hash', 64),
          c.createdAt(),
          c.time('revoked_at', true),
          c.time('last_used_at', true),
        ],
        uniques: [new TableUnique({ name: 'uq_calendar_feeds_token_hash', columnNames: ['token_hash'] })],
        foreignKeys: [org, { columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [new TableIndex({ name: 'ix_calendar_feeds_user', columnNames: ['organization_id', 'user_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'task_workflow_events',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.uuid('task_id'),
          c.str('action', 16),
          c.str('from_status', 16),
          c.str('to_status', 16),
          c.time('at'),
          c.str('actor_label', 254),
          c.date('requested_on', true),
          c.str('reference', 200, true),
          c.text('note', true),
          c.uuid('attachment_id', true),
        ],
        foreignKeys: [org, { columnNames: ['task_id'], referencedTableName: 'tasks', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [new TableIndex({ name: 'ix_task_workflow_events_task', columnNames: ['task_id', 'at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'task_workflow_events',
      'calendar_feeds',
      'webhook_endpoints',
      'reminder_sweeps',
      'reminder_pauses',
      'reminders',
      'reminder_policies',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
