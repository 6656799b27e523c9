import forge from 'node-forge';
import { Asn1, children, decodeDer, isContext, isSequence, isUniversal, readDerHeader, smallUnsignedInteger } from './asn1';
import { isPfx } from './pkcs12-inspect';
import { CertificateParseError } from './x509.types';

export type DerKind = 'certificate' | 'csr' | 'private-key' | 'pkcs12' | 'unknown';

const T = forge.asn1.Type;
const SEQUENCE_TAG = 0x30;
/** Tags that open the first field of every structure we recognise (SEQUENCE, INTEGER, OID). */
const FIRST_FIELD_TAGS = new Set([0x30, 0x02, 0x06]);

/**
 * Cuts the first DER element out of a binary file and decodes it. The header is read first so a
 * file whose declared length runs past its end is reported as truncated, and bytes that are not
 * a SEQUENCE at all as unrecognised, before a full decoder sees them. Bytes after the element
 * (the aux block of OpenSSL's TRUSTED CERTIFICATE, padding) are ignored.
 */
export function decodeFirstElement(data: Buffer): { asn1: Asn1; der: Buffer } {
  const header = readDerHeader(data);
  if (header === null || header.tag !== SEQUENCE_TAG || !FIRST_FIELD_TAGS.has(data[header.headerLength]))
    throw new CertificateParseError('UNRECOGNIZED_FORMAT', 'The file is not a certificate, a PKCS#12 or a ZIP of them.');
  if (header.length === null) return { asn1: decodeDer(data), der: data }; // BER indefinite length: only PKCS#12 from some tools
  const end = header.headerLength + header.length;
  if (end > data.length)
    throw new CertificateParseError('TRUNCATED_OR_CORRUPT', 'The file is truncated: it ends before its own declared length.');
  const der = data.subarray(0, end);
  return { asn1: decodeDer(der), der };
}

function isSignedStructure(node: Asn1): boolean {
  const [body, algorithm, signature] = children(node);
  return isSequence(body) && isSequence(algorithm) && isUniversal(signature, T.BITSTRING);
}

/**
 * Certificate and CSR share { body, algorithm, signature }. A CSR body is { version INTEGER,
 * subject, subjectPKInfo, [0] attributes }; a certificate body starts with [0] version (v3) or
 * holds at least six fields (v1).
 */
function signedKind(node: Asn1): DerKind {
  const fields = children(children(node)[0]);
  if (isContext(fields[0], 0)) return 'certificate';
  if (fields.length === 4 && isUniversal(fields[0], T.INTEGER) && isContext(fields[3], 0)) return 'csr';
  return fields.length >= 6 ? 'certificate' : 'unknown';
}

/**
 * Private keys: PKCS#8 { version, algorithm, OCTET STRING }, EncryptedPrivateKeyInfo
 * { algorithm, OCTET STRING }, SEC1 EC { 1, OCTET STRING, ... }, PKCS#1 RSA and DSA
 * { 0, INTEGER x5 or more }.
 */
function isPrivateKey(node: Asn1): boolean {
  const fields = children(node);
  const version = smallUnsignedInteger(fields[0]);
  if (version === 0 || version === 1) {
    if (isUniversal(fields[1], T.OCTETSTRING)) return true;
    if (isSequence(fields[1]) && isUniversal(fields[2], T.OCTETSTRING)) return true;
    return fields.length >= 6 && fields.every((field) => isUniversal(field, T.INTEGER));
  }
  return fields.length === 2 && isSequence(fields[0]) && isUniversal(fields[1], T.OCTETSTRING);
}

export function classifyDer(node: Asn1): DerKind {
  if (!isSequence(node)) return 'unknown';
  if (isPfx(node)) return 'pkcs12';
  if (isSignedStructure(node)) return signedKind(node);
  return isPrivateKey(node) ? 'private-key' : 'unknown';
}
