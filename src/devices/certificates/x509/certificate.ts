import { createHash, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { Asn1, children, contentBytes, decodeDer, isContext, isSequence, isUniversal, toDerBuffer } from './asn1';
import { classifyDer, decodeFirstElement } from './der-kind';
import { NameAttribute, readNameAttributes, toDistinguishedName } from './distinguished-name';
import { findFiscalCode } from './fiscal-code';
import { readKeyInfo } from './key-info';
import { certificateToPem } from './pem';
import { CertificateParseError, ParsedCertificate } from './x509.types';

/** What a parse yields and can cross a thread boundary (structured clone). */
export interface CertificateFields {
  parsed: ParsedCertificate;
  /** Hex of the subject and issuer Name DER, compared byte for byte to link issuers. */
  subjectKey: string;
  issuerKey: string;
}

/** A parsed certificate plus what bundling needs and callers must not see. */
export interface CertificateRecord extends CertificateFields {
  /** OpenSSL's reading, for linking issuers; made again from the DER when parsed in another thread. */
  x509(): X509Certificate;
}

/** A record for fields parsed elsewhere (a worker thread): OpenSSL reads the DER again only if asked. */
export function recordOf(fields: CertificateFields, der: Buffer): CertificateRecord {
  let x509: X509Certificate | undefined;
  return { ...fields, x509: () => (x509 ??= openX509(der)) };
}

interface TbsFields {
  serial: Asn1;
  issuer: Asn1;
  validity: Asn1;
  subject: Asn1;
}

const T = forge.asn1.Type;

function corrupt(message: string): CertificateParseError {
  return new CertificateParseError('TRUNCATED_OR_CORRUPT', message);
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }. */
export function readTbsFields(certificate: Asn1): TbsFields {
  const [tbs, algorithm, signature] = children(certificate);
  if (!isSequence(tbs) || !isSequence(algorithm) || !isUniversal(signature, T.BITSTRING)) {
    throw corrupt('The data is not an X.509 certificate.');
  }
  const fields = children(tbs);
  const offset = isContext(fields[0], 0) ? 1 : 0; // [0] EXPLICIT version, absent in v1
  const [serial, , issuer, validity, subject] = fields.slice(offset);
  if (!isUniversal(serial, T.INTEGER) || !isSequence(issuer) || !isSequence(validity) || !isSequence(subject)) {
    throw corrupt('The certificate is corrupt.');
  }
  return { serial, issuer, validity, subject };
}

/** `openssl x509 -serial` prints the magnitude, two hex digits per byte, `-` if negative. */
function serialHex(serial: Asn1): string {
  const bytes = contentBytes(serial);
  if (bytes.length === 0) return '00';
  if ((bytes[0] & 0x80) === 0) {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    return bytes.subarray(start).toString('hex');
  }
  const magnitude = (1n << BigInt(bytes.length * 8)) - BigInt(`0x${bytes.toString('hex')}`);
  const hex = magnitude.toString(16);
  return `-${hex.length % 2 === 0 ? hex : `0${hex}`}`;
}

/** UTCTime YYMMDDHHMM[SS]Z (YY < 50 is 20YY, RFC 5280) or GeneralizedTime YYYYMMDDHHMMSS[.f]Z. */
export function readTime(node: Asn1 | undefined): Date {
  if (node === undefined || typeof node.value !== 'string') throw corrupt('The certificate validity is corrupt.');
  const text = contentBytes(node).toString('latin1');
  const utc = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/;
  const generalized = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?Z$/;
  let parts: RegExpMatchArray | null = null;
  let year: number;
  if (isUniversal(node, T.UTCTIME) && (parts = utc.exec(text))) {
    const yy = Number(parts[1]);
    year = yy < 50 ? 2000 + yy : 1900 + yy;
  } else if (isUniversal(node, T.GENERALIZEDTIME) && (parts = generalized.exec(text))) {
    year = Number(parts[1]);
  } else {
    throw corrupt('The certificate validity is corrupt.');
  }
  const [, , month, day, hour, minute, second = '0', fraction = '0'] = parts;
  const ms = Number(`0.${fraction}`) * 1000;
  const date = new Date(Date.UTC(year, Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), ms));
  // Date.UTC maps years 0-99 to 1900-1999; set the year again so 0049 stays 0049.
  date.setUTCFullYear(year);
  if (Number.isNaN(date.getTime()) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
    throw corrupt('The certificate validity is corrupt.');
  }
  return date;
}

