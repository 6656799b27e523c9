/**
 * bench:sweep — the daily reminder sweep (issue 6) over 10,000, 100,000 and 1,000,000 devices with
 * 1% and 0.1% of them due: wall time, ledger rows written, jobs enqueued by the outbox dispatcher,
 * and the enqueue rate against a raw BullMQ `Queue.addBulk` loop on the same Redis.
 */
import { runScenario } from './lib/run-scenario';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { WorkingDayCalendar, addDays, romeDate, romeInstant } from '../src/common/time';
import { redisOptionsFromUrl } from '../src/queue/redis-options';
import { DEFAULT_STEPS } from '../src/reminders/reminder-ladder';
import { openBulkWriter } from './lib/bulk';
import { CustodeServer, callInServer, createOrgWithAls, startCustode } from './lib/custode';
import { BenchDatabase, DbKind, createBenchDatabase, deleteRedisPrefix } from './lib/databases';
import { seedInventory } from './lib/inventory';
import { REDIS_URL, SEED, listKnob } from './lib/knobs';
import { RssSampler } from './lib/measure';
import { Cell, Target, emit, machine, mb, pct } from './lib/report';

const ISTAT = '072006';
const DAY_MS = 86_400_000;

interface SweepRun {
  kind: DbKind;
  devices: number;
  duePercent: number;
  due: number;
  sweepMs: number;
  devicesExamined: number;
  ledgerRows: number;
  dispatchMs: number;
  enqueued: number;
  jobsInRedis: number;
  rawAddBulkPerSec: number;
  seedSeconds: number;
}

async function countJobs(db: BenchDatabase): Promise<number> {
  const queue = new Queue('notifications', { connection: redisOptionsFromUrl(REDIS_URL), prefix: db.env.REDIS_PREFIX });
  try {
    const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized', 'completed', 'failed');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  } finally {
    await queue.close();
  }
}

/** The limit: BullMQ's own addBulk, batches of 500 like the dispatcher, same job options. */
async function rawAddBulk(db: BenchDatabase, jobs: number): Promise<number> {
  const prefix = `${db.env.REDIS_PREFIX}-raw`;
  const queue = new Queue('notifications', { connection: redisOptionsFromUrl(REDIS_URL), prefix });
  try {
    await queue.waitUntilReady();
    const started = performance.now();
    for (let i = 0; i < jobs; i += 500) {
      await queue.addBulk(
        Array.from({ length: Math.min(500, jobs - i) }, () => {
          const id = randomUUID();
          return {
            name: 'notifications.deliver',
            data: { reminderId: id },
            opts: { jobId: id, attempts: 8, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: 1000, removeOnFail: 5000 },
          };
        }),
      );
    }
    return jobs / ((performance.now() - started) / 1000);
  } finally {
    await queue.close();
    await deleteRedisPrefix(prefix);
  }
}

