import forge from 'node-forge';
import { CertificateParseError } from './x509.types';

export type Asn1 = forge.asn1.Asn1;

/**
 * Certificates and PKCS#12 structures nest about 10 levels; forge's default limit is 256. A low
 * limit makes hostile nesting fail after a few dozen frames instead of walking deep recursion.
 */
const MAX_DEPTH = 40;

/** The options forge 1.4 accepts but its type definitions do not declare. */
interface FromDerOptions {
  strict: boolean;
  parseAllBytes: boolean;
  decodeBitStrings: boolean;
  maxDepth: number;
}
const fromDer = forge.asn1.fromDer as unknown as (bytes: string, options: FromDerOptions) => Asn1;

/**
 * Decodes one complete ASN.1 element. BIT STRING contents are decoded too (forge's default)
 * because forge's own certificate reader expects them decoded.
 */
export function decodeDer(der: Buffer, what = 'ASN.1 data'): Asn1 {
  try {
    return fromDer(der.toString('binary'), {
      strict: true,
      parseAllBytes: true,
      decodeBitStrings: true,
      maxDepth: MAX_DEPTH,
    });
  } catch {
    throw new CertificateParseError('TRUNCATED_OR_CORRUPT', `The ${what} is truncated or corrupt.`);
  }
}

export interface DerHeader {
  tag: number;
  headerLength: number;
  /** Content length; null for BER indefinite length. */
  length: number | null;
}

/**
 * Reads a tag and length without trusting them; null when they cannot be a valid header.
 * Used to tell a truncated file from garbage before handing anything to a full decoder.
 */
export function readDerHeader(data: Buffer, offset = 0): DerHeader | null {
  if (data.length < offset + 2) return null;
  const tag = data[offset];
  if ((tag & 0x1f) === 0x1f) return null; // multi-byte tags never occur in the structures we read
  const first = data[offset + 1];
  if (first < 0x80) return { tag, headerLength: 2, length: first };
  if (first === 0x80) return { tag, headerLength: 2, length: null };
  const lengthBytes = first & 0x7f;
  // Four length bytes already allow 4 GiB, far past any upload limit.
  if (lengthBytes > 4 || data.length < offset + 2 + lengthBytes) return null;
  let length = 0;
  for (let i = 0; i < lengthBytes; i++) length = length * 256 + data[offset + 2 + i];
  return { tag, headerLength: 2 + lengthBytes, length };
}

export function children(node: Asn1 | undefined): Asn1[] {
  return node && Array.isArray(node.value) ? node.value : [];
}

export function isUniversal(node: Asn1 | undefined, type: number): node is Asn1 {
  return node !== undefined && node.tagClass === forge.asn1.Class.UNIVERSAL && node.type === type;
}

export function isContext(node: Asn1 | undefined, tagNumber: number): node is Asn1 {
  return node !== undefined && node.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && node.type === tagNumber;
}

export function isSequence(node: Asn1 | undefined): node is Asn1 {
  return isUniversal(node, forge.asn1.Type.SEQUENCE) && Array.isArray(node.value);
}

export function oidOf(node: Asn1 | undefined): string | null {
  if (!isUniversal(node, forge.asn1.Type.OID) || typeof node.value !== 'string') return null;
  try {
    return forge.asn1.derToOid(node.value);
  } catch {
    return null;
  }
}

/**
 * Content bytes of a primitive element, or the concatenated chunks of a BER constructed string
 * (Java and Windows write PKCS#12 OCTET STRINGs in chunks). Not for BIT STRINGs.
 */
export function contentBytes(node: Asn1): Buffer {
  if (typeof node.value === 'string') return Buffer.from(node.value, 'binary');
  return Buffer.concat(node.value.map((chunk) => contentBytes(chunk)));
}

/** A non-negative INTEGER as a number; Infinity past 2^48 (callers only compare it to limits). */
export function smallUnsignedInteger(node: Asn1 | undefined): number | null {
  if (!isUniversal(node, forge.asn1.Type.INTEGER) || typeof node.value !== 'string') return null;
  const bytes = contentBytes(node);
  if (bytes.length === 0 || (bytes[0] & 0x80) !== 0) return null;
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  if (bytes.length - start > 6) return Number.POSITIVE_INFINITY;
  return bytes.subarray(start).reduce((value, byte) => value * 256 + byte, 0);
}

export function toDerBuffer(node: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}
