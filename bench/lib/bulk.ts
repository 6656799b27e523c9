import Database from 'better-sqlite3';
import { Client } from 'pg';
import { BenchDatabase } from './databases';
import { POSTGRES_URL } from './knobs';

export type SqlValue = string | number | boolean | Date | null | object;

/**
 * Writes rows straight into a bench database, past the API (seeding 100,000 devices through HTTP
 * would measure the seeding). Values take the form TypeORM gives them on each driver: UTC
 * `YYYY-MM-DD HH:MM:SS.SSS` text and 0/1 on SQLite, timestamptz and booleans on PostgreSQL,
 * JSON as text on both.
 */
export interface BulkWriter {
  insert(table: string, columns: string[], rows: SqlValue[][]): Promise<void>;
  /** Runs one SQL statement (DDL, ANALYZE, a count). */
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

const sqliteValue = (v: SqlValue): string | number | null => {
  if (v === null) return null;
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
};

const pgValue = (v: SqlValue): unknown => (v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v);

export async function openBulkWriter(db: BenchDatabase): Promise<BulkWriter> {
  if (db.kind === 'sqlite') {
    const conn = new Database(db.sqlitePath!);
    conn.pragma('journal_mode = WAL');
    conn.pragma('busy_timeout = 10000');
    return {
      insert: async (table, columns, rows) => {
        const stmt = conn.prepare(
          `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        );
        conn.transaction(() => {
          for (const row of rows) stmt.run(...row.map(sqliteValue));
        })();
      },
      query: async <T>(sql: string) => (conn.prepare(sql).reader ? (conn.prepare(sql).all() as T[]) : (conn.prepare(sql).run(), [] as T[])),
      close: async () => void conn.close(),
    };
  }
  const client = new Client({ connectionString: POSTGRES_URL, options: `-c search_path=${db.schema}` });
  await client.connect();
  return {
    insert: async (table, columns, rows) => {
      const perStatement = Math.max(1, Math.floor(60_000 / columns.length));
      await client.query('BEGIN');
      try {
        for (let i = 0; i < rows.length; i += perStatement) {
          const chunk = rows.slice(i, i + perStatement);
          const params: unknown[] = [];
          const tuples = chunk.map((row) => `(${row.map((v) => `$${params.push(pgValue(v))}`).join(', ')})`);
          await client.query(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`, params);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
    query: async <T>(sql: string) => (await client.query(sql)).rows as T[],
    close: () => client.end(),
  };
}
