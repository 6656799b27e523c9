import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CertificateFields } from './certificate';
import { CertificateParseErrorCode } from './x509.types';

export interface ParsePoolRequest {
  id: number;
  ders: Uint8Array[];
}

export type ParsePoolResult = { ok: true; fields: CertificateFields } | { ok: false; code: CertificateParseErrorCode; message: string };

/** Files with fewer certificates are parsed on the calling thread: a worker round trip costs more. */
export const POOL_MIN_CERTIFICATES = 64;

/** One worker per core, two at most: the request's own thread only waits meanwhile. */
const POOL_SIZE = Math.max(1, Math.min(2, availableParallelism()));
/** Idle workers are ended: each holds an isolate and its heap. */
const IDLE_MS = 30_000;
/**
 * Parsing garbage (forge's ASN.1 trees, OpenSSL certificates held by their JavaScript wrappers)
 * stays in the worker's small heap, which is collected often, instead of growing the main heap.
 */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8, stackSizeMb: 4 };

/** As for the PKCS#12 worker: `.js` in dist, `.ts` under ts-jest through ts-node's hook. */
const OWN_EXTENSION = extname(__filename);
const WORKER_FILE = join(__dirname, `certificate.worker${OWN_EXTENSION}`);
const WORKER_EXEC_ARGV = OWN_EXTENSION === '.ts' ? ['--require', 'ts-node/register/transpile-only'] : [];

interface Pending {
  resolve(results: ParsePoolResult[]): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  idle: NodeJS.Timeout | null;
}

const slots: (Slot | null)[] = Array.from({ length: POOL_SIZE }, () => null);
let nextId = 0;

function slotAt(index: number): Slot {
  const existing = slots[index];
  if (existing) return existing;
  const worker = new Worker(WORKER_FILE, {
    execArgv: WORKER_EXEC_ARGV,
    resourceLimits: RESOURCE_LIMITS,
    stdout: true, // a library in the worker must not write to our logs
    stderr: true,
  });
  worker.stdout.resume();
  worker.stderr.resume();
  worker.unref(); // never what keeps the process alive
  const slot: Slot = { worker, pending: new Map(), idle: null };
  const fail = (): void => {
    if (slots[index] === slot) slots[index] = null;
    for (const pending of slot.pending.values()) pending.reject(new Error('certificate worker stopped'));
    slot.pending.clear();
    if (slot.idle) clearTimeout(slot.idle);
  };
  worker.on('message', (response: { id: number; results: ParsePoolResult[] }) => {
    const pending = slot.pending.get(response.id);
    slot.pending.delete(response.id);
    pending?.resolve(response.results);
    if (slot.pending.size === 0) {
      slot.idle = setTimeout(() => {
        fail();
        void worker.terminate();
      }, IDLE_MS);
      slot.idle.unref();
    }
  });
  worker.on('error', fail);
  worker.on('exit', fail);
  slots[index] = slot;
  return slot;
}

function run(index: number, ders: Buffer[]): Promise<ParsePoolResult[]> {
  const slot = slotAt(index);
  if (slot.idle) clearTimeout(slot.idle);
  slot.idle = null;
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    slot.pending.set(id, { resolve, reject });
    const request: ParsePoolRequest = { id, ders: ders.map((der) => new Uint8Array(der)) };
    slot.worker.postMessage(request);
  });
}

/**
 * Parses certificate blocks in the pool's worker threads, in file order, one contiguous share per
 * worker. Rejects when a worker stops (out of memory, crash): the caller parses on its own thread.
 */
export async function parseInPool(ders: Buffer[]): Promise<ParsePoolResult[]> {
  const share = Math.ceil(ders.length / POOL_SIZE);
  const parts = await Promise.all(
    Array.from({ length: Math.min(POOL_SIZE, ders.length) }, (_, i) => run(i, ders.slice(i * share, (i + 1) * share))),
  );
  return parts.flat();
}
