/**
 * bench:api — autocannon on Custode's read endpoints with 100,000 devices stored, beside a bare
 * Node `http` server that answers the same bytes from memory in the same run: the ratio is what
 * the framework, authentication and the database cost.
 */
import { runScenario } from './lib/run-scenario';
import { parseCertificateUpload, ParsedCertificate } from '../src/devices/certificates/x509';
import { openBulkWriter } from './lib/bulk';
import { generateWorkstationCertificates } from './lib/certificates';
import { forkChild } from './lib/children';
import { CommitProbeResult, commitProbe } from './lib/commit-probe';
import { api, createMembers, createOrgWithAls, expectStatus, startCustode } from './lib/custode';
import { DbKind, createBenchDatabase } from './lib/databases';
import { seedInventory } from './lib/inventory';
import { SEED, intKnob, listKnob } from './lib/knobs';
import { LoadResult, load } from './lib/load';
import { RssSampler, procCpuMs } from './lib/measure';
import { Cell, Target, emit, machine, mb, pct } from './lib/report';

const ISTAT = '015146';

/** A load run on Custode, with the CPU its process spent per request served. */
type CustodeLoad = LoadResult & { cpuMsPerRequest: number | null };

interface EndpointRun {
  kind: DbKind;
  endpoint: string;
  path: string;
  custode: CustodeLoad | null;
  bare: LoadResult | null;
  bodyBytes: number;
  /** The raw-driver commit loop shaped like a caller check (its limit), when this row is one. */
  probe?: CommitProbeResult;
  note?: string;
}

interface Endpoint {
  name: string;
  path: string;
  /** A POST body (the caller check); GET otherwise. */
  post?: object;
  tokens?: string[];
  p99TargetMs: number | null;
  /** Checks Custode's answer is the one meant (not an error page of the same size). */
  check: (body: unknown) => void;
  /** A per-minute rate limit counts these requests: the next run waits for a fresh window. */
  rateLimited?: boolean;
}

async function samples(): Promise<ParsedCertificate[]> {
  const set = generateWorkstationCertificates({ count: 16, seed: SEED, istatCode: ISTAT, keys: 2 });
  const out: ParsedCertificate[] = [];
  for (const pem of set.pems) out.push(...(await parseCertificateUpload({ data: Buffer.from(pem) })).bundles.map((b) => b.leaf));
  return out;
}

/**
 * The caller check (issue 7) an operator runs while a technician is on the phone: a known provider
 * with an intervention agreed for now, the caller names company and technician but no phrase, so
 * the answer is "unverifiable" (a phrase would be spent by the first check). Every check is recorded.
 */
async function callerCheck(base: string, org: Awaited<ReturnType<typeof createOrgWithAls>>): Promise<Endpoint> {
  const provider = await expectStatus<{ id: string; technicians: { id: string; fullName: string }[] }>(
    'provider',
    api(base, 'POST', `/api/v1/orgs/${org.orgId}/providers`, org.token, {
      name: 'Alfa Informatica S.r.l.',
      aliases: ['Alfa'],
      contractReference: 'Contratto di assistenza prot. 1234/2025',
      callbackPhone: '+39 02 1234567',
      callbackEmail: 'assistenza@alfa.example.it',
      verificationSource: 'Numero e indirizzo letti nel contratto firmato, confermati via PEC',
      technicians: ['Mario Rossi', 'Luca Bianchi'],
    }),
    201,
  );
  const now = Date.now();
  await expectStatus(
    'intervention',
    api(base, 'POST', `/api/v1/orgs/${org.orgId}/interventions`, org.token, {
      providerId: provider.id,
      technicianIds: [provider.technicians.find((t) => t.fullName === 'Mario Rossi')!.id],
      startsAt: new Date(now - 10 * 60_000).toISOString(),
      endsAt: new Date(now + 180 * 60_000).toISOString(),
      channel: 'remote',
      remoteTool: 'AnyDesk',
      purpose: 'Aggiornamento del software di anagrafe alla versione 5.2',
      agreedWith: 'Laura Verdi, responsabile assistenza',
    }),
    201,
  );
  return {
    name: 'caller check (POST, recorded)',
    path: `/api/v1/orgs/${org.orgId}/caller-checks`,
    post: { company: 'Alfa Informatica', technicianName: 'Mario Rossi' },
    tokens: await createMembers(base, org, 'operator', 10),
    p99TargetMs: 20,
    rateLimited: true,
    check: (body) => {
      if ((body as { outcome?: string }).outcome !== 'unverifiable')
        throw new Error(`caller check answered ${JSON.stringify(body).slice(0, 200)}`);
    },
  };
}

