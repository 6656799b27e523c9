import { parentPort, workerData } from 'node:worker_threads';
import { unpackPkcs12Certificates } from './pkcs12-unpack';
import { CertificateParseError } from './x509.types';
import type { Pkcs12WorkerRequest, Pkcs12WorkerResponse } from './pkcs12';

/**
 * Worker-thread entry: unpacks one PKCS#12 and posts back certificate DER only. Key bags are
 * never decrypted, and nothing but certificates and a fixed error text leave this thread: an
 * unexpected error's message is not forwarded, since a library message could quote its input.
 */
function run(request: Pkcs12WorkerRequest): Pkcs12WorkerResponse {
  try {
    const certificates = unpackPkcs12Certificates(Buffer.from(request.der), request.password, request.maxIterations);
    return { ok: true, certificates: certificates.map((der) => new Uint8Array(der)) };
  } catch (error) {
    if (error instanceof CertificateParseError) return { ok: false, code: error.code, message: error.message };
    return {
      ok: false,
      code: 'TRUNCATED_OR_CORRUPT',
      message: 'The PKCS#12 file is truncated or corrupt.',
    };
  }
}

parentPort?.postMessage(run(workerData as Pkcs12WorkerRequest));
