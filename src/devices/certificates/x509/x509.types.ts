/** Key algorithm of a certificate's subject public key, as OpenSSL names it (`unknown` for the rest). */
export type CertificateKeyAlgorithm = 'rsa' | 'ec' | 'ed25519' | 'ed448' | 'rsa-pss' | 'dsa' | 'unknown';

export interface DistinguishedName {
  commonName: string | null;
  organization: string | null;
  organizationalUnit: string | null;
  country: string | null;
  /** The X.520 serialNumber attribute (2.5.4.5), not the certificate serial. */
  serialNumber: string | null;
  /** RFC 4514 string: most specific RDN first, as `openssl x509 -nameopt RFC2253,-esc_msb` prints it. */
  text: string;
}

export interface ParsedCertificate {
  /** Lowercase hex of the INTEGER's magnitude, two digits per byte (`openssl x509 -serial`, lowercased). */
  serialNumber: string;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  notBefore: Date;
  notAfter: Date;
  /** Lowercase hex of SHA-256 over the DER encoding. */
  fingerprintSha256: string;
  keyAlgorithm: CertificateKeyAlgorithm;
  /** RSA/DSA modulus bits; EC curve bits (256/384/521); 256 for Ed25519, 448 for Ed448; null if unknown. */
  keyBits: number | null;
  /** NIST name when there is one (`P-256`), else OpenSSL's curve name; null for non-EC keys. */
  ecCurve: string | null;
  isCa: boolean;
  /** Issuer equals subject and the certificate's own key verifies its signature. */
  selfSigned: boolean;
  /** An Italian codice fiscale found in the subject (serialNumber attribute or CN), uppercase. */
  fiscalCode: string | null;
  /** The public certificate only, normalized PEM with LF line ends. */
  pem: string;
}

export interface ChainLinkExpiry {
  commonName: string | null;
  notAfter: Date;
}

export interface CertificateBundle {
  leaf: ParsedCertificate;
  /** Issuers of the leaf found in the same file, nearest first. */
  chain: ParsedCertificate[];
  /** The chain link that expires first, by CN; null when the chain is empty. */
  earliestExpiringChainLink: ChainLinkExpiry | null;
  /** File name (the entry name inside a ZIP) or 'upload'. */
  source: string;
}

export const CERTIFICATE_PARSE_ERROR_CODES = [
  'EMPTY_FILE',
  'FILE_TOO_LARGE',
  'UNRECOGNIZED_FORMAT',
  'TRUNCATED_OR_CORRUPT',
  'PRIVATE_KEY_NOT_CERTIFICATE',
  'CSR_NOT_CERTIFICATE',
  'PKCS12_PASSWORD_REQUIRED',
  'PKCS12_WRONG_PASSWORD',
  'PKCS12_ITERATIONS_TOO_HIGH',
  'PKCS12_TIMEOUT',
  'PKCS12_NO_CERTIFICATE',
  'TOO_MANY_CERTIFICATES',
  'ZIP_TOO_LARGE',
  'ZIP_UNSAFE_ENTRY',
  'ZIP_EMPTY',
] as const;

export type CertificateParseErrorCode = (typeof CERTIFICATE_PARSE_ERROR_CODES)[number];

/**
 * The one error this library throws. Messages are written for the person who uploaded the file:
 * they never quote a password, key material or the file's content.
 */
export class CertificateParseError extends Error {
  constructor(
    public readonly code: CertificateParseErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CertificateParseError';
  }
}

export interface ParseLimits {
  /** Largest single file (or ZIP entry) read. */
  maxFileBytes: number;
  /** Most certificates read from one file; a PEM bundle for bulk import may hold many leaves. */
  maxCertificatesPerFile: number;
  /** Largest MAC or PBE iteration count accepted in a PKCS#12 before any key is derived. */
  maxPkcs12Iterations: number;
  /** Wall-clock limit for unpacking one PKCS#12 in its worker thread. */
  pkcs12TimeoutMs: number;
  maxZipEntries: number;
  /** Sum of the declared uncompressed sizes of a ZIP's entries. */
  maxZipUncompressedBytes: number;
}

export const DEFAULT_PARSE_LIMITS: Readonly<ParseLimits> = Object.freeze({
  maxFileBytes: 5 * 1024 * 1024,
  maxCertificatesPerFile: 1000,
  maxPkcs12Iterations: 200_000,
  pkcs12TimeoutMs: 5000,
  maxZipEntries: 2000,
  maxZipUncompressedBytes: 50 * 1024 * 1024,
});

export interface CertificateUploadInput {
  data: Buffer;
  fileName?: string;
  /** PKCS#12 password; used in memory only. */
  password?: string;
  /** Per-file PKCS#12 passwords for the entries of a ZIP, by entry name (full path or base name). */
  passwordMap?: Record<string, string>;
}

export interface CertificateUploadError {
  source: string;
  code: CertificateParseErrorCode;
  message: string;
}

export interface CertificateUploadResult {
  bundles: CertificateBundle[];
  /** Entries of a ZIP that could not be read; always empty for a single file (which throws instead). */
  errors: CertificateUploadError[];
}