async function runFor(
  kind: DbKind,
  devices: number,
  connections: number,
  seconds: number,
  certs: ParsedCertificate[],
  sampler: RssSampler,
): Promise<{ runs: EndpointRun[]; seedSeconds: number; expiring: number }> {
  const db = await createBenchDatabase(kind);
  // The caller check is rate-limited per member and per Comune: at its highest settings, ten
  // operators share the load (10 × 1,000 checks a minute, the Comune's 10,000).
  const server = await startCustode(db, { CALLER_CHECK_RATE_PER_MINUTE: '1000', CALLER_CHECK_ORG_RATE_PER_MINUTE: '10000' });
  const bare = await forkChild<{ type: 'ready'; port: number }>('bench/lib/bare-main.ts', {}, 'bare');
  try {
    sampler.watch(`custode-${kind}`, server.child.pid);
    sampler.watch(`bare-${kind}`, bare.pid);
    const org = await createOrgWithAls(server.base, ISTAT);
    const writer = await openBulkWriter(db);
    const inventory = await seedInventory(writer, { organizationId: org.orgId, istatCode: ISTAT, devices, seed: SEED, samples: certs });
    // PostgreSQL's autovacuum would analyze a freshly loaded table within a minute; do it now.
    if (kind === 'postgres') await writer.query('ANALYZE');
    await writer.close();
    // The seeding left the keep-alive socket idle past the server's timeout: a GET (sent again if
    // the server closed it) opens a fresh one before the POSTs.
    await api(server.base, 'GET', '/health/live', null);
    console.log(
      `  ${kind}: ${inventory.rows.toLocaleString('en-US')} rows (${devices.toLocaleString('en-US')} devices, ${inventory.expiringWithin30Days} expiring within 30 days) written in ${inventory.seconds.toFixed(1)} s`,
    );

    const endpoints: Endpoint[] = [
      {
        name: 'device list, expiring within 30 days, limit 50',
        path: `/api/v1/orgs/${org.orgId}/devices?expiringWithinDays=30&limit=50`,
        p99TargetMs: 50,
        check: (body) => {
          const items = (body as { items?: unknown[] }).items;
          if (!Array.isArray(items) || items.length !== Math.min(50, inventory.expiringWithin30Days))
            throw new Error(`list answered ${items?.length} items`);
        },
      },
      {
        name: 'one device with its history',
        path: `/api/v1/orgs/${org.orgId}/devices/${inventory.historyDeviceId}`,
        p99TargetMs: null,
        check: (body) => {
          const history = (body as { history?: unknown[] }).history;
          if (!Array.isArray(history) || history.length < 10) throw new Error(`device answered ${history?.length} events`);
        },
      },
    ];
    endpoints.push(await callerCheck(server.base, org));
    const runs: EndpointRun[] = [];
    const only = process.env.BENCH_API_ONLY;
    const loadCustode = async (endpoint: Endpoint, clients: number, duration: number): Promise<CustodeLoad> => {
      const before = procCpuMs(server.child.pid);
      const result = await load(`${server.base}${endpoint.path}`, endpoint.tokens ?? org.token, clients, duration, endpoint.post);
      const after = procCpuMs(server.child.pid);
      const served = result.completed;
      return { ...result, cpuMsPerRequest: before !== null && after !== null && served > 0 ? (after - before) / served : null };
    };
    for (const endpoint of endpoints.filter((e) => !only || e.name.includes(only))) {
      const first = await api<unknown>(
        server.base,
        endpoint.post ? 'POST' : 'GET',
        endpoint.path,
        endpoint.tokens?.[0] ?? org.token,
        endpoint.post,
      );
      if (first.status !== 200) throw new Error(`${endpoint.name}: HTTP ${first.status} ${first.text.slice(0, 300)}`);
      endpoint.check(first.body);
      bare.proc.send({ type: 'body', path: endpoint.path, body: first.text });
      await new Promise<void>((resolve) => bare.proc.once('message', () => resolve()));
      console.log(`  ${kind}: ${endpoint.name}: ${connections} connections × ${seconds} s, Custode then the bare server`);
      const loadStarted = Date.now();
      const custode = await loadCustode(endpoint, connections, seconds);
      const limit = await load(`http://127.0.0.1:${bare.ready.port}${endpoint.path}`, null, connections, seconds, endpoint.post);
      runs.push({ kind, endpoint: endpoint.name, path: endpoint.path, custode, bare: limit, bodyBytes: Buffer.byteLength(first.text) });
      if (endpoint.p99TargetMs !== null) {
        // The Comune's caller checks of the last minute (10,000 at most) would answer 429.
        if (endpoint.rateLimited) {
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, loadStarted + 61_000 - Date.now())));
          // A minute idle costs the first requests after it (V8 let go of compiled code): warm up, unmeasured.
          await load(`${server.base}${endpoint.path}`, endpoint.tokens ?? org.token, 1, 1, endpoint.post);
        }
        // One connection: the service time alone, without the queue that 50 connections build.
        const single = await loadCustode(endpoint, 1, Math.min(5, seconds));
        runs.push({
          kind,
          endpoint: `${endpoint.name}, 1 connection`,
          path: endpoint.path,
          custode: single,
          bare: null,
          bodyBytes: Buffer.byteLength(first.text),
        });
      }
    }
    if (runs.some((r) => r.endpoint.startsWith('caller check'))) {
      // Custode is idle now: the same database's durable-commit rate through the raw driver, with
      // as many connections as Custode's pool (PostgreSQL) competing for one audit-chain head.
      const probe = await commitProbe(db, kind === 'postgres' ? 10 : 1, Math.min(5, seconds));
      runs.push({
        kind,
        endpoint: `durable chained commit, raw driver, ${probe.clients} connection${probe.clients > 1 ? 's' : ''} (the caller check's limit)`,
        path: '',
        custode: null,
        bare: null,
        bodyBytes: 0,
        probe,
      });
    }
    sampler.sample();
    return { runs, seedSeconds: inventory.seconds, expiring: inventory.expiringWithin30Days };
  } finally {
    await bare.stop();
    await server.stop();
    await db.drop();
  }
}

