import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { insertMany } from '../../src/database/insert-many';
import { DeviceCertificateEntity } from '../../src/devices/entities/device-details.entity';
import { DeviceEntity } from '../../src/devices/entities/device.entity';
import { OrganizationEntity } from '../../src/organizations/organization.entity';
import { TestApp, createTestApp } from '../support/test-app';

/**
 * insertMany writes complete rows as one plain statement instead of through TypeORM's query
 * builder: what lands in the database must be what the builder writes, value for value and (on
 * SQLite) type for type, on both databases.
 */
describe(insertMany.name, () => {
  let t: TestApp;
  let ds: DataSource;
  let organizationId: string;

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    organizationId = randomUUID();
    await ds
      .getRepository(OrganizationEntity)
      .insert({ id: organizationId, istatCode: '099001', name: 'Comune di Prova', province: null, settings: {} });
  });
  afterAll(() => t.close());

  const device = (label: string): DeviceEntity => {
    const at = new Date('2026-03-29T01:30:00.123Z');
    return {
      id: randomUUID(),
      organizationId,
      kind: 'workstation_certificate',
      status: 'issued',
      label,
      holderId: null,
      workstationId: null,
      custodianHolderId: null,
      expiresAt: new Date('2049-12-31T23:59:59.000Z'),
      successorId: null,
      statusChangedAt: at,
      notes: 'l\'ufficio "Anagrafe" ☃',
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
  };
  const certificate = (d: DeviceEntity): DeviceCertificateEntity => ({
    deviceId: d.id,
    organizationId,
    serialNumber: '8f1e',
    subject: {
      commonName: d.label,
      organization: 'Città di Forlì',
      organizationalUnit: null,
      country: 'IT',
      serialNumber: null,
      text: `CN=${d.label}`,
    },
    issuer: { commonName: 'CA', organization: null, organizationalUnit: null, country: null, serialNumber: null, text: 'CN=CA' },
    commonName: d.label,
    notBefore: new Date('2025-01-01T00:00:00.000Z'),
    notAfter: new Date('2049-12-31T23:59:59.000Z'),
    fingerprintSha256: createHash('sha256').update(d.label).digest('hex'),
    keyAlgorithm: 'rsa',
    keyBits: 2048,
    ecCurve: null,
    fiscalCode: null,
    selfSigned: false,
    pem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
    sourceName: 'lotto.pem',
    chain: [{ subject: 'CN=CA', commonName: 'CA', notAfter: '2050-01-01T00:00:00.000Z', fingerprintSha256: 'cd'.repeat(32), pem: 'x' }],
  });

  /** Every column as the database holds it, plus its SQLite storage class. */
  const stored = async (em: EntityManager, table: string, key: string, id: string): Promise<Record<string, unknown>> => {
    const [row] = (await em.query(`SELECT * FROM ${table} WHERE ${key} = ${t.config.database.kind === 'sqlite' ? '?' : '$1'}`, [
      id,
    ])) as Record<string, unknown>[];
    const out: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(row)) {
      if (['id', 'device_id', 'label', 'common_name', 'subject', 'fingerprint_sha256'].includes(column)) continue; // differ by design
      out[column] = value;
      if (t.config.database.kind === 'sqlite') {
        const [{ kind }] = (await em.query(`SELECT typeof("${column}") AS kind FROM ${table} WHERE ${key} = ?`, [id])) as {
          kind: string;
        }[];
        out[`${column}:type`] = kind;
      }
    }
    return out;
  };

  it('stores complete rows exactly as the query builder does', async () => {
    const plain = Array.from({ length: 3 }, (_, i) => device(`099001-PC-${i}`));
    const built = device('099001-PC-B');
    await ds.transaction(async (em) => {
      await insertMany(em, DeviceEntity, plain, 2);
      await insertMany(em, DeviceCertificateEntity, plain.map(certificate), 2);
      await em.createQueryBuilder().insert().into(DeviceEntity).values(built).updateEntity(false).execute();
      await em
        .createQueryBuilder()
        .insert()
        .into(DeviceCertificateEntity)
        .values(certificate(built) as never)
        .updateEntity(false)
        .execute();
    });
    const em = ds.manager;
    const reference = {
      device: await stored(em, 'devices', 'id', built.id),
      certificate: await stored(em, 'device_certificates', 'device_id', built.id),
    };
    expect(reference.device).toMatchObject({ notes: 'l\'ufficio "Anagrafe" ☃' });
    for (const d of plain) {
      expect({
        device: await stored(em, 'devices', 'id', d.id),
        certificate: await stored(em, 'device_certificates', 'device_id', d.id),
      }).toEqual(reference);
    }
    const read = await ds.getRepository(DeviceCertificateEntity).findOneByOrFail({ deviceId: plain[2].id });
    expect(read).toEqual(certificate(plain[2]));
  });

  it('fills defaults through the query builder when a row leaves a column out', async () => {
    const id = randomUUID();
    const partial = { ...device('099001-PC-D'), id, createdAt: undefined, updatedAt: undefined } as unknown as DeviceEntity;
    await ds.transaction((em) => insertMany(em, DeviceEntity, [partial]));
    const row = await ds.getRepository(DeviceEntity).findOneByOrFail({ id });
    expect(row.createdAt).toBeInstanceOf(Date);
    expect(Number.isNaN(row.createdAt.getTime())).toBe(false);
  });
});
