import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run-cli';
import { OpensslCorpus } from '../../src/devices/certificates/x509/testing/openssl-corpus';
import { TestDatabase, createTestDatabase, deleteRedisPrefix, nextIstatCode } from '../support/test-app';

jest.setTimeout(120_000);

describe('CLI import (npm run cli -- import <file|dir|zip> --org <ISTAT>)', () => {
  const id = randomBytes(6).toString('hex');
  let db: TestDatabase;
  let env: Record<string, string | undefined>;
  let corpus: OpensslCorpus;

  async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      env,
      osUser: 'tester',
      io: { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) },
    });
    return { code, stdout, stderr };
  }

  beforeAll(async () => {
    db = await createTestDatabase(id);
    env = { ...process.env, NODE_ENV: 'test', REDIS_PREFIX: `custode-test-${id}`, LOG_LEVEL: process.env.TEST_LOG_LEVEL, ...db.env };
    corpus = new OpensslCorpus();
  });
  afterAll(async () => {
    corpus?.remove();
    await db?.drop();
    await deleteRedisPrefix(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', `custode-test-${id}`);
  });

  it('imports a directory with a summary (imported, duplicates, warnings, errors by file), then finds them all present', async () => {
    const istat = nextIstatCode();
    expect((await cli('org:create', '--istat', istat, '--name', 'Comune di Importia')).code).toBe(0);
    const dir = join(corpus.dir, 'batch');
    mkdirSync(dir);
    corpus.key('ca', 'p256');
    corpus.selfSigned('ca', 'ca.key', { subject: '/CN=Test CA', days: 3650 });
    for (const n of [1, 2, 3]) {
      corpus.key(`pc${n}`, 'p256');
      corpus.issued(
        `pc${n}`,
        `pc${n}.key`,
        { cert: 'ca.pem', key: 'ca.key' },
        { subject: `/CN=${n === 3 ? '000000' : istat}-PC-${n}`, days: 400, ca: false },
      );
    }
    corpus.openssl(['pkcs12', '-export', '-in', 'pc2.pem', '-inkey', 'pc2.key', '-passout', 'pass:cli-pass-2', '-out', 'batch/pc2.p12']);
    writeFileSync(join(dir, 'pc1.pem'), corpus.read('pc1.pem'));
    writeFileSync(join(dir, 'pc3.pem'), corpus.read('pc3.pem'));
    writeFileSync(join(dir, 'broken.pem'), 'non è un certificato');
    writeFileSync(join(corpus.dir, 'passwords.json'), JSON.stringify({ 'pc2.p12': 'cli-pass-2' }));

    const run = await cli('import', dir, '--org', istat, '--password-map', join(corpus.dir, 'passwords.json'), '--json');
    expect(run.code).toBe(2);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ files: 4, imported: 3, duplicates: 0, warnings: 1, errors: 1 });
    expect(summary.byFile.find((f: { file: string }) => f.file.endsWith('broken.pem')).errors).toEqual([
      expect.objectContaining({ code: 'UNRECOGNIZED_FORMAT' }),
    ]);
    expect(summary.byFile.find((f: { file: string }) => f.file.endsWith('pc3.pem')).warnings).toEqual([
      expect.objectContaining({ code: 'CN_NOT_ISTAT_CODE' }),
    ]);
    expect(run.stdout).not.toContain('cli-pass-2');

    const text = await cli('import', dir, '--org', istat, '--password-map', join(corpus.dir, 'passwords.json'));
    expect(text.stdout).toContain('0 imported, 3 already present');
    expect(text.stdout).toMatch(/error\s+.*broken\.pem/);

    const usage = await cli('import', dir);
    expect(usage).toMatchObject({ code: 2 });
    expect(usage.stderr).toContain('--org');
  });
});
