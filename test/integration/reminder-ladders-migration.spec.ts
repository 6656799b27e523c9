import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ReminderLadders1764300000617 } from '../../src/database/migrations/1764300000617-reminder-ladders';
import { DeviceCredentialEntity } from '../../src/devices/entities/device-details.entity';
import { DeviceEntity } from '../../src/devices/entities/device.entity';
import { OrganizationEntity } from '../../src/organizations/organization.entity';
import { TestApp, createTestApp } from '../support/test-app';
import { newDeviceRow } from '../../src/devices/new-device-row';

/**
 * The migration that stores a credential's rotation due day backfills it for the rows already
 * there, the same way on SQLite and PostgreSQL: run down, then up again, over existing credentials.
 */
describe(ReminderLadders1764300000617.name, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  }, 60_000);
  afterAll(() => t.close());

  it('backfills rotation_due_on from the last change (or the issue day) plus the period', async () => {
    const ds = t.app.get(DataSource);
    const organizationId = randomUUID();
    await ds
      .getRepository(OrganizationEntity)
      .insert({ id: organizationId, istatCode: '990617', name: 'Migrazione', province: null, settings: {} });
    const cases: [string | null, string | null, number | null, string | null][] = [
      ['2026-08-01', '2025-01-10', 90, '2026-10-30'],
      [null, '2026-01-31', 30, '2026-03-02'],
      ['2026-02-31', null, 90, null],
      ['2026-01-10', null, null, null],
    ];
    const ids: string[] = [];
    for (const [i, [lastRotatedOn, issuedOn, rotationDays]] of cases.entries()) {
      const id = randomUUID();
      ids.push(id);
      await ds
        .getRepository(DeviceEntity)
        .insert(newDeviceRow({ id, organizationId, kind: 'credential', status: 'active', label: `account${i}` }));
      await ds.getRepository(DeviceCredentialEntity).insert({
        deviceId: id,
        organizationId,
        system: 'registry_software',
        username: `account${i}`,
        identityProvider: null,
        issuedOn,
        lastRotatedOn,
        rotationDays,
        rotationDueOn: null,
      });
    }
    const runner = ds.createQueryRunner();
    try {
      await new ReminderLadders1764300000617().down(runner);
      await new ReminderLadders1764300000617().up(runner);
    } finally {
      await runner.release();
    }
    const rows = await ds.getRepository(DeviceCredentialEntity).find({ where: { organizationId } });
    expect(ids.map((id) => rows.find((r) => r.deviceId === id)?.rotationDueOn)).toEqual(cases.map((c) => c[3]));
  });
});
