/**
 * bench:metrics — what one `GET /metrics` scrape costs on PostgreSQL with 100,000 devices spread over
 * 100 Comuni (issue 6): Custode started twice on the same data, once computing on every scrape
 * (METRICS_CACHE_SECONDS=0) and once with the default cache, each scraped one after the other and
 * by 8 scrapers at once. Prints a table; writes nothing under docs/.
 *
 * Knobs: BENCH_METRICS_DEVICES (100000), BENCH_METRICS_ORGS (100), BENCH_METRICS_SCRAPES (30).
 */
import { randomUUID } from 'node:crypto';
import { openBulkWriter } from './lib/bulk';
import { CustodeServer, createOrgWithAls, startCustode } from './lib/custode';
import { createBenchDatabase } from './lib/databases';
import { seedInventory } from './lib/inventory';
import { SEED, intKnob } from './lib/knobs';
import { median } from './lib/measure';
import { renderText } from './lib/report';
import { runScenario } from './lib/run-scenario';

const DEVICES = intKnob('BENCH_METRICS_DEVICES', 100_000);
const ORGS = intKnob('BENCH_METRICS_ORGS', 100);
const SCRAPES = intKnob('BENCH_METRICS_SCRAPES', 30);
const CONCURRENT = 8;
const TOKEN = `bench-metrics-token-${randomUUID()}`;

async function scrape(server: CustodeServer): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${server.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const text = await res.text();
  if (res.status !== 200 || !text.includes('custode_devices{')) throw new Error(`scrape: ${res.status} ${text.slice(0, 200)}`);
  return performance.now() - started;
}

const p95 = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))]!;

/** Sequential scrapes (after 3 to warm up), then bursts of 8 at once: milliseconds. */
async function measure(server: CustodeServer): Promise<{ seq: number[]; burst: number[] }> {
  for (let i = 0; i < 3; i++) await scrape(server);
  const seq: number[] = [];
  for (let i = 0; i < SCRAPES; i++) seq.push(await scrape(server));
  const burst: number[] = [];
  for (let i = 0; i < Math.max(3, Math.round(SCRAPES / 3)); i++) {
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENT }, () => scrape(server)));
    burst.push(performance.now() - started);
  }
  return { seq, burst };
}

async function main(): Promise<void> {
  const db = await createBenchDatabase('postgres');
  try {
    let server = await startCustode(db, { METRICS_TOKEN: TOKEN, METRICS_CACHE_SECONDS: '0' });
    const first = await createOrgWithAls(server.base, '072006');
    const writer = await openBulkWriter(db);
    // The other Comuni straight into the table: only their devices matter here.
    const orgIds = [first.orgId];
    const now = new Date();
    const extra = Array.from({ length: ORGS - 1 }, (_, i) => {
      const id = randomUUID();
      orgIds.push(id);
      return [id, String(900_000 + i), `Comune di Banco ${i}`, null, {}, now, now, 1];
    });
    if (extra.length > 0)
      await writer.insert(
        'organizations',
        ['id', 'istat_code', 'name', 'province', 'settings', 'created_at', 'updated_at', 'version'],
        extra,
      );
    const started = performance.now();
    for (const [n, organizationId] of orgIds.entries()) {
      const devices = Math.floor(DEVICES / ORGS) + (n < DEVICES % ORGS ? 1 : 0);
      await seedInventory(writer, {
        organizationId,
        istatCode: String(800_000 + n),
        devices,
        seed: SEED + n,
        samples: [],
        devicesOnly: true,
      });
    }
    // What autovacuum leaves behind on a table that has settled: statistics and the visibility map.
    await writer.query('VACUUM ANALYZE');
    await writer.close();
    console.log(
      `  ${DEVICES.toLocaleString('en-US')} devices in ${ORGS} Comuni written in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const rows: (string | number)[][] = [];
    const record = (label: string, r: { seq: number[]; burst: number[] }) =>
      rows.push([label, median(r.seq).toFixed(1), p95(r.seq).toFixed(1), median(r.burst).toFixed(1)]);
    record('computed on every scrape (METRICS_CACHE_SECONDS=0)', await measure(server));
    await server.stop();
    server = await startCustode(db, { METRICS_TOKEN: TOKEN });
    record('default (METRICS_CACHE_SECONDS=30)', await measure(server));
    await server.stop();
    console.log(
      renderText({
        title: `GET /metrics, PostgreSQL, ${DEVICES.toLocaleString('en-US')} devices, ${ORGS} Comuni: ms`,
        columns: ['mode', `median of ${SCRAPES}`, 'p95', `${CONCURRENT} at once, wall (median)`],
        rows,
      }),
    );
  } finally {
    await db.drop();
  }
}

runScenario(main);
