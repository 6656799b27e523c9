import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { OpensslCorpus, daysUntil } from '../../src/devices/certificates/x509/testing/openssl-corpus';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestDatabase, deleteRedisPrefix } from '../support/test-app';

/**
 * Crash safety: the real server, concurrent clients writing (smart cards, transitions, certificate
 * imports), SIGKILL in the middle, restart on the same database. Every write that got a 2xx is
 * there, none is half-written, every audit chain verifies, the reminder ledger has no duplicate.
 */
const ROOT = join(__dirname, '..', '..');
const WRITES = Number(process.env.CRASH_WRITES ?? 1000);
const KILL_AFTER = Math.floor(WRITES * 0.4);

interface Server {
  proc: ChildProcess;
  url: string;
}

function startServer(env: Record<string, string>): Promise<Server> {
  const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: '0', LOG_LEVEL: 'warn', NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 120_000);
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Custode is running: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1] as string });
      }
    });
    proc.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

describe.each(['sqlite', 'postgres'] as const)('crash safety on %s', (kind) => {
  const id = randomBytes(5).toString('hex');
  const corpus = new OpensslCorpus();
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  let server: Server | null = null;

  beforeAll(async () => {
    process.env.TEST_DB = kind;
    if (kind === 'postgres') process.env.DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
    else delete process.env.DATABASE_URL;
    const db = await createTestDatabase(`crash_${id}`);
    drop = db.drop;
    env = {
      ...db.env,
      REDIS_PREFIX: `custode-crash-${id}`,
      CUSTODE_ADMIN_EMAIL: ADMIN_EMAIL,
      CUSTODE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      WORKERS: 'inline',
    };
    if (kind === 'sqlite') env.DATABASE_URL = '';
    corpus.key('k', 'p256');
  }, 120_000);
  afterAll(async () => {
    server?.proc.kill('SIGKILL');
    corpus.remove();
    await drop();
    await deleteRedisPrefix('redis://127.0.0.1:6379', env.REDIS_PREFIX as string);
  });

  it(`keeps every acknowledged write of ${WRITES} after SIGKILL`, async () => {
    server = await startServer(env);
    const http = () => request(server!.url);
    const token = (await http().post('/api/v1/auth/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }).expect(200)).body
      .token as string;
    const org = await http()
      .post('/api/v1/orgs')
      .auth(token, { type: 'bearer' })
      .send({ istatCode: String(700000 + Math.floor(Math.random() * 99999)), name: 'Comune del crash' })
      .expect(201);
    const als = 'als.crash@comune.test';
    await http()
      .post(`/api/v1/orgs/${org.body.id}/users`)
      .auth(token, { type: 'bearer' })
      .send({ email: als, displayName: 'ALS', role: 'security_admin', password: 'cavallo-batteria-graffetta-9' })
      .expect(201);
    const first = (await http().post('/api/v1/auth/login').send({ email: als, password: 'cavallo-batteria-graffetta-9' }).expect(200)).body
      .token as string;
    await http()
      .post('/api/v1/auth/password')
      .auth(first, { type: 'bearer' })
      .send({ currentPassword: 'cavallo-batteria-graffetta-9', newPassword: 'una-frase-lunga-per-il-crash-1' })
      .expect(204);
    const api = (p: string) => `/api/v1/orgs/${org.body.id}${p}`;
    const pems = Array.from({ length: Math.ceil(WRITES / 5) }, (_, i) => {
      corpus.selfSigned(`c${i}`, 'k.key', { subject: `/CN=041001-PC-${i}`, days: daysUntil('2031-03-31') });
      return corpus.read(`c${i}.pem`);
    });

    const acked = { cards: new Map<string, number>(), imports: new Set<string>() };
    let sent = 0;
    let killed = false;
    const client = async (worker: number) => {
      for (let i = worker; sent < WRITES; i += 20) {
        sent += 1;
        try {
          if (i % 5 === 0 && pems[i / 5]) {
            const res = await http()
              .post(api('/certificates/import'))
              .auth(first, { type: 'bearer' })
              .attach('file', pems[i / 5] as Buffer, `c${i}.pem`);
            if (res.status === 201) for (const d of res.body.devices as { id: string }[]) acked.imports.add(d.id);
            continue;
          }
          const card = await http()
            .post(api('/smart-cards'))
            .auth(first, { type: 'bearer' })
            .send({ serialNumber: `CRASH-${i}` });
          if (card.status !== 201) continue;
          acked.cards.set(card.body.id, 1);
          sent += 1;
          const moved = await http()
            .post(api(`/devices/${card.body.id}/transitions`))
            .auth(first, { type: 'bearer' })
            .set('If-Match', '"1"')
            .send({ action: 'start_production' });
          if (moved.status === 200) acked.cards.set(card.body.id, 2);
        } catch {
          // The connection died with the server: that write was never acknowledged.
        }
        if (!killed && acked.cards.size + acked.imports.size >= KILL_AFTER) {
          killed = true;
          server!.proc.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, w) => client(w)));
    const acknowledged = [...acked.cards.values()].reduce((n, v) => n + v, 0) + acked.imports.size;
    expect(killed).toBe(true);

    server = await startServer(env);
    const again = (
      await request(server.url).post('/api/v1/auth/login').send({ email: als, password: 'una-frase-lunga-per-il-crash-1' }).expect(200)
    ).body.token as string;
    const missing: string[] = [];
    for (const [deviceId, version] of acked.cards) {
      const res = await request(server.url)
        .get(api(`/devices/${deviceId}`))
        .auth(again, { type: 'bearer' });
      if (res.status !== 200 || res.body.version < version || (version === 2 && res.body.status !== 'in_production'))
        missing.push(`card ${deviceId} v${version}: ${res.status}`);
    }
    for (const deviceId of acked.imports) {
      const res = await request(server.url)
        .get(api(`/devices/${deviceId}`))
        .auth(again, { type: 'bearer' });
      if (res.status !== 200) missing.push(`certificate ${deviceId}: ${res.status}`);
    }
    const verify = await request(server.url).get(api('/audit/verify')).auth(again, { type: 'bearer' }).expect(200);
    server.proc.kill('SIGKILL');
    server = null;

    // Straight from the database: no half-written device, no duplicate reminder.
    const ds = new DataSource({
      ...(kind === 'postgres'
        ? { type: 'postgres' as const, url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA }
        : { type: 'better-sqlite3' as const, database: env.SQLITE_PATH as string }),
    });
    await ds.initialize();
    const q = (sql: string) =>
      ds.query(
        kind === 'postgres'
          ? sql.replaceAll('FROM ', `FROM "${env.DATABASE_SCHEMA}".`).replaceAll('JOIN ', `JOIN "${env.DATABASE_SCHEMA}".`)
          : sql,
      );
    const halfCards = await q(
      `SELECT d.id FROM devices d LEFT JOIN device_smart_cards s ON s.device_id = d.id WHERE d.kind = 'smart_card' AND s.device_id IS NULL`,
    );
    const halfCerts = await q(
      `SELECT d.id FROM devices d LEFT JOIN device_certificates c ON c.device_id = d.id WHERE d.kind = 'workstation_certificate' AND c.device_id IS NULL`,
    );
    const noEvent = await q(
      `SELECT d.id FROM devices d LEFT JOIN device_events e ON e.device_id = d.id AND e.type = 'created' WHERE e.id IS NULL`,
    );
    const duplicates = await q(
      `SELECT subject_id, step_days, channel, recipient, count(*) AS n FROM reminders GROUP BY subject_type, subject_id, expires_at, step_days, channel, recipient HAVING count(*) > 1`,
    );
    const [stored] = await q('SELECT count(*) AS n FROM devices');
    await ds.destroy();

    process.stdout.write(
      `crash on ${kind}: ${sent} writes sent, ${acknowledged} acknowledged before SIGKILL, ${Number(stored.n)} devices stored, ${missing.length} lost\n`,
    );
    expect(missing).toEqual([]);
    expect({ halfCards, halfCerts, noEvent, duplicates }).toEqual({ halfCards: [], halfCerts: [], noEvent: [], duplicates: [] });
    expect(verify.body).toMatchObject({ valid: true, firstBrokenSeq: null });
  }, 600_000);
});
