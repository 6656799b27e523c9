import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { CertificateParseError, CertificateParseErrorCode } from './x509.types';

/**
 * ZIP reading with yauzl: maintained for a decade, no native code, one small dependency. It
 * reads the central directory first, so entry count, names and declared sizes are checked
 * before a byte is inflated, and with `validateEntrySizes` it stops a stream that inflates past
 * its declared size (a lying header). fflate's unzipSync inflates every entry up front, and
 * adm-zip trusts the headers, so neither could enforce the limits below as cheaply.
 */

export interface ZipLimits {
  maxZipEntries: number;
  maxZipUncompressedBytes: number;
  /** Largest single entry read. */
  maxFileBytes: number;
}

export interface ZipEntryResult {
  name: string;
  data?: Buffer;
  error?: { code: CertificateParseErrorCode; message: string };
}

const ZIP_SIGNATURES = [Buffer.from('504b0304', 'hex'), Buffer.from('504b0506', 'hex')];

export function looksLikeZip(data: Buffer): boolean {
  return ZIP_SIGNATURES.some((signature) => data.subarray(0, 4).equals(signature));
}

/** Folders and the resource forks macOS adds to archives it makes carry no certificates. */
function isNoise(name: string): boolean {
  return name.endsWith('/') || name.startsWith('__MACOSX/') || /(^|\/)\._/.test(name);
}

function unsafeNameReason(name: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(name)) return 'control characters';
  return yauzl.validateFileName(name) === null ? null : 'a path that leaves the archive';
}

async function readAll(stream: Readable, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) {
      stream.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function openZip(data: Buffer): Promise<yauzl.ZipFile> {
  try {
    // decodeStrings: false so one bad name fails its entry, not the whole archive.
    return await yauzl.fromBufferPromise(data, {
      lazyEntries: true,
      decodeStrings: false,
      validateEntrySizes: true,
      autoClose: false,
    });
  } catch {
    throw new CertificateParseError('TRUNCATED_OR_CORRUPT', 'The ZIP archive is truncated or corrupt.');
  }
}

async function listEntries(zip: yauzl.ZipFile, limits: ZipLimits): Promise<yauzl.Entry[]> {
  if (zip.entryCount > limits.maxZipEntries) {
    throw new CertificateParseError(
      'ZIP_TOO_LARGE',
      `The ZIP archive has ${zip.entryCount} entries; at most ${limits.maxZipEntries} are read.`,
    );
  }
  const entries: yauzl.Entry[] = [];
  let declared = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      declared += entry.uncompressedSize;
      if (declared > limits.maxZipUncompressedBytes) {
        throw new CertificateParseError('ZIP_TOO_LARGE', `The ZIP archive expands past ${limits.maxZipUncompressedBytes} bytes.`);
      }
      entries.push(entry);
    }
  } catch (error) {
    if (error instanceof CertificateParseError) throw error;
    throw new CertificateParseError('TRUNCATED_OR_CORRUPT', 'The ZIP archive is truncated or corrupt.');
  }
  return entries;
}

async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string, limits: ZipLimits): Promise<ZipEntryResult> {
  const unsafe = unsafeNameReason(name);
  if (unsafe !== null)
    return {
      name,
      error: {
        code: 'ZIP_UNSAFE_ENTRY',
        message: `The entry name has ${unsafe}; it was not read.`,
      },
    };
  if (entry.isEncrypted())
    return {
      name,
      error: { code: 'UNRECOGNIZED_FORMAT', message: 'Encrypted ZIP entries are not supported.' },
    };
  const tooLarge = {
    name,
    error: {
      code: 'FILE_TOO_LARGE' as const,
      message: `The entry is larger than ${limits.maxFileBytes} bytes.`,
    },
  };
  if (entry.uncompressedSize > limits.maxFileBytes) return tooLarge;
  try {
    const data = await readAll(await zip.openReadStreamPromise(entry), limits.maxFileBytes);
    return data === null ? tooLarge : { name, data };
  } catch {
    return {
      name,
      error: { code: 'TRUNCATED_OR_CORRUPT', message: 'The entry is truncated or corrupt.' },
    };
  }
}

/**
 * Reads every file entry of a ZIP held in memory. Archive-wide limits (entry count, total
 * declared size) throw before anything is inflated; a problem with one entry is reported on
 * that entry so the others still load.
 */
export async function readZipEntries(data: Buffer, limits: ZipLimits): Promise<ZipEntryResult[]> {
  const zip = await openZip(data);
  try {
    const results: ZipEntryResult[] = [];
    for (const entry of await listEntries(zip, limits)) {
      // Entry names are raw bytes here (decodeStrings: false); yauzl decodes them its usual way.
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      if (!isNoise(name)) results.push(await readEntry(zip, entry, name, limits));
    }
    return results;
  } finally {
    zip.close();
  }
}
