import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnKit } from '../migration-helpers';

/** The Mayor's nominations of ALS, deputy ALS, ALP and certificate custodians (issue 5). */
export class Nominations1764000000001 implements MigrationInterface {
  name = 'Nominations1764000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'nominations',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.str('role', 32),
          c.uuid('holder_id'),
          c.str('status', 16),
          c.str('act_type', 32),
          c.str('act_number', 64),
          c.date('act_date'),
          c.date('effective_from'),
          c.date('effective_until', true),
          c.str('signed_by', 200),
          c.json('scope', true),
          c.text('notes', true),
          c.uuid('act_attachment_id', true),
          c.time('signed_at', true),
          c.str('signed_recorded_by', 254, true),
          c.date('registered_on', true),
          c.time('activated_at', true),
          c.str('activated_by', 254, true),
          c.time('ended_at', true),
          c.str('ended_by', 254, true),
          c.text('end_reason', true),
          c.uuid('superseded_by_id', true),
          c.str('created_by', 254),
          c.createdAt(),
          c.updatedAt(),
          c.version(),
        ],
        foreignKeys: [
          { columnNames: ['organization_id'], referencedTableName: 'organizations', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
          { columnNames: ['holder_id'], referencedTableName: 'holders', referencedColumnNames: ['id'] },
          { columnNames: ['act_attachment_id'], referencedTableName: 'attachments', referencedColumnNames: ['id'] },
          { columnNames: ['superseded_by_id'], referencedTableName: 'nominations', referencedColumnNames: ['id'] },
        ],
        indices: [
          new TableIndex({ name: 'ix_nominations_org_act_date', columnNames: ['organization_id', 'act_date', 'id'] }),
          new TableIndex({ name: 'ix_nominations_org_status_role', columnNames: ['organization_id', 'status', 'role'] }),
          new TableIndex({ name: 'ix_nominations_holder', columnNames: ['holder_id'] }),
          // At most one ALS and one ALP in force per Comune, whatever the application does: the last
          // line behind the organization row lock taken by every activation.
          new TableIndex({
            name: 'uq_nominations_one_active_als_alp',
            columnNames: ['organization_id', 'role'],
            isUnique: true,
            where: "status = 'active' AND role IN ('als', 'alp')",
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('nominations');
  }
}
