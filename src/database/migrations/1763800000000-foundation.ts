import { MigrationInterface, QueryRunner, Table, TableIndex, TableUnique } from 'typeorm';
import { columnKit } from '../migration-helpers';

/** Organizations, users, memberships, sessions, API tokens and the audit chain. */
export class Foundation1763800000000 implements MigrationInterface {
  name = 'Foundation1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'organizations',
        columns: [
          c.id(),
          c.str('istat_code', 6),
          c.str('name', 200),
          c.str('province', 2, true),
          c.json('settings'),
          c.createdAt(),
          c.updatedAt(),
          c.version(),
        ],
        uniques: [new TableUnique({ name: 'uq_organizations_istat_code', columnNames: ['istat_code'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          c.id(),
          c.str('email', 254),
          c.str('display_name', 200),
          c.str('password_hash', 255),
          c.bool('is_superadmin', false),
          c.bool('must_change_password', false),
          c.int('failed_login_count', 0),
          c.time('locked_until', true),
          c.time('disabled_at', true),
          c.time('password_changed_at'),
          c.createdAt(),
          c.updatedAt(),
        ],
        uniques: [new TableUnique({ name: 'uq_users_email', columnNames: ['email'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'memberships',
        columns: [c.id(), c.uuid('user_id'), c.uuid('organization_id'), c.str('role', 32), c.createdAt()],
        uniques: [new TableUnique({ name: 'uq_memberships_user_org', columnNames: ['user_id', 'organization_id'] })],
        foreignKeys: [
          { columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
          { columnNames: ['organization_id'], referencedTableName: 'organizations', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
        indices: [new TableIndex({ name: 'ix_memberships_org_role', columnNames: ['organization_id', 'role'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [c.id(), c.uuid('user_id'), c.str('token_hash', 64), c.time('expires_at'), c.time('revoked_at', true), c.createdAt()],
        uniques: [new TableUnique({ name: 'uq_sessions_token_hash', columnNames: ['token_hash'] })],
        foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [new TableIndex({ name: 'ix_sessions_user', columnNames: ['user_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.str('name', 100),
          c.str('role', 32),
          c.str('token_hash', 64),
          c.str('token_prefix', 16),
          c.uuid('created_by_user_id'),
          c.time('expires_at', true),
          c.time('revoked_at', true),
          c.time('last_used_at', true),
          c.createdAt(),
        ],
        uniques: [new TableUnique({ name: 'uq_api_tokens_token_hash', columnNames: ['token_hash'] })],
        foreignKeys: [
          { columnNames: ['organization_id'], referencedTableName: 'organizations', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
          { columnNames: ['created_by_user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] },
        ],
      }),
    );
    // No foreign keys on the audit tables: the record outlives what it records.
    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          { ...c.str('chain', 36), isPrimary: true },
          { ...c.int('seq'), isPrimary: true },
          c.time('at'),
          c.uuid('organization_id', true),
          c.str('actor_type', 16),
          c.str('actor_id', 64, true),
          c.str('actor_label', 254),
          c.str('action', 64),
          c.str('entity', 64),
          c.str('entity_id', 64, true),
          c.text('data'),
          c.str('prev_hash', 64),
          c.str('hash', 64),
        ],
        indices: [new TableIndex({ name: 'ix_audit_events_org_entity', columnNames: ['organization_id', 'entity', 'entity_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({ name: 'audit_chain_heads', columns: [{ ...c.str('chain', 36), isPrimary: true }, c.int('seq'), c.str('hash', 64)] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['audit_chain_heads', 'audit_events', 'api_tokens', 'sessions', 'memberships', 'users', 'organizations']) {
      await queryRunner.dropTable(table);
    }
  }
}