async function main(): Promise<void> {
  const devices = intKnob('BENCH_API_DEVICES', 100_000);
  const connections = intKnob('BENCH_API_CONNECTIONS', 50);
  const seconds = intKnob('BENCH_API_DURATION', 20);
  const kinds = listKnob('BENCH_API_DBS', ['sqlite', 'postgres']) as DbKind[];
  const sampler = new RssSampler().start();
  const certs = await samples();
  const all: EndpointRun[] = [];
  for (const kind of kinds) all.push(...(await runFor(kind, devices, connections, seconds, certs, sampler)).runs);
  const peaks = sampler.stop();
  const ms = (v: number | undefined) => (v === undefined ? '—' : `${v}`);
  const cpu = (r: EndpointRun) => (r.custode?.cpuMsPerRequest == null ? '—' : r.custode.cpuMsPerRequest.toFixed(2));
  const rowOf = (r: EndpointRun): Cell[] => {
    if (r.probe) return [r.kind, r.endpoint, Math.round(r.probe.perSecond), r.probe.p50, r.probe.p99, '—', '—', '—', '—', '—', 0];
    if (!r.custode) return [r.kind, r.endpoint, r.note ?? '—', '—', '—', '—', '—', '—', '—', '—', '—'];
    // The bare server's columns only where it ran beside this endpoint.
    const bare: Cell[] = r.bare
      ? [Math.round(r.bare.requestsPerSec), ms(r.bare.p99), pct(r.custode.requestsPerSec / r.bare.requestsPerSec)]
      : ['—', '—', '—'];
    return [
      r.kind,
      r.endpoint,
      Math.round(r.custode.requestsPerSec),
      ms(r.custode.p50),
      ms(r.custode.p99),
      cpu(r),
      ...bare,
      r.bodyBytes,
      r.custode.non2xx + r.custode.errors,
    ];
  };
  const rows: Cell[][] = all.map(rowOf);
  const list = (kind: DbKind) => all.find((r) => r.kind === kind && r.endpoint.startsWith('device list') && r.bare);
  const targets: Target[] = kinds.flatMap((kind): Target[] => {
    const r = list(kind);
    if (!r?.custode || !r.bare) return [];
    return [
      { name: `device list p99 ms (${kind})`, value: r.custode.p99, target: '< 50', met: r.custode.p99 < 50 },
      {
        name: `device list vs bare server (${kind})`,
        value: r.custode.requestsPerSec / r.bare.requestsPerSec,
        target: '>= 0.30',
        met: r.custode.requestsPerSec / r.bare.requestsPerSec >= 0.3,
      },
      {
        name: `peak RSS Custode (${kind}), MB`,
        value: (peaks[`custode-${kind}`] ?? 0) / 1024 / 1024,
        target: '< 400',
        met: (peaks[`custode-${kind}`] ?? Infinity) < 400 * 1024 * 1024,
      },
    ];
  });
  for (const r of all.filter((x) => x.endpoint.startsWith('caller check') && x.custode && x.bare)) {
    targets.push({ name: `caller check p99 ms (${r.kind})`, value: r.custode!.p99, target: '< 20', met: r.custode!.p99 < 20 });
  }
  emit({
    scenario: 'api',
    machine: machine(),
    params: { devices, connections, seconds, databases: kinds, seed: SEED },
    tables: [
      {
        title: `API: ${devices.toLocaleString('en-US')} devices stored, autocannon ${connections} connections × ${seconds} s per run`,
        columns: [
          'database',
          'endpoint',
          'Custode req/s',
          'p50 ms',
          'p99 ms',
          'CPU ms/req',
          'bare req/s',
          'bare p99 ms',
          'Custode / bare',
          'body bytes',
          'errors',
        ],
        rows,
      },
    ],
    targets,
    metrics: { runs: all, peakRss: peaks },
    notes: [
      `peak RSS: ${Object.entries(peaks)
        .map(([k, v]) => `${k} ${mb(v)}`)
        .join(', ')}`,
    ],
  });
}

if (require.main === module) runScenario(main);
