import { parentPort } from 'node:worker_threads';
import { parseCertificateBlock } from './certificate';
import type { ParsePoolRequest, ParsePoolResult } from './parse-pool';
import { CertificateParseError } from './x509.types';

/**
 * Worker-thread entry of the parse pool: parses certificate blocks and posts back their fields
 * (public data only) or the parser's error. An unexpected error's message is not forwarded, since
 * a library message could quote its input.
 */
function parse(der: Uint8Array): ParsePoolResult {
  try {
    const { parsed, subjectKey, issuerKey } = parseCertificateBlock(Buffer.from(der.buffer, der.byteOffset, der.byteLength));
    return { ok: true, fields: { parsed, subjectKey, issuerKey } };
  } catch (error) {
    if (error instanceof CertificateParseError) return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: 'TRUNCATED_OR_CORRUPT', message: 'The file could not be read.' }; // as toUploadError says it
  }
}

parentPort?.on('message', (request: ParsePoolRequest) => {
  parentPort?.postMessage({ id: request.id, results: request.ders.map(parse) });
});
