/**
 * bench:parse — certificates parsed per second by Custode's parser against the raw readers it is
 * built on (node-forge `pki.certificateFromPem`, node:crypto `X509Certificate`) on the same PEMs.
 */
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { parseCertificateUpload } from '../src/devices/certificates/x509';
import { generateWorkstationCertificates, pemBundles } from './lib/certificates';
import { intKnob, SEED } from './lib/knobs';
import { RssSampler, interleavedRounds } from './lib/measure';
import { emit, machine, mb, pct } from './lib/report';

export const PARSE_ISTAT = '058091';

export async function rawForgeRate(pems: readonly string[], rounds: number): Promise<number> {
  const [stats] = await interleavedRounds([{ name: 'forge', run: () => forgeLoop(pems) }], rounds);
  return stats!.median;
}

function forgeLoop(pems: readonly string[]): number {
  for (const pem of pems) forge.pki.certificateFromPem(pem);
  return pems.length;
}

async function main(): Promise<void> {
  const count = intKnob('BENCH_PARSE_CERTS', 10_000);
  const rounds = intKnob('BENCH_PARSE_ROUNDS', 3);
  const sampler = new RssSampler().start();
  const set = generateWorkstationCertificates({ count, seed: SEED, istatCode: PARSE_ISTAT });
  const buffers = set.pems.map((pem) => Buffer.from(pem));
  const bundles = pemBundles(set.pems, 1000).map((b) => Buffer.from(b));
  console.log(`generated ${count} RSA-2048 certificates in ${(set.generationMs / 1000).toFixed(1)} s; ${rounds} interleaved rounds each`);

  const stats = await interleavedRounds(
    [
      {
        name: 'Custode parseCertificateUpload, one PEM per call',
        run: async () => {
          for (const data of buffers) await parseCertificateUpload({ data, fileName: 'postazione.pem' });
          return count;
        },
      },
      {
        name: 'Custode parseCertificateUpload, bundles of 1,000',
        run: async () => {
          let n = 0;
          for (const data of bundles) n += (await parseCertificateUpload({ data, fileName: 'lotto.pem' })).bundles.length;
          if (n !== count) throw new Error(`parsed ${n} of ${count}`);
          return n;
        },
      },
      { name: 'node-forge pki.certificateFromPem', run: () => forgeLoop(set.pems) },
      {
        name: 'node:crypto new X509Certificate',
        run: () => {
          for (const pem of set.pems) new X509Certificate(pem);
          return count;
        },
      },
    ],
    rounds,
    (name, round, rate) => console.log(`  round ${round + 1}: ${name}: ${rate.toFixed(0)}/s`),
  );
  const peaks = sampler.stop();
  const [single, bundled, forgeStats, x509Stats] = stats as [(typeof stats)[0], (typeof stats)[0], (typeof stats)[0], (typeof stats)[0]];
  const rows = stats.map((s) => [
    s.name,
    Math.round(s.median),
    `${Math.round(Math.min(...s.rates))}–${Math.round(Math.max(...s.rates))}`,
    pct(s.median / forgeStats.median),
    pct(s.median / x509Stats.median),
  ]);
  emit({
    scenario: 'parse',
    machine: machine(),
    params: { certificates: count, rounds, seed: SEED, keyBits: 2048 },
    tables: [
      {
        title: `Parse: ${count.toLocaleString('en-US')} RSA-2048 PEMs, median of ${rounds} interleaved rounds`,
        columns: ['parser', 'certs/s', 'range', 'vs forge', 'vs X509Certificate'],
        rows,
      },
    ],
    // The parsers run in the bench process, beside ts-node, the certificate generator and the
    // PEMs in three forms: its memory is reported, not held to Custode's 400 MB target.
    targets: [{ name: 'peak RSS of the bench process, MB (info)', value: (peaks.bench ?? 0) / 1024 / 1024, target: 'n/a', met: null }],
    metrics: {
      custodeSinglePerSec: single.median,
      custodeBundledPerSec: bundled.median,
      forgePerSec: forgeStats.median,
      x509PerSec: x509Stats.median,
      custodeToForge: single.median / forgeStats.median,
      custodeBundledToForge: bundled.median / forgeStats.median,
      custodeToX509: single.median / x509Stats.median,
      peakRssBytes: peaks.bench ?? null,
      generationMs: set.generationMs,
    },
    notes: [`peak RSS of the bench process ${mb(peaks.bench ?? null)} (includes the generated certificates)`],
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
