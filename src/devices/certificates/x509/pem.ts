import { CertificateParseError } from './x509.types';

export type PemKind = 'certificate' | 'private-key' | 'csr' | 'other';

export interface PemBlock {
  kind: PemKind;
  der: Buffer;
}

const BEGIN = '-----BEGIN ';
const DASHES = '-----';
/** Labels are short upper-case words; anything longer is text that happens to contain dashes. */
const LABEL = /^[A-Z0-9][A-Z0-9 ]{0,40}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** True when the bytes hold at least one PEM armour line. */
export function looksLikePem(data: Buffer): boolean {
  return data.includes(BEGIN, 0, 'latin1');
}

function kindOf(label: string): PemKind {
  if (label === 'CERTIFICATE' || label === 'X509 CERTIFICATE' || label === 'TRUSTED CERTIFICATE') {
    return 'certificate';
  }
  if (label.endsWith('PRIVATE KEY')) return 'private-key';
  if (label === 'CERTIFICATE REQUEST' || label === 'NEW CERTIFICATE REQUEST') return 'csr';
  return 'other';
}

/**
 * Finds every PEM block in a text that may carry other text around it (mail bodies, `openssl
 * x509 -text` output) and CRLF line ends. A plain scanner rather than one regular expression:
 * a lazy `BEGIN(.*?)END` pattern goes quadratic on a file full of unterminated BEGIN lines.
 * Only certificate bodies are decoded; other blocks just report their kind, so a private key's
 * bytes are never even base64-decoded. Stops after `maxCertificates + 1` certificates.
 */
export function readPemBlocks(data: Buffer, maxCertificates: number): PemBlock[] {
  const text = data.toString('latin1');
  const blocks: PemBlock[] = [];
  let certificates = 0;
  let cursor = text.indexOf(BEGIN);
  while (cursor !== -1 && certificates <= maxCertificates) {
    const labelStart = cursor + BEGIN.length;
    const labelEnd = text.indexOf(DASHES, labelStart);
    const label = labelEnd === -1 ? '' : text.slice(labelStart, labelEnd);
    if (!LABEL.test(label)) {
      cursor = text.indexOf(BEGIN, labelStart);
      continue;
    }
    const bodyStart = labelEnd + DASHES.length;
    const endMarker = `-----END ${label}-----`;
    const bodyEnd = text.indexOf(endMarker, bodyStart);
    if (bodyEnd === -1) {
      throw new CertificateParseError('TRUNCATED_OR_CORRUPT', `The PEM block "${label}" has no END line: the file is truncated.`);
    }
    const kind = kindOf(label);
    if (kind === 'certificate') certificates++;
    blocks.push({
      kind,
      der: kind === 'certificate' ? decodeBody(text.slice(bodyStart, bodyEnd), label) : Buffer.alloc(0),
    });
    cursor = text.indexOf(BEGIN, bodyEnd + endMarker.length);
  }
  return blocks;
}

function decodeBody(body: string, label: string): Buffer {
  const base64 = body.replace(/[\r\n\t ]+/g, '');
  if (base64.length === 0 || base64.length % 4 !== 0 || !BASE64.test(base64)) {
    throw new CertificateParseError('TRUNCATED_OR_CORRUPT', `The PEM block "${label}" is not valid base64.`);
  }
  return Buffer.from(base64, 'base64');
}

/** Canonical PEM for a certificate: 64-column base64, LF line ends, trailing newline. */
export function certificateToPem(der: Buffer): string {
  const base64 = der.toString('base64');
  let body = '';
  for (let i = 0; i < base64.length; i += 64) body += `${base64.slice(i, i + 64)}\n`;
  return `-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n`;
}
