import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { POSTGRES_URL, REDIS_URL } from './knobs';

export type DbKind = 'sqlite' | 'postgres';

/** A database and a Redis prefix of the benchmark's own, removed by `drop()`. */
export interface BenchDatabase {
  kind: DbKind;
  id: string;
  /** Environment for Custode's process (configuration.ts variables). */
  env: Record<string, string>;
  /** A temp folder of its own (SQLite file, Custode's log), removed with the rest. */
  dir: string;
  sqlitePath: string | null;
  schema: string | null;
  drop(): Promise<void>;
}

const cleanups = new Set<() => Promise<void>>();

export async function createBenchDatabase(kind: DbKind): Promise<BenchDatabase> {
  const id = randomBytes(5).toString('hex');
  const redisPrefix = `custode-bench-${id}`;
  const common = { REDIS_URL, REDIS_PREFIX: redisPrefix };
  const dir = mkdtempSync(join(tmpdir(), 'custode-bench-'));
  let db: BenchDatabase;
  if (kind === 'postgres') {
    const schema = `bench_${id}`;
    await pgQuery(`CREATE SCHEMA "${schema}"`);
    db = {
      kind,
      id,
      dir,
      sqlitePath: null,
      schema,
      env: { ...common, DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema },
      drop: async () => {
        rmSync(dir, { recursive: true, force: true });
        await pgQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await deleteRedisPrefix(redisPrefix);
      },
    };
  } else {
    const sqlitePath = join(dir, 'custode.sqlite');
    db = {
      kind,
      id,
      dir,
      sqlitePath,
      schema: null,
      env: { ...common, SQLITE_PATH: sqlitePath, DATABASE_URL: '' },
      drop: async () => {
        rmSync(dir, { recursive: true, force: true });
        await deleteRedisPrefix(redisPrefix);
      },
    };
  }
  const drop = db.drop;
  const once = async () => {
    cleanups.delete(once);
    await drop();
  };
  db.drop = once;
  cleanups.add(once);
  return db;
}

/** Drops whatever databases are still there (an interrupted run). */
export async function dropAll(): Promise<void> {
  for (const cleanup of [...cleanups]) await cleanup().catch(() => undefined);
}

export async function pgQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function deleteRedisPrefix(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
