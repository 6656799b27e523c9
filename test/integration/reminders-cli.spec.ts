import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client } from 'pg';
import { runCli } from '../../src/cli/run-cli';
import { createCard, setNow } from '../support/reminders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, deleteRedisPrefix, login } from '../support/test-app';

/** `npm run cli -- sweep`: the same sweep as the daily job, from the command line. */
describe('CLI sweep', () => {
  let t: TestApp;
  let env: Record<string, string>;
  let istat: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { LOGIN_RATE_PER_MINUTE: '1000' } });
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = await createOrgWithMembers(t, admin, ['security_admin']);
    istat = (await t.http().get(`/api/v1/orgs/${org.orgId}`).auth(admin, { type: 'bearer' }).expect(200)).body.istatCode;
    // Registered when no step is due yet (102 days ahead), so the sweep below is what writes the rows.
    setNow('2026-03-20T08:00:00Z');
    await createCard(t, org.tokens.security_admin!, org.orgId, 'CLI-1', '2026-06-30T10:00:00Z');
    setNow('2026-06-10T08:00:00Z');
    const db = t.config.database;
    env = {
      ...(db.kind === 'postgres' ? { DATABASE_URL: db.url!, DATABASE_SCHEMA: db.schema! } : { SQLITE_PATH: db.sqlitePath }),
      REDIS_URL: t.config.redis.url,
      REDIS_PREFIX: t.config.redis.prefix,
      LOG_LEVEL: 'silent',
    };
    // The CLI opens the database itself: the app lets go of it first.
    await t.app.close();
  }, 120_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    if (env.DATABASE_URL) {
      const c = new Client({ connectionString: env.DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${env.DATABASE_SCHEMA}" CASCADE`);
      await c.end();
    } else {
      rmSync(dirname(env.SQLITE_PATH!), { recursive: true, force: true });
    }
    await deleteRedisPrefix(env.REDIS_URL!, env.REDIS_PREFIX!);
  });

  it('creates the due reminders once and queues them', async () => {
    const out: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s) };
    expect(await runCli(['sweep', '--org', istat, '--json'], { env, io })).toBe(0);
    // ALS e-mail + in-app for the one card due (step 30).
    expect(JSON.parse(out.join(''))).toEqual({ created: 2, queued: 2 });
    out.length = 0;
    expect(await runCli(['sweep'], { env, io })).toBe(0);
    expect(out.join('')).toMatch(/Sweep of \d+ Comuni: 0 reminders created; 0 queued for delivery/);
    out.length = 0;
    expect(await runCli(['sweep', '--org', '999999'], { env, io })).toBe(2);
  });
});
