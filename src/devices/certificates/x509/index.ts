/**
 * Certificate parsing for uploads (design.md section 6): PEM, DER, PKCS#12 and ZIPs of them,
 * read with OpenSSL (node:crypto) and node-forge. Pure functions: no Nest, no I/O but worker
 * threads: one per PKCS#12, and a pool of two for files of 64 certificates or more.
 */
export { parseCertificateUpload } from './certificate-parser';
export { CERTIFICATE_PARSE_ERROR_CODES, CertificateParseError, DEFAULT_PARSE_LIMITS } from './x509.types';
export type {
  CertificateBundle,
  CertificateKeyAlgorithm,
  CertificateParseErrorCode,
  CertificateUploadError,
  CertificateUploadInput,
  CertificateUploadResult,
  ChainLinkExpiry,
  DistinguishedName,
  ParseLimits,
  ParsedCertificate,
} from './x509.types';
