import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { rotationDueOn } from '../../devices/credential-rotation';
import { columnKit } from '../migration-helpers';

const BACKFILL_BATCH = 500;

/**
 * Reminder ladders for nominations with an end date and for password rotation (issue 6): the
 * sweep reads what is due through an index, as it reads devices through (organization_id,
 * expires_at). A credential's rotation due day becomes a stored column (kept by DevicesRepository
 * on every write), backfilled here in code so both databases compute it the same way and a day
 * that does not exist (the inventory accepted '2026-02-31') gives null instead of failing.
 */
export class ReminderLadders1764300000617 implements MigrationInterface {
  name = 'ReminderLadders1764300000617';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.addColumn('device_credentials', new TableColumn(c.date('rotation_due_on', true)));
    let after: string | null = null;
    for (;;) {
      const qb = queryRunner.manager
        .createQueryBuilder()
        .select([
          'c.device_id AS device_id',
          'c.last_rotated_on AS last_rotated_on',
          'c.issued_on AS issued_on',
          'c.rotation_days AS rotation_days',
        ])
        .from('device_credentials', 'c')
        .where('c.rotation_days IS NOT NULL')
        .orderBy('c.device_id', 'ASC')
        .limit(BACKFILL_BATCH);
      if (after !== null) qb.andWhere('c.device_id > :after', { after });
      const rows = await qb.getRawMany<{
        device_id: string;
        last_rotated_on: string | null;
        issued_on: string | null;
        rotation_days: number | string;
      }>();
      for (const r of rows) {
        const due = rotationDueOn({ lastRotatedOn: r.last_rotated_on, issuedOn: r.issued_on, rotationDays: Number(r.rotation_days) });
        if (due === null) continue;
        // Raw SQL: the query builder would map the names through today's entity, not this migration's table.
        await queryRunner.query(
          `UPDATE device_credentials SET rotation_due_on = ${c.pg ? '$1' : '?'} WHERE device_id = ${c.pg ? '$2' : '?'}`,
          [due, r.device_id],
        );
      }
      if (rows.length < BACKFILL_BATCH) break;
      after = String(rows[rows.length - 1]!.device_id);
    }
    await queryRunner.createIndex(
      'device_credentials',
      new TableIndex({ name: 'ix_device_credentials_org_rotation_due', columnNames: ['organization_id', 'rotation_due_on'] }),
    );
    await queryRunner.createIndex(
      'nominations',
      new TableIndex({ name: 'ix_nominations_org_effective_until', columnNames: ['organization_id', 'effective_until'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('nominations', 'ix_nominations_org_effective_until');
    await queryRunner.dropIndex('device_credentials', 'ix_device_credentials_org_rotation_due');
    await queryRunner.dropColumn('device_credentials', 'rotation_due_on');
  }
}
