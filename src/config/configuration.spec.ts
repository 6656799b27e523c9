import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, DEVELOPMENT_SECRET, loadConfig } from './configuration';

describe(loadConfig.name, () => {
  const failure = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return { variable: (error as ConfigError).variable, message: (error as ConfigError).message };
    }
    throw new Error('accepted');
  };

  it('gives the documented defaults: SQLite file, local Redis, inline workers, port 3000', () => {
    const sut = loadConfig({});
    expect(sut).toMatchObject({
      port: 3000,
      workers: 'inline',
      database: { kind: 'sqlite', sqlitePath: './data/custode.sqlite', url: null },
      redis: { url: 'redis://127.0.0.1:6379', prefix: 'custode' },
    });
  });

  it('selects PostgreSQL from a postgres:// DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/custode' }).database.kind).toBe('postgres');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ WORKERS: 'sometimes' }, 'WORKERS'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ REDIS_PREFIX: 'a:b' }, 'REDIS_PREFIX'],
    [{ SMTP_URL: 'http://x' }, 'SMTP_URL'],
    [{ CUSTODE_ADMIN_EMAIL: 'a@b.it' }, 'CUSTODE_ADMIN_PASSWORD'],
    [{ CUSTODE_SECRET: 'short' }, 'CUSTODE_SECRET'],
    [{ NODE_ENV: 'production' }, 'CUSTODE_SECRET'],
    [{ NODE_ENV: 'production', CUSTODE_SECRET: DEVELOPMENT_SECRET }, 'CUSTODE_SECRET'],
  ])('refuses %j naming %s', (env, variable) => {
    const { variable: named, message } = failure(env as Record<string, string>);
    expect(named).toBe(variable);
    expect(message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
    expect(message).not.toContain('\n');
  });

  it('starts in production with a real secret', () => {
    expect(loadConfig({ NODE_ENV: 'production', CUSTODE_SECRET: 'x'.repeat(48) }).nodeEnv).toBe('production');
  });

  it('reads no variable that .env.example does not document', () => {
    const read = new Set<string>();
    const recording = (env: Record<string, string>) =>
      new Proxy(env, {
        get: (target, key) => {
          if (typeof key === 'string') read.add(key);
          return target[key as string];
        },
      });
    loadConfig(recording({}));
    loadConfig(recording({ DATABASE_URL: 'postgres://u@db:5432/custode', SMTP_URL: 'smtp://127.0.0.1:2525' }));
    const documented = new Set(
      readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8')
        .split('\n')
        .map((line) => /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
        .filter((name): name is string => name !== undefined),
    );
    expect(read.size).toBeGreaterThan(20);
    expect([...read].filter((name) => !documented.has(name)).sort()).toEqual([]);
  });
});
