import { CertificateRecord } from './certificate';
import { CertificateBundle, ChainLinkExpiry, ParsedCertificate } from './x509.types';

/** Deeper than any real PKI; stops a walk through a crafted loop of cross-certificates. */
const MAX_CHAIN_LENGTH = 16;

/**
 * True when `issuer` issued `subject`: names and key identifiers match (OpenSSL's checkIssued)
 * and the issuer's key verifies the signature. Only used to arrange a file's certificates for
 * display; trust decisions are not made here.
 */
function issued(issuer: CertificateRecord, subject: CertificateRecord): boolean {
  if (!subject.x509().checkIssued(issuer.x509())) return false;
  try {
    return subject.x509().verify(issuer.x509().publicKey);
  } catch {
    return true; // an algorithm OpenSSL cannot verify: names and key ids are all we have
  }
}

function earliestExpiring(chain: ParsedCertificate[]): ChainLinkExpiry | null {
  let earliest: ParsedCertificate | null = null;
  for (const link of chain) {
    if (earliest === null || link.notAfter.getTime() < earliest.notAfter.getTime()) earliest = link;
  }
  return earliest === null ? null : { commonName: earliest.subject.commonName, notAfter: earliest.notAfter };
}

/**
 * Groups the certificates of one file: a certificate that issued another one in the file is a
 * chain link; every other certificate is a leaf with its own bundle and its chain of issuers
 * (nearest first). A 1,000-certificate PEM for bulk import gives 1,000 bundles sharing the CAs.
 * Duplicates (same fingerprint) count once.
 */
export function groupIntoBundles(records: CertificateRecord[], source: string): CertificateBundle[] {
  const unique = [...new Map(records.map((r) => [r.parsed.fingerprintSha256, r])).values()];
  const bySubject = new Map<string, CertificateRecord[]>();
  for (const record of unique) {
    const sameSubject = bySubject.get(record.subjectKey);
    if (sameSubject) sameSubject.push(record);
    else bySubject.set(record.subjectKey, [record]);
  }

  const issuerOf = new Map<CertificateRecord, CertificateRecord>();
  for (const record of unique) {
    const candidates = (bySubject.get(record.issuerKey) ?? []).filter((c) => c !== record);
    const issuer = candidates.find((candidate) => issued(candidate, record));
    if (issuer !== undefined) issuerOf.set(record, issuer);
  }
  const issuers = new Set(issuerOf.values());

  const chainOf = (leaf: CertificateRecord): CertificateRecord[] => {
    const chain: CertificateRecord[] = [];
    const seen = new Set([leaf]);
    for (let next = issuerOf.get(leaf); next && !seen.has(next) && chain.length < MAX_CHAIN_LENGTH; next = issuerOf.get(next)) {
      chain.push(next);
      seen.add(next);
    }
    return chain;
  };

  const leaves = unique.filter((record) => !issuers.has(record));
  const reached = new Set<CertificateRecord>(leaves.flatMap((leaf) => [leaf, ...chainOf(leaf)]));
  // Certificates that issued each other in a loop have no leaf below them: show them on their own.
  leaves.push(...unique.filter((record) => !reached.has(record)));

  return leaves.map((leaf) => {
    const chain = chainOf(leaf).map((link) => link.parsed);
    return { leaf: leaf.parsed, chain, earliestExpiringChainLink: earliestExpiring(chain), source };
  });
}
