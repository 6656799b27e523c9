import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import Redis from 'ioredis';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RESPONSE_SECRET_FIELDS, SECRET_FIELDS, artifactsDir, registerSecret } from './secrets';
import { FirstRunService } from '../../src/auth/first-run.service';
import { createHttpApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/configuration';

export const ADMIN_EMAIL = 'superadmin@custode.test';
export const ADMIN_PASSWORD = 'prova-piattaforma-2026!';
export const STRONG_PASSWORD = 'cavallo-batteria-graffetta-9';

export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A database of its own for one test file: a SQLite file in a temp dir, or a PostgreSQL schema. */
export async function createTestDatabase(id: string): Promise<TestDatabase> {
  if (process.env.TEST_DB === 'postgres') {
    const url = process.env.DATABASE_URL as string;
    const schema = `t_${id}`;
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.end();
    return {
      env: { DATABASE_URL: url, DATABASE_SCHEMA: schema },
      drop: async () => {
        const c = new Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'custode-test-'));
  return {
    env: { SQLITE_PATH: join(dir, 'custode.sqlite') },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/** The whole application, as production builds it, on its own database and Redis prefix. */
export async function createTestApp(options: { env?: Record<string, string>; workers?: boolean } = {}): Promise<TestApp> {
  const id = randomBytes(6).toString('hex');
  const db = await createTestDatabase(id);
  const artifacts = artifactsDir();
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    // With a secrets scan, the app logs at info to a file the scan reads afterwards.
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? (artifacts ? 'info' : 'silent'),
    ...(artifacts ? { LOG_FILE: join(artifacts, 'logs', `${id}.log`) } : {}),
    REDIS_PREFIX: `custode-test-${id}`,
    CUSTODE_ADMIN_EMAIL: ADMIN_EMAIL,
    CUSTODE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ...db.env,
    ...options.env,
  });
  const app = await createHttpApp(config, { workers: options.workers ?? false });
  try {
    await app.init();
    await app.get(FirstRunService).ensureSuperadmin();
  } catch (error) {
    await app.close();
    await db.drop();
    throw error;
  }
  return {
    app,
    config,
    http: () => instrumented(request(app.getHttpServer()), id),
    close: async () => {
      if (artifacts) await keepDatabaseCopy(app, config, join(artifacts, 'db', id));
      await app.close();
      await db.drop();
      // A test may point Redis at a closed port on purpose: clean the real one by prefix.
      await deleteRedisPrefix(options.env?.REDIS_URL ? 'redis://127.0.0.1:6379' : config.redis.url, config.redis.prefix);
    },
  };
}

let responseCounter = 0;

/**
 * Supertest, recording for the secrets scan: secrets the test sends (password fields) and every
 * response text; a token in a response is a secret allowed only there.
 */
function instrumented(agent: ReturnType<typeof request>, appId: string): ReturnType<typeof request> {
  const dir = artifactsDir();
  if (!dir) return agent;
  mkdirSync(join(dir, 'responses'), { recursive: true });
  const file = join(dir, 'responses', `${process.pid}.jsonl`);
  return new Proxy(agent, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || !['get', 'post', 'put', 'patch', 'delete'].includes(String(prop))) return value;
      return (url: string) => {
        const test = (value as (u: string) => request.Test).call(target, url);
        const send = test.send.bind(test);
        test.send = (data?: string | object) => {
          if (data && typeof data === 'object')
            for (const f of SECRET_FIELDS) registerSecret((data as Record<string, unknown>)[f] as string);
          return send(data);
        };
        const field = test.field.bind(test) as (name: string, val: string) => request.Test;
        (test as unknown as { field: typeof field }).field = (name: string, val: string) => {
          if (SECRET_FIELDS.includes(name) || name === 'passwordMap') registerSecret(val);
          return field(name, val);
        };
        test.on('response', (res: { text?: string; body?: Record<string, unknown> }) => {
          const responseId = `${appId}-${process.pid}-${++responseCounter}`;
          for (const field of RESPONSE_SECRET_FIELDS) {
            const value = res.body?.[field];
            if (typeof value === 'string') registerSecret(value, responseId);
          }
          appendFileSync(file, `${JSON.stringify({ id: responseId, text: res.text ?? '' })}\n`);
        });
        return test;
      };
    },
  });
}

/** Copies what the database holds on disk (SQLite file and WAL) or in rows (PostgreSQL) for the scan. */
async function keepDatabaseCopy(app: NestExpressApplication, config: AppConfig, target: string): Promise<void> {
  mkdirSync(target, { recursive: true });
  if (config.database.kind === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) {
      const file = `${config.database.sqlitePath}${suffix}`;
      if (existsSync(file)) copyFileSync(file, join(target, `custode.sqlite${suffix}`));
    }
    return;
  }
  const ds = app.get(DataSource);
  const tables: { name: string }[] = await ds.query(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  for (const { name } of tables) {
    const rows: { row: unknown }[] = await ds.query(`SELECT row_to_json(t) AS row FROM "${name}" t`);
    writeFileSync(join(target, `${name}.jsonl`), rows.map((r) => JSON.stringify(r.row)).join('\n'));
  }
}

export async function login(t: TestApp, email: string, password: string): Promise<string> {
  const res = await t.http().post('/api/v1/auth/login').send({ email, password });
  if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

let istatCounter = 100000 + Math.floor(Math.random() * 800000);
export const nextIstatCode = (): string => String(istatCounter++).padStart(6, '0');

/** A Comune with one member per role (passwords already changed); returns their tokens. */
export async function createOrgWithMembers(t: TestApp, adminToken: string, roles: readonly string[]) {
  const org = await t
    .http()
    .post('/api/v1/orgs')
    .auth(adminToken, { type: 'bearer' })
    .send({ istatCode: nextIstatCode(), name: `Comune di Prova ${istatCounter}` });
  if (org.status !== 201) throw new Error(`create org failed: ${org.status} ${JSON.stringify(org.body)}`);
  const orgId = org.body.id as string;
  const tokens: Record<string, string> = {};
  const userIds: Record<string, string> = {};
  for (const role of roles) {
    const email = `${role}.${orgId.slice(0, 8)}@comune.test`;
    const res = await t
      .http()
      .post(`/api/v1/orgs/${orgId}/users`)
      .auth(adminToken, { type: 'bearer' })
      .send({ email, displayName: `Utente ${role}`, role, password: STRONG_PASSWORD });
    if (res.status !== 201) throw new Error(`create user failed: ${res.status} ${JSON.stringify(res.body)}`);
    userIds[role] = res.body.id as string;
    const first = await login(t, email, STRONG_PASSWORD);
    const changed = await t
      .http()
      .post('/api/v1/auth/password')
      .auth(first, { type: 'bearer' })
      .send({ currentPassword: STRONG_PASSWORD, newPassword: `${STRONG_PASSWORD}-${role}` });
    if (changed.status !== 204) throw new Error(`password change failed: ${changed.status} ${JSON.stringify(changed.body)}`);
    tokens[role] = first;
  }
  return { orgId, tokens, userIds };
}
