import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { runCli } from '../../src/cli/run-cli';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

/** `npm run cli -- backup <file>` while the service keeps writing; the copy restores and verifies. */
describe('backup', () => {
  let t: TestApp;
  let env: Record<string, string | undefined>;
  const file = join(tmpdir(), `custode-backup-${randomBytes(4).toString('hex')}.sqlite`);

  beforeAll(async () => {
    t = await createTestApp();
    env = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SQLITE_PATH: t.config.database.sqlitePath,
      DATABASE_URL: t.config.database.url ?? '',
      DATABASE_SCHEMA: t.config.database.schema ?? '',
      REDIS_PREFIX: t.config.redis.prefix,
    };
  });
  afterAll(async () => {
    await t.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  });

  const cli = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      env,
      osUser: 'tester',
      io: { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) },
    });
    return { code, stdout, stderr };
  };

  if (process.env.TEST_DB === 'postgres') {
    it('points PostgreSQL users to pg_dump', async () => {
      const run = await cli('backup', file);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/pg_dump/);
    });
    return;
  }

  it('copies a consistent database while writes continue, and the copy verifies', async () => {
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const { orgId, tokens } = await createOrgWithMembers(t, admin, ['security_admin']);
    let writing = true;
    let acknowledged = 0;
    const writer = (async () => {
      for (let i = 0; writing || i < 20; i++) {
        await t
          .http()
          .patch(`/api/v1/orgs/${orgId}`)
          .auth(tokens.security_admin, { type: 'bearer' })
          .send({ name: `Comune in scrittura ${i}` })
          .expect(200);
        acknowledged += 1;
      }
    })();
    const run = await cli('backup', file);
    writing = false;
    await writer;
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^Backup written: /);
    expect(acknowledged).toBeGreaterThanOrEqual(20);

    // Restore = run on the copy: every chain verifies, the Comune is there.
    env = { ...env, SQLITE_PATH: file };
    const verify = await cli('audit:verify', '--all', '--json');
    expect(verify.code).toBe(0);
    const report = JSON.parse(verify.stdout) as { valid: boolean; chains: { chain: string; checked: number }[] };
    expect(report.valid).toBe(true);
    expect(report.chains.find((c) => c.chain === orgId)?.checked).toBeGreaterThan(1);
  });

  it('refuses to overwrite an existing file', async () => {
    const run = await cli('backup', file);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/already exists/);
  });
});
