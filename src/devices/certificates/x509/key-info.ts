import { KeyObject, X509Certificate } from 'node:crypto';
import { CertificateKeyAlgorithm } from './x509.types';

export interface KeyInfo {
  keyAlgorithm: CertificateKeyAlgorithm;
  keyBits: number | null;
  ecCurve: string | null;
}

/** OpenSSL curve names to the NIST names people read on certificates, with their sizes. */
const CURVES: Record<string, { name: string; bits: number }> = {
  prime256v1: { name: 'P-256', bits: 256 },
  secp384r1: { name: 'P-384', bits: 384 },
  secp521r1: { name: 'P-521', bits: 521 },
  secp224r1: { name: 'P-224', bits: 224 },
  secp256k1: { name: 'secp256k1', bits: 256 },
  brainpoolP256r1: { name: 'brainpoolP256r1', bits: 256 },
  brainpoolP384r1: { name: 'brainpoolP384r1', bits: 384 },
  brainpoolP512r1: { name: 'brainpoolP512r1', bits: 512 },
};

const KNOWN: ReadonlySet<string> = new Set(['rsa', 'rsa-pss', 'dsa', 'ec', 'ed25519', 'ed448']);

function publicKeyOf(x509: X509Certificate): KeyObject | null {
  try {
    return x509.publicKey;
  } catch {
    return null; // a key type OpenSSL does not know (GOST, for one)
  }
}

/** OpenSSL reads every key type, where forge only knows RSA. */
export function readKeyInfo(x509: X509Certificate): KeyInfo {
  const key = publicKeyOf(x509);
  const type = key?.asymmetricKeyType;
  if (key === null || type === undefined || !KNOWN.has(type)) {
    return { keyAlgorithm: 'unknown', keyBits: null, ecCurve: null };
  }
  const details = key.asymmetricKeyDetails ?? {};
  switch (type) {
    case 'ec': {
      const curve = details.namedCurve ?? null;
      const known = curve === null ? undefined : CURVES[curve];
      return { keyAlgorithm: 'ec', keyBits: known?.bits ?? null, ecCurve: known?.name ?? curve };
    }
    case 'ed25519':
      return { keyAlgorithm: 'ed25519', keyBits: 256, ecCurve: null };
    case 'ed448':
      return { keyAlgorithm: 'ed448', keyBits: 448, ecCurve: null };
    default:
      return {
        keyAlgorithm: type as CertificateKeyAlgorithm,
        keyBits: details.modulusLength ?? null,
        ecCurve: null,
      };
  }
}
