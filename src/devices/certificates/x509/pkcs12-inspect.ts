import forge from 'node-forge';
import { Asn1, children, contentBytes, decodeDer, isContext, isSequence, isUniversal, oidOf, smallUnsignedInteger } from './asn1';
import { CertificateParseError } from './x509.types';

/**
 * Reading a PKCS#12 (RFC 7292) without deriving any key. A PKCS#12 names its own iteration
 * counts and every KDF obeys them: a 1.4 KB file asking for 10^6 iterations keeps forge busy
 * for seconds. Every count that can be read without the password is checked here, in the
 * caller's thread, before a worker is even started; counts hidden inside encrypted contents are
 * checked by the worker as soon as it can read them.
 */

export const PKCS12_OIDS = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
} as const;

/** PKCS#12 PBE (pbeWithSHAAnd*, 1.2.840.113549.1.12.1.x) and PKCS#5 PBES1: params are SEQUENCE { salt, iterations }. */
const SALT_AND_COUNT_PBE = /^1\.2\.840\.113549\.1\.(12\.1\.[1-6]|5\.(1|3|4|6|10|11))$/;

/** Nested SafeContents bags are legal but real files never nest them; bound the recursion. */
export const MAX_SAFE_CONTENTS_DEPTH = 3;

export interface MacData {
  digestOid: string;
  digest: Buffer;
  salt: Buffer;
  iterations: number;
}

export interface Pfx {
  /** DER of the AuthenticatedSafe: the MAC is computed over exactly these bytes. */
  authSafe: Buffer;
  mac: MacData | null;
}

export type SafeContentsSource = { encrypted: false; safeContents: Asn1 } | { encrypted: true; algorithm: Asn1; ciphertext: Buffer };

export interface SafeBag {
  oid: string;
  value: Asn1;
}

function corrupt(): CertificateParseError {
  return new CertificateParseError('TRUNCATED_OR_CORRUPT', 'The PKCS#12 file is truncated or corrupt.');
}

function unsupported(what: string): CertificateParseError {
  return new CertificateParseError('UNRECOGNIZED_FORMAT', `This PKCS#12 file uses ${what}, which is not supported.`);
}

/** The content of a ContentInfo of type data: [0] EXPLICIT OCTET STRING. */
function dataContent(contentInfo: Asn1): Buffer {
  const [, explicit] = children(contentInfo);
  const [octets] = children(explicit);
  if (!isContext(explicit, 0) || !isUniversal(octets, forge.asn1.Type.OCTETSTRING)) throw corrupt();
  return contentBytes(octets);
}

/** True for PFX ::= SEQUENCE { version 3, authSafe ContentInfo, macData OPTIONAL }. */
export function isPfx(node: Asn1): boolean {
  const [version, authSafe] = children(node);
  return smallUnsignedInteger(version) === 3 && isSequence(authSafe) && oidOf(children(authSafe)[0]) !== null;
}

export function readPfx(der: Buffer): Pfx {
  const pfx = decodeDer(der, 'PKCS#12 file');
  const [, authSafeInfo, macData] = children(pfx);
  if (!isPfx(pfx)) throw corrupt();
  if (oidOf(children(authSafeInfo)[0]) !== PKCS12_OIDS.data) throw unsupported('public-key integrity protection');
  return {
    authSafe: dataContent(authSafeInfo),
    mac: macData === undefined ? null : readMacData(macData),
  };
}

/** MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }. */
function readMacData(node: Asn1): MacData {
  const [digestInfo, salt, iterations] = children(node);
  const [algorithm, digest] = children(digestInfo);
  const digestOid = oidOf(children(algorithm)[0]);
  const count = iterations === undefined ? 1 : smallUnsignedInteger(iterations);
  if (
    digestOid === null ||
    !isUniversal(digest, forge.asn1.Type.OCTETSTRING) ||
    !isUniversal(salt, forge.asn1.Type.OCTETSTRING) ||
    !count
  ) {
    throw corrupt();
  }
  return { digestOid, digest: contentBytes(digest), salt: contentBytes(salt), iterations: count };
}

