/**
 * bench:import — RSA-2048 workstation certificates imported through the HTTP API in bundles of
 * 1,000 (POST /api/v1/orgs/:orgId/certificates/import), into SQLite then PostgreSQL: certificates
 * per second end to end, against the raw node-forge parse rate measured in the same run.
 */
import { runScenario } from './lib/run-scenario';
import { rawForgeRate } from './parse';
import { generateWorkstationCertificates, pemBundles } from './lib/certificates';
import { api, createOrgWithAls, startCustode } from './lib/custode';
import { DbKind, createBenchDatabase } from './lib/databases';
import { SEED, intKnob, listKnob } from './lib/knobs';
import forge from 'node-forge';
import { RssSampler, median, procCpuSeconds, procMemory } from './lib/measure';
import { Cell, emit, machine, mb, pct } from './lib/report';

const ISTAT = '058091';

interface RunResult {
  kind: DbKind;
  imported: number;
  seconds: number;
  perSecond: number;
  bundleMs: number[];
  serverPeakRss: number | null;
  /** CPU seconds Custode's process used per certificate imported (all its threads). */
  serverCpuPerCert: number | null;
}

/** CPU seconds per certificate of the raw forge loop in this process: the CPU-time limit. */
function forgeCpuPerCert(pems: readonly string[]): number {
  const started = process.cpuUsage();
  for (const pem of pems) forge.pki.certificateFromPem(pem);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1e6 / pems.length;
}

async function importInto(kind: DbKind, bundles: string[], expected: number, sampler: RssSampler): Promise<RunResult> {
  const db = await createBenchDatabase(kind);
  const server = await startCustode(db);
  try {
    sampler.watch(`custode-${kind}`, server.child.pid);
    const org = await createOrgWithAls(server.base, ISTAT);
    const bundleMs: number[] = [];
    let imported = 0;
    const cpuBefore = procCpuSeconds(server.child.pid);
    const started = performance.now();
    for (const [i, bundle] of bundles.entries()) {
      const form = new FormData();
      form.append('file', new Blob([bundle], { type: 'application/x-pem-file' }), `lotto-${String(i + 1).padStart(2, '0')}.pem`);
      form.append('kind', 'workstation_certificate');
      const t = performance.now();
      const res = await api<{ imported: number }>(server.base, 'POST', `/api/v1/orgs/${org.orgId}/certificates/import`, org.token, form);
      bundleMs.push(performance.now() - t);
      if (res.status !== 201) throw new Error(`import bundle ${i + 1} into ${kind}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
      imported += res.body.imported;
      console.log(
        `  ${kind}: bundle ${i + 1}/${bundles.length}: ${res.body.imported} devices in ${(bundleMs[i]! / 1000).toFixed(2)} s; Custode RSS ${mb(procMemory(server.child.pid)?.rss ?? null)}`,
      );
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = procCpuSeconds(server.child.pid);
    const serverCpuPerCert = cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / imported;
    if (imported !== expected) throw new Error(`${kind}: imported ${imported} of ${expected}`);
    sampler.sample();
    return {
      kind,
      imported,
      seconds,
      perSecond: imported / seconds,
      bundleMs,
      serverPeakRss: sampler.peak(`custode-${kind}`),
      serverCpuPerCert,
    };
  } finally {
    await server.stop();
    await db.drop();
  }
}

async function main(): Promise<void> {
  const count = intKnob('BENCH_IMPORT_CERTS', 10_000);
  const bundleSize = intKnob('BENCH_IMPORT_BUNDLE', 1000, 1, 1000);
  const kinds = listKnob('BENCH_IMPORT_DBS', ['sqlite', 'postgres']) as DbKind[];
  const sampler = new RssSampler().start();
  const set = generateWorkstationCertificates({ count, seed: SEED, istatCode: ISTAT });
  const bundles = pemBundles(set.pems, bundleSize);
  console.log(`generated ${count} RSA-2048 certificates in ${(set.generationMs / 1000).toFixed(1)} s`);

  // The limit, measured in this run: before and after the imports, so drift in load shows.
  const forgeRates = [await rawForgeRate(set.pems, 2)];
  const forgeCpu = [forgeCpuPerCert(set.pems)];
  const runs: RunResult[] = [];
  for (const kind of kinds) {
    runs.push(await importInto(kind, bundles, count, sampler));
    forgeRates.push(await rawForgeRate(set.pems, 2));
    forgeCpu.push(forgeCpuPerCert(set.pems));
  }
  const forgeRate = median(forgeRates);
  const forgeCpuMs = median(forgeCpu) * 1000;
  const cpuRatio = (r: RunResult) => (r.serverCpuPerCert === null ? null : forgeCpuMs / (r.serverCpuPerCert * 1000));
  const peaks = sampler.stop();
  const rows: Cell[][] = runs.map((r) => [
    r.kind,
    r.imported,
    `${bundles.length} × ${bundleSize}`,
    r.seconds.toFixed(1),
    Math.round(r.perSecond),
    pct(r.perSecond / forgeRate),
    `${(median(r.bundleMs) / 1000).toFixed(2)} s`,
    r.serverCpuPerCert === null ? null : (r.serverCpuPerCert * 1000).toFixed(3),
    pct(cpuRatio(r)),
    mb(r.serverPeakRss),
  ]);
  rows.push([
    'raw node-forge parse (limit)',
    count,
    '—',
    '—',
    Math.round(forgeRate),
    '100.0%',
    '—',
    forgeCpuMs.toFixed(3),
    '100.0%',
    mb(peaks.bench ?? null),
  ]);
  const sqlite = runs.find((r) => r.kind === 'sqlite');
  emit({
    scenario: 'import',
    machine: machine(),
    params: { certificates: count, bundleSize, databases: kinds, seed: SEED },
    tables: [
      {
        title: `Import: ${count.toLocaleString('en-US')} RSA-2048 workstation certificates over HTTP, bundles of ${bundleSize}`,
        columns: [
          'database',
          'certificates',
          'requests',
          'wall s',
          'certs/s',
          'vs raw forge',
          'median bundle',
          'CPU ms/cert',
          'CPU vs raw forge',
          'peak RSS (server)',
        ],
        rows,
      },
    ],
    targets: [
      {
        name: 'import on SQLite vs raw forge parse',
        value: sqlite ? sqlite.perSecond / forgeRate : null,
        target: '>= 0.50',
        met: sqlite ? sqlite.perSecond / forgeRate >= 0.5 : null,
      },
      ...runs.map((r) => ({
        name: `peak RSS Custode (${r.kind}), MB`,
        value: (r.serverPeakRss ?? 0) / 1024 / 1024,
        target: '< 400',
        met: (r.serverPeakRss ?? Infinity) < 400 * 1024 * 1024,
      })),
    ],
    metrics: {
      forgePerSec: forgeRate,
      forgeRates,
      forgeCpuMsPerCert: forgeCpuMs,
      runs: runs.map((r) => ({ ...r, ratioToForge: r.perSecond / forgeRate, cpuRatioToForge: cpuRatio(r) })),
      benchPeakRssBytes: peaks.bench ?? null,
    },
    notes: [
      `raw forge parse rate measured ${forgeRates.length} times in this run: ${forgeRates.map((r) => Math.round(r)).join(', ')} /s (median used)`,
      "CPU ms/cert: CPU time (user + system, all threads) of Custode's process during the import, per certificate, against the raw forge loop's CPU time in the bench process; it moves far less with the load of other processes than wall time",
    ],
  });
}

if (require.main === module) runScenario(main);
