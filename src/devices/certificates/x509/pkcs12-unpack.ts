import { timingSafeEqual } from 'node:crypto';
import forge from 'node-forge';
import { Asn1, children, contentBytes, decodeDer, isContext, isUniversal, oidOf } from './asn1';
import {
  assertBagIterations,
  inspectPkcs12,
  MacData,
  MAX_SAFE_CONTENTS_DEPTH,
  PKCS12_OIDS,
  readSafeBags,
  SafeBag,
  SafeContentsSource,
} from './pkcs12-inspect';
import { CertificateParseError } from './x509.types';

/**
 * Unpacks the certificates of a PKCS#12. Runs inside the worker thread (pkcs12.worker.ts) because
 * key derivation is CPU-bound. Not forge's pkcs12FromAsn1: that decrypts private keys too and
 * obeys whatever iteration count it meets. Here only certificate bags are read; key bags are
 * skipped unopened, so no private key is ever decrypted.
 */

/** forge 1.4 functions its type definitions do not declare. */
const pbe = (
  forge.pki as unknown as {
    pbe: { getCipher(oid: string, params: Asn1, password: string): forge.cipher.BlockCipher };
  }
).pbe;

const MAC_DIGESTS: Record<string, () => forge.md.MessageDigest> = {
  '1.3.14.3.2.26': () => forge.md.sha1.create(),
  '2.16.840.1.101.3.4.2.1': () => forge.md.sha256.create(),
  '2.16.840.1.101.3.4.2.2': () => forge.md.sha384.create(),
  '2.16.840.1.101.3.4.2.3': () => forge.md.sha512.create(),
};

function binary(bytes: Buffer): forge.util.ByteStringBuffer {
  return forge.util.createBuffer(bytes.toString('binary'));
}

/** RFC 7292 appendix B: the MAC key comes from the PKCS#12 KDF (ID 3) with the MAC's own digest. */
function macMatches(authSafe: Buffer, mac: MacData, password: string): boolean {
  const digest = MAC_DIGESTS[mac.digestOid];
  if (digest === undefined) {
    throw new CertificateParseError('UNRECOGNIZED_FORMAT', 'This PKCS#12 file uses an integrity algorithm that is not supported.');
  }
  const md = digest();
  const key = forge.pkcs12.generateKey(password, binary(mac.salt), 3, mac.iterations, md.digestLength, md);
  const hmac = forge.hmac.create();
  hmac.start(digest(), key.getBytes());
  hmac.update(authSafe.toString('binary'));
  const computed = Buffer.from(hmac.digest().getBytes(), 'binary');
  return computed.length === mac.digest.length && timingSafeEqual(computed, mac.digest);
}

/**
 * PBES2 feeds PBKDF2 the password's UTF-8 bytes; the PKCS#12 PBE schemes take the Unicode
 * string (forge turns it into a BMPString). forge's own pkcs12FromAsn1 passes the same string to
 * both, which breaks PBES2 files with non-ASCII passwords.
 */
function decrypt(source: Extract<SafeContentsSource, { encrypted: true }>, password: string): Asn1 | null {
  const [id, params] = children(source.algorithm);
  const oid = oidOf(id) ?? '';
  let cipher: forge.cipher.BlockCipher;
  try {
    cipher = pbe.getCipher(oid, params, oid === PKCS12_OIDS.pbes2 ? forge.util.encodeUtf8(password) : password);
  } catch {
    throw new CertificateParseError('UNRECOGNIZED_FORMAT', 'This PKCS#12 file uses an encryption algorithm that is not supported.');
  }
  cipher.update(binary(source.ciphertext));
  if (!cipher.finish()) return null;
  try {
    return decodeDer(Buffer.from(cipher.output.getBytes(), 'binary'));
  } catch {
    return null; // a wrong password can still leave valid padding by chance
  }
}

function passwordError(password: string | undefined): CertificateParseError {
  return password === undefined
    ? new CertificateParseError('PKCS12_PASSWORD_REQUIRED', 'The PKCS#12 file is protected by a password: provide it.')
    : new CertificateParseError('PKCS12_WRONG_PASSWORD', 'The password does not open the PKCS#12 file.');
}

/** CertBag ::= SEQUENCE { certId, [0] EXPLICIT OCTET STRING }; only X.509 certificates are kept. */
function collectCertificates(bags: SafeBag[], out: Buffer[], depth = 0): void {
  for (const bag of bags) {
    if (bag.oid === PKCS12_OIDS.certBag) {
      const [certId, explicit] = children(bag.value);
      const octets = children(explicit)[0];
      if (oidOf(certId) !== PKCS12_OIDS.x509Certificate) continue;
      if (!isContext(explicit, 0) || !isUniversal(octets, forge.asn1.Type.OCTETSTRING)) {
        throw new CertificateParseError('TRUNCATED_OR_CORRUPT', 'The PKCS#12 file is truncated or corrupt.');
      }
      out.push(contentBytes(octets));
    } else if (bag.oid === PKCS12_OIDS.safeContentsBag && depth < MAX_SAFE_CONTENTS_DEPTH) {
      collectCertificates(readSafeBags(bag.value), out, depth + 1);
    }
  }
}

/**
 * Returns the DER of every certificate in the file. `password` undefined means none was given:
 * the empty password is tried, as OpenSSL does, and a failure asks for one.
 */
export function unpackPkcs12Certificates(der: Buffer, password: string | undefined, maxIterations: number): Buffer[] {
  // The worker checks again rather than trust whoever started it.
  const { pfx, sources } = inspectPkcs12(der, maxIterations);
  const secret = password ?? '';
  if (pfx.mac !== null && !macMatches(pfx.authSafe, pfx.mac, secret)) throw passwordError(password);

  const certificates: Buffer[] = [];
  for (const source of sources) {
    const safeContents = source.encrypted ? decrypt(source, secret) : source.safeContents;
    if (safeContents === null) {
      // With a verified MAC the password is right, so the content itself is damaged.
      if (pfx.mac !== null) throw new CertificateParseError('TRUNCATED_OR_CORRUPT', 'The PKCS#12 file is truncated or corrupt.');
      throw passwordError(password);
    }
    const bags = readSafeBags(safeContents);
    assertBagIterations(bags, maxIterations);
    collectCertificates(bags, certificates);
  }
  return certificates;
}
