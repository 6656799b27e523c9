import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { inspectPkcs12 } from './pkcs12-inspect';
import { CertificateParseError, CertificateParseErrorCode } from './x509.types';

export interface Pkcs12WorkerRequest {
  der: Uint8Array;
  password: string | undefined;
  maxIterations: number;
}

export type Pkcs12WorkerResponse =
  { ok: true; certificates: Uint8Array[] } | { ok: false; code: CertificateParseErrorCode; message: string };

export interface Pkcs12Limits {
  maxPkcs12Iterations: number;
  pkcs12TimeoutMs: number;
}

/**
 * The worker is a sibling file with this module's own extension: `.js` in the compiled dist,
 * `.ts` under ts-jest, where the worker (a fresh isolate that jest's transform does not reach)
 * loads it through ts-node's transpile-only hook.
 */
const OWN_EXTENSION = extname(__filename);
const WORKER_FILE = join(__dirname, `pkcs12.worker${OWN_EXTENSION}`);
const WORKER_EXEC_ARGV = OWN_EXTENSION === '.ts' ? ['--require', 'ts-node/register/transpile-only'] : [];

/** Bounds a hostile file's memory use; a real PKCS#12 needs a few MB. */
const WORKER_RESOURCE_LIMITS = {
  maxOldGenerationSizeMb: 96,
  maxYoungGenerationSizeMb: 16,
  stackSizeMb: 4,
};

function corrupt(): CertificateParseError {
  return new CertificateParseError('TRUNCATED_OR_CORRUPT', 'The PKCS#12 file is truncated or corrupt.');
}

function runWorker(request: Pkcs12WorkerRequest, timeoutMs: number): Promise<Pkcs12WorkerResponse> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_FILE, {
      workerData: request,
      execArgv: WORKER_EXEC_ARGV,
      resourceLimits: WORKER_RESOURCE_LIMITS,
      stdout: true, // a library in the worker must not write to our logs
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(() => {
      settle(() => reject(new CertificateParseError('PKCS12_TIMEOUT', `Unpacking the PKCS#12 file took longer than ${timeoutMs} ms.`)));
    }, timeoutMs);
    worker.once('message', (response: Pkcs12WorkerResponse) => settle(() => resolve(response)));
    // Out-of-memory and crashes carry messages we do not control: replace them.
    worker.once('error', () => settle(() => reject(corrupt())));
    worker.once('exit', () => settle(() => reject(corrupt())));
  });
}

/**
 * Returns the DER of the certificates in a PKCS#12. The iteration counts are read and checked
 * here before any key derivation; the password-dependent work runs in a worker thread that is
 * terminated at the time limit, so a hostile file cannot block the event loop.
 */
export async function readPkcs12Certificates(der: Buffer, password: string | undefined, limits: Pkcs12Limits): Promise<Buffer[]> {
  inspectPkcs12(der, limits.maxPkcs12Iterations);
  const response = await runWorker(
    { der: new Uint8Array(der), password, maxIterations: limits.maxPkcs12Iterations },
    limits.pkcs12TimeoutMs,
  );
  if (!response.ok) throw new CertificateParseError(response.code, response.message);
  if (response.certificates.length === 0) {
    throw new CertificateParseError('PKCS12_NO_CERTIFICATE', 'The PKCS#12 file holds no certificate.');
  }
  return response.certificates.map((certificate) => Buffer.from(certificate));
}
