import { parentPort, workerData } from 'node:worker_threads';
import { PDFParse } from 'pdf-parse';
import type { PdfVerdict } from './pdf-check';

/**
 * Worker-thread entry: parses one upload with pdf.js and posts back a verdict, nothing else (a
 * library message could quote its input). pdf.js loads its own "fake worker" with a dynamic
 * import, which is one more reason to run it here, in a plain Node isolate.
 */
async function run(data: Uint8Array): Promise<PdfVerdict> {
  const parser = new PDFParse({ data, verbosity: 0 });
  try {
    const info = await parser.getInfo();
    return info.total >= 1 ? { ok: true, pages: info.total } : { ok: false, reason: 'no_pages' };
  } catch (error) {
    return { ok: false, reason: (error as { name?: unknown }).name === 'PasswordException' ? 'encrypted' : 'unreadable' };
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

void run(workerData as Uint8Array).then((verdict) => parentPort?.postMessage(verdict));
