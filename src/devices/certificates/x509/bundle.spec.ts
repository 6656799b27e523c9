import { groupIntoBundles } from './bundle';
import { parseCertificateDer } from './certificate';
import { parseCertificateUpload } from './certificate-parser';
import { certificate, party } from './testing/forge-issuer';

const record = (pem: string) => parseCertificateDer(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));

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
    const leaves = Array.from({ length: 998 }, (_, i) => certificate(holder, issuing, { subjectName: `040008-PC-${i + 1}` }));
    const pems = [...leaves.slice(0, 500), issuingPem, rootPem, ...leaves.slice(500)];

    const { bundles } = await parseCertificateUpload({
      data: Buffer.from(pems.join('\n')),
      fileName: 'bulk.pem',
    });

    expect(bundles).toHaveLength(998);
    expect(bundles[997].leaf.subject.commonName).toBe('040008-PC-998');
    expect(bundles.every((b) => b.chain.map((c) => c.subject.commonName).join() === 'Issuing CA,Root CA')).toBe(true);
    expect(bundles[0].earliestExpiringChainLink).toEqual({
      commonName: 'Issuing CA',
      notAfter: new Date('2035-01-01T00:00:00Z'),
    });

    const oneMore = Buffer.from([...pems, certificate(holder, issuing, { subjectName: '040008-PC-999' })].join('\n'));
    await expect(parseCertificateUpload({ data: oneMore })).rejects.toMatchObject({
      code: 'TOO_MANY_CERTIFICATES',
    });
  }, 60_000);

  it('counts a repeated certificate once', () => {
    const bundles = groupIntoBundles([record(issuingPem), record(rootPem), record(issuingPem)], 'upload');
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
    const bundles = groupIntoBundles([record(certificate(a, b, { ca: true })), record(certificate(b, a, { ca: true }))], 'upload');
    expect(bundles.map((x) => [x.leaf.subject.commonName, x.chain.map((c) => c.subject.commonName)])).toEqual([
      ['Cross A', ['Cross B']],
      ['Cross B', ['Cross A']],
    ]);
  });
});
