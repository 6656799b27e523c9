import { OpensslCorpus, daysUntil } from '../../src/devices/certificates/x509/testing/openssl-corpus';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

/**
 * Concurrent writers on one row: optimistic locking lets exactly one win, the others get a clear
 * 409/412 and nothing answers 5xx; concurrent imports of one certificate make exactly one device.
 */
describe('concurrency', () => {
  let t: TestApp;
  let orgId: string;
  let als: string;
  const corpus = new OpensslCorpus();
  const api = (path: string) => `/api/v1/orgs/${orgId}${path}`;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    ({
      orgId,
      tokens: { security_admin: als },
    } = await createOrgWithMembers(t, admin, ['security_admin']));
    corpus.key('ws', 'p256');
  });
  afterAll(async () => {
    corpus.remove();
    await t.close();
  });

  const statusCount = (statuses: number[]) => statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

  it('lets exactly one of 100 concurrent transitions with the same version win', async () => {
    const card = await t.http().post(api('/smart-cards')).auth(als, { type: 'bearer' }).send({ serialNumber: 'CONC-0001' }).expect(201);
    const attempts = await Promise.all(
      Array.from({ length: 100 }, () =>
        t
          .http()
          .post(api(`/devices/${card.body.id}/transitions`))
          .auth(als, { type: 'bearer' })
          .set('If-Match', `"${card.body.version}"`)
          .send({ action: 'start_production' }),
      ),
    );
    const counts = statusCount(attempts.map((r) => r.status));
    process.stdout.write(`concurrent transitions: ${JSON.stringify(counts)}\n`);
    expect(counts[200]).toBe(1);
    expect(attempts.filter((r) => r.status !== 200).every((r) => r.status === 409 || r.status === 412)).toBe(true);
    const device = await t
      .http()
      .get(api(`/devices/${card.body.id}`))
      .auth(als, { type: 'bearer' })
      .expect(200);
    expect(device.body).toMatchObject({ status: 'in_production', version: card.body.version + 1 });
    expect(device.body.history.filter((e: { action?: string }) => e.action === 'start_production')).toHaveLength(1);
  });

  it('makes exactly one device of 100 concurrent imports of the same certificate', async () => {
    corpus.selfSigned('same', 'ws.key', { subject: '/CN=041001-PC-99', days: daysUntil('2031-01-31') });
    const pem = corpus.read('same.pem');
    const attempts = await Promise.all(
      Array.from({ length: 100 }, () =>
        t.http().post(api('/certificates/import')).auth(als, { type: 'bearer' }).attach('file', pem, 'same.pem'),
      ),
    );
    const counts = statusCount(attempts.map((r) => r.status));
    process.stdout.write(`concurrent imports: ${JSON.stringify(counts)}\n`);
    expect(counts[201]).toBe(1);
    expect(attempts.filter((r) => r.status !== 201).every((r) => r.status === 409)).toBe(true);
    const list = await t.http().get(api('/devices?kind=workstation_certificate&limit=200')).auth(als, { type: 'bearer' }).expect(200);
    expect(
      list.body.items.filter((d: { label: string; subject?: { commonName: string } }) => d.subject?.commonName === '041001-PC-99'),
    ).toHaveLength(1);
  });
});
