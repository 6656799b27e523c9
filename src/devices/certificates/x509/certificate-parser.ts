import { posix } from 'node:path';
import { groupIntoBundles } from './bundle';
import { CertificateRecord, parseCertificateBlock, recordOf } from './certificate';
import { classifyDer, decodeFirstElement } from './der-kind';
import { parseInPool, ParsePoolResult, POOL_MIN_CERTIFICATES } from './parse-pool';
import { looksLikePem, readPemBlocks } from './pem';
import { readPkcs12Certificates } from './pkcs12';
import {
  CertificateBundle,
  CertificateParseError,
  CertificateUploadError,
  CertificateUploadInput,
  CertificateUploadResult,
  DEFAULT_PARSE_LIMITS,
  ParseLimits,
} from './x509.types';
import { looksLikeZip, readZipEntries } from './zip';

const NOT_A_CERTIFICATE = 'The file is not a certificate, a PKCS#12 or a ZIP of them.';

/** Text without control characters: the password list or read-me of an ANPR "download all" ZIP. */
function isPlainText(data: Buffer): boolean {
  return data.every((byte) => (byte >= 0x20 ? byte !== 0x7f : byte === 0x09 || byte === 0x0a || byte === 0x0d));
}

/** Tab, LF, CR, space and (Latin-1) no-break space: what an empty text file may hold. */
const BLANK_BYTES: ReadonlySet<number> = new Set([0x09, 0x0a, 0x0d, 0x20, 0xa0]);

/** No bytes, or only blanks: stops at the first other byte instead of reading the whole upload. */
function isBlank(data: Buffer): boolean {
  for (const byte of data) if (!BLANK_BYTES.has(byte)) return false;
  return true;
}

function fromPem(data: Buffer, limits: ParseLimits): Buffer[] {
  const blocks = readPemBlocks(data, limits.maxCertificatesPerFile);
  const certificates = blocks.filter((block) => block.kind === 'certificate').map((block) => block.der);
  if (certificates.length > 0) return certificates;
  if (blocks.some((block) => block.kind === 'private-key')) {
    throw new CertificateParseError(
      'PRIVATE_KEY_NOT_CERTIFICATE',
      'The file holds a private key, not a certificate. Upload the certificate only.',
    );
  }
  if (blocks.some((block) => block.kind === 'csr')) {
    throw new CertificateParseError('CSR_NOT_CERTIFICATE', 'The file is a certificate signing request, not a certificate.');
  }
  throw new CertificateParseError('UNRECOGNIZED_FORMAT', NOT_A_CERTIFICATE);
}

async function fromBinary(data: Buffer, password: string | undefined, limits: ParseLimits): Promise<Buffer[]> {
  const { asn1, der } = decodeFirstElement(data);
  switch (classifyDer(asn1)) {
    case 'certificate':
      return [der];
    case 'pkcs12':
      return readPkcs12Certificates(der, password, limits);
    case 'private-key':
      throw new CertificateParseError(
        'PRIVATE_KEY_NOT_CERTIFICATE',
        'The file holds a private key, not a certificate. Upload the certificate only.',
      );
    case 'csr':
      throw new CertificateParseError('CSR_NOT_CERTIFICATE', 'The file is a certificate signing request, not a certificate.');
    default:
      throw new CertificateParseError('UNRECOGNIZED_FORMAT', NOT_A_CERTIFICATE);
  }
}

/**
 * Parses a file's certificate blocks, in the pool's worker threads for a bulk file. Errors are
 * the same either way: the first failing block in file order throws.
 */
async function parseBlocks(ders: Buffer[]): Promise<CertificateRecord[]> {
  if (ders.length < POOL_MIN_CERTIFICATES) return ders.map(parseCertificateBlock);
  let results: ParsePoolResult[];
  try {
    results = await parseInPool(ders);
  } catch {
    return ders.map(parseCertificateBlock); // a worker stopped: parse here, as for a small file
  }
  return results.map((result, i) => {
    if (!result.ok) throw new CertificateParseError(result.code, result.message);
    return recordOf(result.fields, ders[i]);
  });
}