async function sweepOnce(
  server: CustodeServer,
  db: BenchDatabase,
  orgId: string,
): Promise<Omit<SweepRun, 'kind' | 'devices' | 'duePercent' | 'due' | 'rawAddBulkPerSec' | 'seedSeconds'>> {
  const sweep = await callInServer<{ ms: number; devicesExamined: number; created: number }>(server, 'sweep', { organizationId: orgId });
  const dispatch = await callInServer<{ ms: number; enqueued: number }>(server, 'dispatch', {});
  const writer = await openBulkWriter(db);
  const [{ n }] = (await writer.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM reminders')) as [{ n: number | string }];
  await writer.close();
  return {
    sweepMs: sweep.ms,
    devicesExamined: sweep.devicesExamined,
    ledgerRows: Number(n),
    dispatchMs: dispatch.ms,
    enqueued: dispatch.enqueued,
    jobsInRedis: await countJobs(db),
  };
}

async function runSize(kind: DbKind, devices: number, sampler: RssSampler): Promise<SweepRun[]> {
  const db = await createBenchDatabase(kind);
  const server = await startCustode(db);
  try {
    sampler.watch(`custode-${kind}`, server.child.pid);
    const org = await createOrgWithAls(server.base, ISTAT);
    // Steps fall due on the working day before today, so their send hour has passed whatever
    // the time of the run; the Comune's last sweep was the day before that.
    const calendar = new WorkingDayCalendar();
    const dueDay = calendar.previousWorkingDay(addDays(romeDate(new Date()), -1));
    const since = addDays(dueDay, -1);
    // Steps whose expiry is still ahead: a device past its expiry is no longer live.
    const steps = DEFAULT_STEPS.filter((s) => s >= 7);
    const now = Date.now();
    const writer = await openBulkWriter(db);
    const inventory = await seedInventory(writer, {
      organizationId: org.orgId,
      istatCode: ISTAT,
      devices,
      seed: SEED,
      samples: [],
      devicesOnly: true,
      batch: 20_000,
      expiryOf: (i, rng) => {
        // 1% due: every 100th device expires `step` days after the due day, at noon.
        if (i % 100 === 0) return romeInstant(addDays(dueDay, steps[(i / 100) % steps.length]!), 12);
        // The rest: expired long ago (10%) or beyond the longest step (90 days) by a margin.
        return rng.float() < 0.1
          ? new Date(now - (40 + rng.int(0, 360)) * DAY_MS)
          : new Date(now + (100 + rng.int(0, 1360)) * DAY_MS + rng.int(0, 86_399) * 1000);
      },
    });
    const sweepState = async () => {
      await writer.query('DELETE FROM reminder_sweeps');
      await writer.insert(
        'reminder_sweeps',
        ['organization_id', 'last_swept_on', 'last_run_at'],
        [[org.orgId, since, new Date(now - DAY_MS)]],
      );
    };
    await sweepState();
    if (kind === 'postgres') await writer.query('ANALYZE');
    console.log(
      `  ${kind}: ${devices.toLocaleString('en-US')} devices written in ${inventory.seconds.toFixed(1)} s; due day ${dueDay}, last sweep ${since}`,
    );

    const runs: SweepRun[] = [];
    const one = await sweepOnce(server, db, org.orgId);
    const rawRate = await rawAddBulk(db, Math.max(one.enqueued, 1000));
    runs.push({
      kind,
      devices,
      duePercent: 1,
      due: Math.ceil(devices / 100),
      ...one,
      rawAddBulkPerSec: rawRate,
      seedSeconds: inventory.seconds,
    });
    console.log(
      `  ${kind}: ${devices} devices, 1% due: sweep ${(one.sweepMs / 1000).toFixed(2)} s, ${one.ledgerRows} ledger rows, ${one.enqueued} jobs in ${(one.dispatchMs / 1000).toFixed(2)} s`,
    );

    // 0.1%: nine in ten of the due devices move beyond the ladder; ledger and queue start empty.
    const moved = inventory.ids.filter((_, i) => i % 100 === 0 && i % 1000 !== 0);
    const far = new Date(now + 1000 * DAY_MS);
    for (let i = 0; i < moved.length; i += 500) {
      const chunk = moved.slice(i, i + 500);
      const list = chunk.map((id) => `'${id}'`).join(', ');
      const value = kind === 'postgres' ? `'${far.toISOString()}'` : `'${far.toISOString().replace('T', ' ').replace('Z', '')}'`;
      await writer.query(`UPDATE devices SET expires_at = ${value} WHERE id IN (${list})`);
    }
    await writer.query('DELETE FROM reminders');
    await sweepState();
    await deleteRedisPrefix(`${db.env.REDIS_PREFIX}:notifications`);
    const tenth = await sweepOnce(server, db, org.orgId);
    runs.push({
      kind,
      devices,
      duePercent: 0.1,
      due: Math.ceil(devices / 1000),
      ...tenth,
      rawAddBulkPerSec: await rawAddBulk(db, Math.max(tenth.enqueued, 1000)),
      seedSeconds: inventory.seconds,
    });
    console.log(
      `  ${kind}: ${devices} devices, 0.1% due: sweep ${(tenth.sweepMs / 1000).toFixed(2)} s, ${tenth.ledgerRows} ledger rows, ${tenth.enqueued} jobs in ${(tenth.dispatchMs / 1000).toFixed(2)} s`,
    );
    await writer.close();
    sampler.sample();
    return runs;
  } finally {
    await server.stop();
    await db.drop();
  }
}

async function main(): Promise<void> {
  const sizes = listKnob('BENCH_SWEEP_SIZES', ['10000', '100000', '1000000']).map(Number);
  const kinds = listKnob('BENCH_SWEEP_DBS', ['postgres', 'sqlite']) as DbKind[];
  // One Comune on SQLite is the small box; bench:all keeps its million-device run for PostgreSQL.
  const sqliteSizes = listKnob('BENCH_SWEEP_SIZES_SQLITE', sizes.map(String)).map(Number);
  const sampler = new RssSampler().start();
  const runs: SweepRun[] = [];
  for (const kind of kinds) for (const size of kind === 'sqlite' ? sqliteSizes : sizes) runs.push(...(await runSize(kind, size, sampler)));
  const peaks = sampler.stop();
  const rows: Cell[][] = runs.map((r) => [
    r.kind,
    r.devices,
    `${r.duePercent}%`,
    r.devicesExamined,
    (r.sweepMs / 1000).toFixed(2),
    r.ledgerRows,
    r.enqueued,
    Math.round(r.enqueued / (r.dispatchMs / 1000)),
    Math.round(r.rawAddBulkPerSec),
    pct(r.enqueued / (r.dispatchMs / 1000) / r.rawAddBulkPerSec),
  ]);
  const targets: Target[] = kinds.flatMap((kind): Target[] => {
    const big = runs.filter((r) => r.kind === kind && r.devices === Math.max(...(kind === 'sqlite' ? sqliteSizes : sizes)));
    const one = big.find((r) => r.duePercent === 1);
    const tenth = big.find((r) => r.duePercent === 0.1);
    if (!one || !tenth || one.devices < 1_000_000) return [];
    return [
      { name: `sweep 1M devices, 1% due, s (${kind})`, value: one.sweepMs / 1000, target: '< 60', met: one.sweepMs < 60_000 },
      {
        name: `sweep 0.1% due / 1% due (${kind})`,
        value: tenth.sweepMs / one.sweepMs,
        target: '< 0.15',
        met: tenth.sweepMs / one.sweepMs < 0.15,
      },
    ];
  });
  for (const kind of kinds) {
    const peak = peaks[`custode-${kind}`] ?? null;
    targets.push({
      name: `peak RSS Custode (${kind}), MB`,
      value: (peak ?? 0) / 1024 / 1024,
      target: '< 400',
      met: peak !== null && peak < 400 * 1024 * 1024,
    });
  }
  emit({
    scenario: 'sweep',
    machine: machine(),
    params: { sizes, sqliteSizes, databases: kinds, seed: SEED, steps: DEFAULT_STEPS },
    tables: [
      {
        title: 'Sweep: one Comune, daily sweep from its last run; ledger rows then the outbox dispatcher to BullMQ',
        columns: [
          'database',
          'devices',
          'due',
          'devices read',
          'sweep s',
          'ledger rows',
          'jobs enqueued',
          'enqueue jobs/s',
          'raw addBulk jobs/s',
          'enqueue vs raw',
        ],
        rows,
      },
    ],
    targets,
    metrics: { runs, peakRss: peaks },
    notes: [
      `peak RSS: ${Object.entries(peaks)
        .map(([k, v]) => `${k} ${mb(v)}`)
        .join(', ')}`,
    ],
  });
}

if (require.main === module) runScenario(main);