/** AuthenticatedSafe ::= SEQUENCE OF ContentInfo, each plain data or password-encrypted data. */
export function readAuthenticatedSafe(authSafe: Buffer): SafeContentsSource[] {
  return children(decodeDer(authSafe, 'PKCS#12 file')).map((contentInfo): SafeContentsSource => {
    const type = oidOf(children(contentInfo)[0]);
    if (type === PKCS12_OIDS.data) {
      return {
        encrypted: false,
        safeContents: decodeDer(dataContent(contentInfo), 'PKCS#12 file'),
      };
    }
    if (type !== PKCS12_OIDS.encryptedData) throw unsupported('public-key encryption');
    // EncryptedData ::= SEQUENCE { version, EncryptedContentInfo ::= SEQUENCE { type, algorithm, [0] IMPLICIT OCTET STRING } }
    const [, encryptedContentInfo] = children(children(children(contentInfo)[1])[0]);
    const [, algorithm, ciphertext] = children(encryptedContentInfo);
    if (!isSequence(algorithm) || !isContext(ciphertext, 0)) throw corrupt();
    return { encrypted: true, algorithm, ciphertext: contentBytes(ciphertext) };
  });
}

/** SafeContents ::= SEQUENCE OF SafeBag { bagId, [0] EXPLICIT bagValue, attributes }. */
export function readSafeBags(safeContents: Asn1): SafeBag[] {
  if (!isSequence(safeContents)) throw corrupt();
  return children(safeContents).map((bag) => {
    const [id, explicit] = children(bag);
    const oid = oidOf(id);
    const value = children(explicit)[0];
    if (oid === null || !isContext(explicit, 0) || value === undefined) throw corrupt();
    return { oid, value };
  });
}

/** The iteration count a password-based encryption AlgorithmIdentifier asks for. */
export function pbeIterations(algorithm: Asn1 | undefined): number {
  const [id, params] = children(algorithm);
  const oid = oidOf(id);
  let count: number | null;
  if (oid === PKCS12_OIDS.pbes2) {
    const [kdf] = children(params);
    const [kdfId, kdfParams] = children(kdf);
    if (oidOf(kdfId) !== PKCS12_OIDS.pbkdf2) throw unsupported('a key derivation other than PBKDF2');
    count = smallUnsignedInteger(children(kdfParams)[1]);
  } else if (oid !== null && SALT_AND_COUNT_PBE.test(oid)) {
    count = smallUnsignedInteger(children(params)[1]);
  } else {
    throw unsupported('an unknown encryption algorithm');
  }
  if (!count) throw corrupt();
  return count;
}

export function assertIterationsAllowed(count: number, limit: number): void {
  if (count > limit) {
    throw new CertificateParseError(
      'PKCS12_ITERATIONS_TOO_HIGH',
      `The PKCS#12 file asks for ${Number.isFinite(count) ? count : 'more than 2^48'} key-derivation iterations; at most ${limit} are accepted.`,
    );
  }
}

/** Checks the shrouded key bags of a SafeContents, nested SafeContents included. */
export function assertBagIterations(bags: SafeBag[], limit: number, depth = 0): void {
  for (const bag of bags) {
    if (bag.oid === PKCS12_OIDS.shroudedKeyBag) {
      assertIterationsAllowed(pbeIterations(children(bag.value)[0]), limit);
    } else if (bag.oid === PKCS12_OIDS.safeContentsBag) {
      if (depth >= MAX_SAFE_CONTENTS_DEPTH) throw corrupt();
      assertBagIterations(readSafeBags(bag.value), limit, depth + 1);
    }
  }
}

/** Everything that can be checked before the password is used. Returns the parsed PFX. */
export function inspectPkcs12(der: Buffer, maxIterations: number): { pfx: Pfx; sources: SafeContentsSource[] } {
  const pfx = readPfx(der);
  if (pfx.mac) assertIterationsAllowed(pfx.mac.iterations, maxIterations);
  const sources = readAuthenticatedSafe(pfx.authSafe);
  for (const source of sources) {
    if (source.encrypted) assertIterationsAllowed(pbeIterations(source.algorithm), maxIterations);
    else assertBagIterations(readSafeBags(source.safeContents), maxIterations);
  }
  return { pfx, sources };
}