/** One file, format told by content: PEM (any number of certificates), DER or PKCS#12. */
async function parseFile(data: Buffer, source: string, password: string | undefined, limits: ParseLimits): Promise<CertificateBundle[]> {
  if (isBlank(data)) {
    throw new CertificateParseError('EMPTY_FILE', 'The file is empty.');
  }
  if (data.length > limits.maxFileBytes) {
    throw new CertificateParseError('FILE_TOO_LARGE', `The file is larger than ${limits.maxFileBytes} bytes.`);
  }
  const certificates = looksLikePem(data) ? fromPem(data, limits) : await fromBinary(data, password, limits);
  if (certificates.length > limits.maxCertificatesPerFile) {
    throw new CertificateParseError('TOO_MANY_CERTIFICATES', `The file holds more than ${limits.maxCertificatesPerFile} certificates.`);
  }
  return groupIntoBundles(await parseBlocks(certificates), source);
}

/** Unexpected errors are replaced: their messages are not ours and could quote the input. */
function toUploadError(source: string, error: unknown): CertificateUploadError {
  if (error instanceof CertificateParseError) return { source, code: error.code, message: error.message };
  return { source, code: 'TRUNCATED_OR_CORRUPT', message: 'The file could not be read.' };
}

function passwordFor(name: string, input: CertificateUploadInput): string | undefined {
  return input.passwordMap?.[name] ?? input.passwordMap?.[posix.basename(name)] ?? input.password;
}

/**
 * A ZIP such as the ANPR console's "download all": each entry is parsed on its own, with its
 * password from `passwordMap` or else the common one. An entry that fails is reported in
 * `errors` and the others still load. Text entries without PEM (the password list) are skipped.
 */
async function parseZip(input: CertificateUploadInput, limits: ParseLimits): Promise<CertificateUploadResult> {
  const result: CertificateUploadResult = { bundles: [], errors: [] };
  let candidates = 0;
  for (const entry of await readZipEntries(input.data, limits)) {
    if (entry.data !== undefined && isPlainText(entry.data) && !looksLikePem(entry.data)) continue;
    candidates++;
    try {
      if (entry.error) throw new CertificateParseError(entry.error.code, entry.error.message);
      const data = entry.data ?? Buffer.alloc(0);
      if (looksLikeZip(data)) throw new CertificateParseError('ZIP_UNSAFE_ENTRY', 'Archives inside the archive are not opened.');
      result.bundles.push(...(await parseFile(data, entry.name, passwordFor(entry.name, input), limits)));
    } catch (error) {
      result.errors.push(toUploadError(entry.name, error));
    }
  }
  if (candidates === 0) throw new CertificateParseError('ZIP_EMPTY', 'The ZIP archive holds no certificate files.');
  return result;
}

/**
 * Parses an uploaded certificate file: PEM, DER, PKCS#12 or a ZIP of them. A single file that
 * cannot be read throws CertificateParseError; a ZIP reports its failed entries in `errors`.
 * The password is used in memory only and never appears in an error.
 */
export async function parseCertificateUpload(
  input: CertificateUploadInput,
  limits: Partial<ParseLimits> = {},
): Promise<CertificateUploadResult> {
  const effective: ParseLimits = { ...DEFAULT_PARSE_LIMITS, ...limits };
  const source = input.fileName ?? 'upload';
  try {
    if (looksLikeZip(input.data)) {
      // The archive itself is bounded by what it may expand to; each entry by maxFileBytes.
      if (input.data.length > effective.maxZipUncompressedBytes) {
        throw new CertificateParseError('ZIP_TOO_LARGE', `The ZIP archive is larger than ${effective.maxZipUncompressedBytes} bytes.`);
      }
      return await parseZip(input, effective);
    }
    return { bundles: await parseFile(input.data, source, input.password, effective), errors: [] };
  } catch (error) {
    if (error instanceof CertificateParseError) throw error;
    const { code, message } = toUploadError(source, error);
    throw new CertificateParseError(code, message);
  }
}
