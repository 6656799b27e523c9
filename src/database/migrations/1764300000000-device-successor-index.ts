import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * A device's predecessors (`successor_id = :id`, shown with every device) were found by reading
 * all of the Comune's devices: 120 ms per GET /devices/:id with 100,000 devices on SQLite, and the
 * SQLite lock makes every other request wait for it (bench:api, docs/benchmarks.md). The index
 * also serves the foreign key's check when a device is deleted on PostgreSQL.
 */
export class DeviceSuccessorIndex1764300000000 implements MigrationInterface {
  name = 'DeviceSuccessorIndex1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'devices',
      new TableIndex({ name: 'ix_devices_org_successor', columnNames: ['organization_id', 'successor_id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('devices', 'ix_devices_org_successor');
  }
}
