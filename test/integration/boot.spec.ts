import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** A bad configuration stops the real entry point with one line naming the variable. */
describe('booting with a bad configuration', () => {
  const root = join(__dirname, '..', '..');
  const boot = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it.each([
    [{ PORT: 'tremila' }, 'PORT'],
    [{ NODE_ENV: 'production' }, 'CUSTODE_SECRET'],
    [{ DATABASE_URL: 'ftp://nowhere' }, 'DATABASE_URL'],
  ])('%j stops the process naming %s', (env, variable) => {
    const result = boot(env);
    expect(result.status).toBe(78);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
  });
});