function openX509(der: Buffer): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch {
    throw corrupt('The certificate is truncated or corrupt.');
  }
}

function stripLeadingZeros(hex: string): string {
  return hex.toLowerCase().replace(/^(-?)0+(?=.)/, '$1');
}

/** `validFrom` looks like `Jan  1 00:00:00 2050 GMT`, which Date.parse reads. */
function sameSecond(date: Date, opensslText: string): boolean {
  return Math.floor(date.getTime() / 1000) === Math.floor(Date.parse(opensslText) / 1000);
}

/**
 * Two readers must agree on what the certificate says: OpenSSL (`X509Certificate`) and our reading
 * of forge's DER decoding. A disagreement means an encoding one of them reads differently (a
 * parser differential), which is refused rather than guessed.
 * - OpenSSL's serial and validity equal ours, and OpenSSL's fingerprint (the digest of the
 *   certificate as OpenSSL re-encodes it) equals the SHA-256 of the bytes we store;
 * - forge's ASN.1 tree re-encodes to exactly those bytes, so forge read every byte and read it
 *   as DER (a non-minimal length inside the TBS passes OpenSSL, whose fingerprint keeps the
 *   original TBS bytes, but not this comparison).
 * forge's own certificate reader (pki.certificateFromAsn1) is not asked: the stored fields are
 * ours, it only reads forge's same tree a third time, and it reads RSA keys only.
 */
function crossCheck(
  asn1: Asn1,
  der: Buffer,
  x509: X509Certificate,
  serial: string,
  notBefore: Date,
  notAfter: Date,
  fingerprint: string,
): void {
  const agree =
    stripLeadingZeros(x509.serialNumber) === stripLeadingZeros(serial) &&
    sameSecond(notBefore, x509.validFrom) &&
    sameSecond(notAfter, x509.validTo) &&
    x509.fingerprint256.replace(/:/g, '').toLowerCase() === fingerprint &&
    // Compared as binary strings, forge's own representation: no copy into a Buffer, no hash.
    forge.asn1.toDer(asn1).getBytes() === der.toString('binary');
  if (!agree) throw corrupt('The certificate is ambiguous: its fields decode differently in two readers.');
}

function isSelfSigned(x509: X509Certificate, subjectKey: string, issuerKey: string): boolean {
  if (subjectKey !== issuerKey) return false;
  try {
    return x509.verify(x509.publicKey);
  } catch {
    return false; // a signature algorithm OpenSSL cannot verify proves nothing
  }
}

/** Parses exactly one DER certificate (no trailing bytes); `asn1` when the caller decoded it already. */
export function parseCertificateDer(der: Buffer, asn1: Asn1 = decodeDer(der, 'certificate')): CertificateRecord {
  const fields = readTbsFields(asn1);
  const x509 = openX509(der);
  const serialNumber = serialHex(fields.serial);
  const [notBeforeNode, notAfterNode] = children(fields.validity);
  const notBefore = readTime(notBeforeNode);
  const notAfter = readTime(notAfterNode);
  const fingerprintSha256 = createHash('sha256').update(der).digest('hex');
  crossCheck(asn1, der, x509, serialNumber, notBefore, notAfter, fingerprintSha256);

  const subjectAttributes: NameAttribute[] = readNameAttributes(fields.subject);
  const subjectKey = toDerBuffer(fields.subject).toString('hex');
  const issuerKey = toDerBuffer(fields.issuer).toString('hex');
  const parsed: ParsedCertificate = {
    serialNumber,
    subject: toDistinguishedName(subjectAttributes),
    issuer: toDistinguishedName(readNameAttributes(fields.issuer)),
    notBefore,
    notAfter,
    fingerprintSha256,
    ...readKeyInfo(x509),
    isCa: x509.ca,
    selfSigned: isSelfSigned(x509, subjectKey, issuerKey),
    fiscalCode: findFiscalCode(subjectAttributes),
    pem: certificateToPem(der),
  };
  return { parsed, x509: () => x509, subjectKey, issuerKey };
}

/** A PEM certificate body may carry trailing bytes (OpenSSL's TRUSTED CERTIFICATE aux block). */
export function parseCertificateBlock(der: Buffer): CertificateRecord {
  const { asn1, der: exact } = decodeFirstElement(der);
  if (classifyDer(asn1) !== 'certificate') {
    throw new CertificateParseError('TRUNCATED_OR_CORRUPT', 'A CERTIFICATE block does not hold a certificate.');
  }
  return parseCertificateDer(exact, asn1);
}
