import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { BenchDatabase } from './databases';
import { POSTGRES_URL } from './knobs';

export interface CommitProbeResult {
  clients: number;
  commits: number;
  perSecond: number;
  p50: number;
  p99: number;
}

const BODY = JSON.stringify({
  outcome: 'unverifiable',
  reason: 'phrase_missing',
  claimedCompany: 'Alfa Informatica',
  pad: 'x'.repeat(400),
});

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

function summarize(clients: number, latencies: number[], seconds: number): CommitProbeResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    clients,
    commits: sorted.length,
    perSecond: sorted.length / seconds,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
  };
}

/**
 * The limit of a recorded write, beside the caller check: durable commits of its shape (lock one
 * chain head, insert a row and an audit row, move the head, commit) straight through the driver,
 * on the bench's database while Custode is idle, in tables of the probe's own. SQLite has one
 * writer, with `synchronous=FULL` like Custode (an fsync per commit). On PostgreSQL `clients`
 * connections compete for the one head row as one Comune's checks do, so the rate is one lock
 * hold (three statements and a commit) per write, however many connections wait.
 */
export async function commitProbe(db: BenchDatabase, clients: number, seconds: number): Promise<CommitProbeResult> {
  const chain = randomUUID();
  if (db.kind === 'sqlite') {
    const conn = new Database(db.sqlitePath!);
    try {
      conn.pragma('journal_mode = WAL');
      conn.pragma('synchronous = FULL');
      conn.pragma('busy_timeout = 10000');
      conn.exec(
        'CREATE TABLE probe_heads (chain TEXT PRIMARY KEY, seq INTEGER NOT NULL); CREATE TABLE probe_rows (id TEXT PRIMARY KEY, chain TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL)',
      );
      conn.prepare('INSERT INTO probe_heads (chain, seq) VALUES (?, 0)').run(chain);
      const head = conn.prepare('SELECT seq FROM probe_heads WHERE chain = ?');
      const insert = conn.prepare('INSERT INTO probe_rows (id, chain, seq, body) VALUES (?, ?, ?, ?)');
      const move = conn.prepare('UPDATE probe_heads SET seq = ? WHERE chain = ?');
      const latencies: number[] = [];
      const until = performance.now() + seconds * 1000;
      while (performance.now() < until) {
        const started = performance.now();
        conn.exec('BEGIN IMMEDIATE');
        const seq = (head.get(chain) as { seq: number }).seq + 1;
        insert.run(randomUUID(), 'check', seq, BODY);
        insert.run(randomUUID(), chain, seq, BODY);
        move.run(seq, chain);
        conn.exec('COMMIT');
        latencies.push(performance.now() - started);
        // Let the event loop breathe, as a server between requests would.
        if (latencies.length % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      conn.exec('DROP TABLE probe_rows; DROP TABLE probe_heads');
      return summarize(1, latencies, seconds);
    } finally {
      conn.close();
    }
  }
  const connect = async () => {
    const client = new Client({ connectionString: POSTGRES_URL, options: `-c search_path=${db.schema}` });
    await client.connect();
    return client;
  };
  const admin = await connect();
  await admin.query(
    'CREATE TABLE probe_heads (chain uuid PRIMARY KEY, seq integer NOT NULL); CREATE TABLE probe_rows (id uuid PRIMARY KEY, chain text NOT NULL, seq integer NOT NULL, body jsonb NOT NULL)',
  );
  await admin.query('INSERT INTO probe_heads (chain, seq) VALUES ($1, 0)', [chain]);
  const conns = await Promise.all(Array.from({ length: clients }, connect));
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  try {
    await Promise.all(
      conns.map(async (client) => {
        while (performance.now() < until) {
          const started = performance.now();
          await client.query('BEGIN');
          // The check's own row, then the audit row under the head lock, as Custode orders them.
          await client.query('INSERT INTO probe_rows (id, chain, seq, body) VALUES ($1, $2, $3, $4)', [randomUUID(), 'check', 0, BODY]);
          const { rows } = await client.query<{ seq: number }>('SELECT seq FROM probe_heads WHERE chain = $1 FOR UPDATE', [chain]);
          const seq = rows[0]!.seq + 1;
          await client.query('INSERT INTO probe_rows (id, chain, seq, body) VALUES ($1, $2, $3, $4)', [randomUUID(), chain, seq, BODY]);
          await client.query('UPDATE probe_heads SET seq = $1 WHERE chain = $2', [seq, chain]);
          await client.query('COMMIT');
          latencies.push(performance.now() - started);
        }
      }),
    );
    await admin.query('DROP TABLE probe_rows; DROP TABLE probe_heads');
    return summarize(clients, latencies, seconds);
  } finally {
    await Promise.all(conns.map((c) => c.end()));
    await admin.end();
  }
}
