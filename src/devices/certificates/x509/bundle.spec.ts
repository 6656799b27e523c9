import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import forge from 'node-forge';
import { groupIntoBundles } from './bundle';
import { parseCertificateDer } from './certificate';
import { parseCertificateUpload } from './certificate-parser';

interface Party {
  name: string;
  publicKey: forge.pki.rsa.PublicKey;
  privateKey: KeyObject;
}

function party(name: string): Party {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    name,
    publicKey: forge.pki.publicKeyFromPem(
      publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    ),
    privateKey,
  };
}

/** Declared by forge 1.4, missing from its type definitions. */
const getTBSCertificate = (
  forge.pki as unknown as { getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1 }
).getTBSCertificate;

let serial = 1;

/**
 * forge lays out the certificate and node:crypto signs it: signing 1,000 certificates with
 * forge's JavaScript RSA, or spawning openssl 1,000 times, would take far longer.
 */
function certificate(
  subject: Party,
  issuer: Party,
  options: { ca?: boolean; notAfter?: Date; subjectName?: string } = {},
): string {
  const cert = forge.pki.createCertificate();
  cert.serialNumber = (serial++).toString(16).padStart(4, '0');
  cert.publicKey = subject.publicKey;
  cert.validity.notBefore = new Date('2025-01-01T00:00:00Z');
  cert.validity.notAfter = options.notAfter ?? new Date('2030-01-01T00:00:00Z');
  cert.setSubject([{ name: 'commonName', value: options.subjectName ?? subject.name }]);
  cert.setIssuer([{ name: 'commonName', value: issuer.name }]);
  cert.setExtensions([{ name: 'basicConstraints', cA: options.ca ?? false, critical: true }]);
  cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
  cert.signatureOid = forge.pki.oids.sha256WithRSAEncryption;
  const tbs = Buffer.from(forge.asn1.toDer(getTBSCertificate(cert)).getBytes(), 'binary');
  cert.signature = sign('sha256', tbs, issuer.privateKey).toString('binary');
  return forge.pki.certificateToPem(cert);
}

const record = (pem: string) =>
  parseCertificateDer(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));

describe(groupIntoBundles.name, () => {
  const root = party('Root CA');
  const issuing = party('Issuing CA');
  const holder = party('040008-PC-1');
  const rootPem = certificate(root, root, { ca: true, notAfter: new Date('2040-01-01T00:00:00Z') });
  const issuingPem = certificate(issuing, root, {
    ca: true,
    notAfter: new Date('2035-01-01T00:00:00Z'),
  });

  it('turns a 1,000-certificate PEM (the default limit) into a bundle per leaf sharing their CAs', async () => {
    const leaves = Array.from({ length: 998 }, (_, i) =>
      certificate(holder, issuing, { subjectName: `040008-PC-${i + 1}` }),
    );
    const pems = [...leaves.slice(0, 500), issuingPem, rootPem, ...leaves.slice(500)];

    const started = Date.now();
    const { bundles } = await parseCertificateUpload({
      data: Buffer.from(pems.join('\n')),
      fileName: 'bulk.pem',
    });
    const elapsed = Date.now() - started;

    expect(bundles).toHaveLength(998);
    expect(bundles[997].leaf.subject.commonName).toBe('040008-PC-998');
    expect(
      bundles.every(
        (b) => b.chain.map((c) => c.subject.commonName).join() === 'Issuing CA,Root CA',
      ),
    ).toBe(true);
    expect(bundles[0].earliestExpiringChainLink).toEqual({
      commonName: 'Issuing CA',
      notAfter: new Date('2035-01-01T00:00:00Z'),
    });
    expect(elapsed).toBeLessThan(20_000);

    const oneMore = Buffer.from(
      [...pems, certificate(holder, issuing, { subjectName: '040008-PC-999' })].join('\n'),
    );
    await expect(parseCertificateUpload({ data: oneMore })).rejects.toMatchObject({
      code: 'TOO_MANY_CERTIFICATES',
    });
  }, 60_000);

  it('counts a repeated certificate once', () => {
    const bundles = groupIntoBundles(
      [record(issuingPem), record(rootPem), record(issuingPem)],
      'upload',
    );
    expect(bundles.map((b) => b.leaf.subject.commonName)).toEqual(['Issuing CA']);
  });

  it('keeps a lone root as a leaf without chain', () => {
    const [bundle] = groupIntoBundles([record(rootPem)], 'upload');
    expect(bundle.chain).toEqual([]);
    expect(bundle.earliestExpiringChainLink).toBeNull();
    expect(bundle.leaf.selfSigned).toBe(true);
  });

  it('does not chain a certificate to a CA that only shares its issuer name', () => {
    const impostor = party('Issuing CA');
    const forged = certificate(holder, impostor);
    const bundles = groupIntoBundles([record(forged), record(issuingPem)], 'upload');
    expect(bundles.map((b) => [b.leaf.subject.commonName, b.chain.length])).toEqual([
      ['040008-PC-1', 0],
      ['Issuing CA', 0],
    ]);
  });

  it('still shows certificates that issued each other in a loop', () => {
    const a = party('Cross A');
    const b = party('Cross B');
    const bundles = groupIntoBundles(
      [record(certificate(a, b, { ca: true })), record(certificate(b, a, { ca: true }))],
      'upload',
    );
    expect(
      bundles.map((x) => [x.leaf.subject.commonName, x.chain.map((c) => c.subject.commonName)]),
    ).toEqual([
      ['Cross A', ['Cross B']],
      ['Cross B', ['Cross A']],
    ]);
  });
});
