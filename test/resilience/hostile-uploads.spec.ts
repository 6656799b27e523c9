import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { OpensslCorpus, daysUntil } from '../../src/devices/certificates/x509/testing/openssl-corpus';
import { buildZip } from '../../src/devices/certificates/x509/testing/zip-writer';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

/**
 * Malformed and hostile certificate uploads: each gets a clear 4xx, the process survives, memory
 * stays bounded (peak RSS printed), and nothing is stored.
 */
describe('hostile uploads', () => {
  let t: TestApp;
  let orgId: string;
  let als: string;
  const corpus = new OpensslCorpus();

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    ({
      orgId,
      tokens: { security_admin: als },
    } = await createOrgWithMembers(t, admin, ['security_admin']));
    corpus.key('k', 'rsa2048');
    corpus.selfSigned('leaf', 'k.key', { subject: '/CN=041001-PC-1', days: daysUntil('2030-01-31') });
    corpus.openssl([
      'pkcs12',
      '-export',
      '-in',
      'leaf.pem',
      '-inkey',
      'k.key',
      '-passout',
      'pass:la-password-giusta-1',
      '-out',
      'leaf.p12',
    ]);
  }, 120_000);
  afterAll(async () => {
    corpus.remove();
    await t.close();
  });

  const stored = async () => {
    const ds = t.app.get(DataSource);
    const [devices] = await ds.query('SELECT count(*) AS n FROM devices');
    const heads = await ds.query('SELECT chain, seq FROM audit_chain_heads ORDER BY chain');
    return JSON.stringify({ devices: Number(devices.n), heads });
  };

  it('answers every hostile upload with a clear 4xx, stores nothing, and keeps memory bounded', async () => {
    const pem = corpus.read('leaf.pem').toString();
    const der = Buffer.from(
      pem
        .split('\n')
        .filter((l) => l && !l.startsWith('-----'))
        .join(''),
      'base64',
    );
    let deep = Buffer.from([0x05, 0x00]);
    for (let i = 0; i < 5000; i++) deep = Buffer.concat([Buffer.from([0x30, 0x80]), deep, Buffer.from([0x00, 0x00])]);
    const cases: [string, Buffer, Record<string, string>][] = [
      ['random.bin', randomBytes(1024 * 1024), {}],
      ['truncated.der', der.subarray(0, der.length - 40), {}],
      ['absurd-length.der', Buffer.concat([Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]), randomBytes(64)]), {}],
      ['deep-nesting.der', deep, {}],
      ['ten-thousand.pem', Buffer.from(pem.repeat(10_000)), {}],
      ['two-thousand.pem', Buffer.from(pem.repeat(2_000)), {}],
      ['bomb.zip', buildZip([{ name: 'bomb.p12', data: Buffer.alloc(200 * 1024 * 1024) }]), {}],
      ['traversal.zip', buildZip([{ name: '../../x.pem', data: Buffer.from(pem) }]), {}],
      ['wrong-password.p12', corpus.read('leaf.p12'), { password: 'non-e-la-password-9' }],
      ['no-password.p12', corpus.read('leaf.p12'), {}],
    ];
    const before = await stored();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const outcomes: string[] = [];
    try {
      for (const [name, data, fields] of cases) {
        const req = t.http().post(`/api/v1/orgs/${orgId}/certificates/import`).auth(als, { type: 'bearer' });
        for (const [k, v] of Object.entries(fields)) req.field(k, v);
        const res = await req.attach('file', data, name);
        outcomes.push(`${name}: ${res.status} ${res.body.code}`);
        expect({ name, status: res.status >= 400 && res.status < 500, problem: res.headers['content-type'] }).toEqual({
          name,
          status: true,
          problem: expect.stringMatching(/problem\+json/),
        });
        expect(typeof res.body.detail).toBe('string');
      }
    } finally {
      clearInterval(sampler);
    }
    process.stdout.write(
      `hostile uploads:\n  ${outcomes.join('\n  ')}\n  peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (baseline ${(baseline / 2 ** 20).toFixed(0)} MiB)\n`,
    );
    expect(await stored()).toBe(before);
    await t.http().get('/health/live').expect(200);
    expect(peak - baseline).toBeLessThan(400 * 2 ** 20);
  });
});
