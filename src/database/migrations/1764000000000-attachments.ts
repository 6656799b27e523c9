import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnKit } from '../migration-helpers';

/**
 * Uploaded files kept as evidence (signed nomination acts, incident documents): the bytes live in
 * the database with their SHA-256, so a backup of the database is a backup of the evidence.
 */
export class Attachments1764000000000 implements MigrationInterface {
  name = 'Attachments1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'attachments',
        columns: [
          c.id(),
          c.uuid('organization_id'),
          c.str('sha256', 64),
          c.int('size_bytes'),
          c.str('media_type', 100),
          c.str('file_name', 255),
          { name: 'content', type: c.pg ? 'bytea' : 'blob', isNullable: false },
          c.createdAt(),
          c.str('created_by', 254),
        ],
        foreignKeys: [
          { columnNames: ['organization_id'], referencedTableName: 'organizations', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
        indices: [new TableIndex({ name: 'ix_attachments_org_sha256', columnNames: ['organization_id', 'sha256'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('attachments');
  }
}
