import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

export const PDF_MEDIA_TYPE = 'application/pdf';
const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

export type PdfVerdict =
  { ok: true; pages: number } | { ok: false; reason: 'not_pdf' | 'unreadable' | 'encrypted' | 'no_pages' | 'timeout' };

/**
 * The worker is a sibling file with this module's own extension: `.js` in the compiled dist, `.ts`
 * under ts-jest, where the worker (an isolate jest's transform does not reach) loads it through
 * ts-node's transpile-only hook. Same arrangement as the PKCS#12 worker of the x509 library.
 */
const OWN_EXTENSION = extname(__filename);
const WORKER_FILE = join(__dirname, `pdf-check.worker${OWN_EXTENSION}`);
const WORKER_EXEC_ARGV = OWN_EXTENSION === '.ts' ? ['--require', 'ts-node/register/transpile-only'] : [];
/** A hostile file must not take the process's memory or time. */
const WORKER_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 };
const DEFAULT_TIMEOUT_MS = 20_000;

/**
 * Whether `content` is a PDF a person can open: it starts with the `%PDF-` header and Mozilla's
 * pdf.js (through pdf-parse) reads its structure and finds at least one page. The file name and the
 * declared media type are never trusted. A password-protected act is refused: nobody could read it
 * back from the register. Parsing runs in a worker thread, killed at the time limit.
 */
export async function checkPdf(content: Buffer, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<PdfVerdict> {
  if (content.length < PDF_MAGIC.length || !content.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) {
    return { ok: false, reason: 'not_pdf' };
  }
  return new Promise<PdfVerdict>((resolve) => {
    const worker = new Worker(WORKER_FILE, {
      // A copy: the caller keeps its buffer intact.
      workerData: new Uint8Array(content),
      execArgv: WORKER_EXEC_ARGV,
      resourceLimits: WORKER_RESOURCE_LIMITS,
      stdout: true, // pdf.js must not write to our logs
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    let settled = false;
    const settle = (verdict: PdfVerdict): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(verdict);
    };
    const timer = setTimeout(() => settle({ ok: false, reason: 'timeout' }), timeoutMs);
    worker.once('message', (verdict: PdfVerdict) => settle(verdict));
    // Out of memory or a crash on a hostile file: not a readable PDF.
    worker.once('error', () => settle({ ok: false, reason: 'unreadable' }));
    worker.once('exit', () => settle({ ok: false, reason: 'unreadable' }));
  });
}
