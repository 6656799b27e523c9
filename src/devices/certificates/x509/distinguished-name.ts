import forge from 'node-forge';
import { Asn1, children, contentBytes, oidOf, toDerBuffer } from './asn1';
import { DistinguishedName } from './x509.types';

export interface NameAttribute {
  oid: string;
  /** Decoded string value; null for a type that is not a character string. */
  value: string | null;
  /** Index of the RDN (SET) the attribute belongs to, for multi-valued RDNs. */
  rdn: number;
  /** DER of the value, printed as `#hex` when the value is not a string. */
  der: Buffer;
}

/** OpenSSL's short names, so `text` reads like `openssl x509 -nameopt RFC2253` prints it. */
const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.13': 'description',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.41': 'name',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.45': 'x500UniqueIdentifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.72': 'role',
  '2.5.4.97': 'organizationIdentifier',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};

const OID = {
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  country: '2.5.4.6',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
};

const T = forge.asn1.Type;

function decodeString(node: Asn1): string | null {
  if (typeof node.value !== 'string' || node.tagClass !== forge.asn1.Class.UNIVERSAL) return null;
  const bytes = contentBytes(node);
  switch (node.type as number) {
    case T.UTF8:
      return bytes.toString('utf8');
    case 18: // NumericString
    case T.PRINTABLESTRING:
    case T.IA5STRING:
    case 26: // VisibleString
    case 20: // TeletexString: OpenSSL reads it as Latin-1, and so do we
      return bytes.toString('latin1');
    case T.BMPSTRING:
      return bytes.length % 2 === 0 ? Buffer.from(bytes).swap16().toString('utf16le') : null;
    case 28: // UniversalString (UTF-32BE)
      return decodeUtf32(bytes);
    default:
      return null;
  }
}

function decodeUtf32(bytes: Buffer): string | null {
  if (bytes.length % 4 !== 0) return null;
  const codePoints: number[] = [];
  for (let i = 0; i < bytes.length; i += 4) {
    const codePoint = bytes.readUInt32BE(i);
    if (codePoint > 0x10ffff) return null;
    codePoints.push(codePoint);
  }
  return String.fromCodePoint(...codePoints);
}

/** Flattens a Name (SEQUENCE OF SET OF AttributeTypeAndValue) in certificate order. */
export function readNameAttributes(name: Asn1): NameAttribute[] {
  const attributes: NameAttribute[] = [];
  children(name).forEach((rdn, index) => {
    for (const pair of children(rdn)) {
      const [type, value] = children(pair);
      const oid = oidOf(type);
      if (oid === null || value === undefined) continue;
      attributes.push({ oid, value: decodeString(value), rdn: index, der: toDerBuffer(value) });
    }
  });
  return attributes;
}

/** RFC 4514 section 2.4 escaping, with OpenSSL's choice of `\XX` for control characters. */
function escapeValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) out += `\\${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (',+"\\<>;'.includes(ch)) out += `\\${ch}`;
    else if ((ch === '#' || ch === ' ') && i === 0) out += `\\${ch}`;
    else if (ch === ' ' && i === value.length - 1) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

function formatAttribute(attribute: NameAttribute): string {
  const name = SHORT_NAMES[attribute.oid];
  if (name === undefined || attribute.value === null) {
    return `${name ?? attribute.oid}=#${attribute.der.toString('hex').toUpperCase()}`;
  }
  return `${name}=${escapeValue(attribute.value)}`;
}

/** Most specific RDN first, `+` inside a multi-valued RDN (OpenSSL reverses those too). */
export function formatRfc4514(attributes: NameAttribute[]): string {
  let text = '';
  for (let i = attributes.length - 1; i >= 0; i--) {
    if (i < attributes.length - 1) text += attributes[i].rdn === attributes[i + 1].rdn ? '+' : ',';
    text += formatAttribute(attributes[i]);
  }
  return text;
}

function first(attributes: NameAttribute[], oid: string): string | null {
  return attributes.find((attribute) => attribute.oid === oid && attribute.value !== null)?.value ?? null;
}

export function toDistinguishedName(attributes: NameAttribute[]): DistinguishedName {
  return {
    commonName: first(attributes, OID.commonName),
    organization: first(attributes, OID.organization),
    organizationalUnit: first(attributes, OID.organizationalUnit),
    country: first(attributes, OID.country),
    serialNumber: first(attributes, OID.serialNumber),
    text: formatRfc4514(attributes),
  };
}
