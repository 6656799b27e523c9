import { parseCertificateUpload } from './certificate-parser';
import { POOL_MIN_CERTIFICATES, parseInPool } from './parse-pool';
import { certificateToPem } from './pem';
import { certificate, party } from './testing/forge-issuer';

const derOf = (pem: string): Buffer => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');

/** A bulk PEM is parsed in worker threads; what comes out must not depend on that. */
describe(parseInPool.name, () => {
  const ca = party('CA Postazioni');
  const holder = party('postazione');
  const count = POOL_MIN_CERTIFICATES + 6;
  const pems = Array.from({ length: count }, (_, i) => certificate(holder, ca, { subjectName: `058091-PC-${i + 1}` }));

  it('gives the same bundles, in file order, as parsing each certificate on its own', async () => {
    const bulk = await parseCertificateUpload({ data: Buffer.from(pems.join('\n')), fileName: 'lotto.pem' });
    const single = await Promise.all(
      pems.map(async (pem) => (await parseCertificateUpload({ data: Buffer.from(pem), fileName: 'lotto.pem' })).bundles[0]),
    );
    expect(bulk.bundles).toEqual(single);
    expect(bulk.bundles.map((b) => b.leaf.subject.commonName)).toEqual(pems.map((_, i) => `058091-PC-${i + 1}`));
    // The workers really ran (a failed worker would have sent the parser back to this thread).
    const pooled = await parseInPool(pems.slice(0, 3).map(derOf));
    expect(pooled.map((r) => (r.ok ? r.fields.parsed.subject.commonName : r.code))).toEqual(['058091-PC-1', '058091-PC-2', '058091-PC-3']);
  }, 60_000);

  it('links the chain when the issuer is in the file, though OpenSSL read the leaves in another thread', async () => {
    const caPem = certificate(ca, ca, { ca: true });
    const { bundles } = await parseCertificateUpload({ data: Buffer.from([...pems, caPem].join('\n')) });
    expect(bundles).toHaveLength(count);
    expect(bundles.every((b) => b.chain.map((c) => c.subject.commonName).join() === 'CA Postazioni')).toBe(true);
  }, 60_000);

  it('reports the first bad block in file order, with the same code and message as on one thread', async () => {
    const der = derOf(pems[0]);
    // The certificate's length in three bytes: OpenSSL and forge disagree about the bytes (ambiguous).
    const ambiguous = certificateToPem(Buffer.concat([Buffer.from([0x30, 0x83, 0x00]), der.subarray(2)]));
    const withBad = [...pems.slice(0, 40), ambiguous, ...pems.slice(40)];
    const alone = await parseCertificateUpload({ data: Buffer.from(ambiguous) }).catch((e: unknown) => e);
    const inBulk = await parseCertificateUpload({ data: Buffer.from(withBad.join('\n')) }).catch((e: unknown) => e);
    expect(alone).toMatchObject({ code: 'TRUNCATED_OR_CORRUPT', message: expect.stringContaining('ambiguous') });
    expect(inBulk).toEqual(alone);
  }, 60_000);
});
