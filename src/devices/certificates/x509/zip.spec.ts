import { parseCertificateUpload } from './certificate-parser';
import { OpensslCorpus } from './testing/openssl-corpus';
import { buildZip, ZipEntryInput } from './testing/zip-writer';
import { CertificateParseError, CertificateParseErrorCode, ParseLimits } from './x509.types';
import { readZipEntries } from './zip';

/** ZIPs like the ANPR console's "download all": .p12 files plus a text file of passwords. */
describe(readZipEntries.name, () => {
  const corpus = new OpensslCorpus();
  const passwords: Record<string, string> = {
    '040008-PC-1.p12': 'uno-Segreto1',
    '040008-PC-2.p12': 'due-Segreto2',
  };
  let p12: Record<string, Buffer>;

  const upload = (
    entries: ZipEntryInput[],
    extra: { password?: string; passwordMap?: Record<string, string> } = {},
    limits?: Partial<ParseLimits>,
  ) => parseCertificateUpload({ data: buildZip(entries), fileName: 'download-all.zip', ...extra }, limits);

  const expectCode = async (promise: Promise<unknown>, code: CertificateParseErrorCode) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CertificateParseError);
    expect((error as CertificateParseError).code).toBe(code);
  };

  const passwordList = (): ZipEntryInput => ({
    name: 'password.txt',
    data: Buffer.from(
      Object.entries(passwords)
        .map(([file, pw]) => `${file};${pw}`)
        .join('\r\n'),
    ),
  });

  beforeAll(() => {
    const caKey = corpus.key('ca', 'p256');
    corpus.selfSigned('ca', caKey, { subject: '/CN=ANPR Test CA/O=Ministero Test', days: 3650 });
    p12 = {};
    for (const [file, password] of Object.entries(passwords)) {
      const name = file.replace('.p12', '');
      corpus.issued(
        name,
        corpus.key(name, 'p256'),
        { cert: 'ca.pem', key: caKey },
        { subject: `/CN=${name}/O=Comune di Forlì`, days: 1825 },
      );
      corpus.openssl([
        'pkcs12',
        '-export',
        '-in',
        `${name}.pem`,
        '-inkey',
        `${name}.key`,
        '-certfile',
        'ca.pem',
        '-passout',
        `pass:${password}`,
        '-out',
        file,
      ]);
      p12[file] = corpus.read(file);
    }
  }, 60_000);

  afterAll(() => corpus.remove());

  it('opens each .p12 with its own password and skips the password list', async () => {
    const entries = [...Object.entries(p12).map(([name, data]) => ({ name, data })), passwordList()];
    const { bundles, errors } = await upload(entries, { passwordMap: passwords });
    expect(errors).toEqual([]);
    expect(bundles.map((b) => [b.source, b.leaf.subject.commonName, b.chain.map((c) => c.subject.commonName)])).toEqual([
      ['040008-PC-1.p12', '040008-PC-1', ['ANPR Test CA']],
      ['040008-PC-2.p12', '040008-PC-2', ['ANPR Test CA']],
    ]);
  });

  it('matches the password map by base name inside folders, else uses the common password', async () => {
    const entries = [
      { name: 'export/040008-PC-1.p12', data: p12['040008-PC-1.p12'] },
      { name: 'export/other.p12', data: p12['040008-PC-2.p12'] },
    ];
    const { bundles, errors } = await upload(entries, {
      passwordMap: { '040008-PC-1.p12': passwords['040008-PC-1.p12'] },
      password: passwords['040008-PC-2.p12'],
    });
    expect(errors).toEqual([]);
    expect(bundles.map((b) => b.source)).toEqual(['export/040008-PC-1.p12', 'export/other.p12']);
  });

  it('reports a failing entry by name and still reads the others, without quoting a password', async () => {
    const { bundles, errors } = await upload(
      Object.entries(p12).map(([name, data]) => ({ name, data })),
      { password: passwords['040008-PC-1.p12'] },
    );
    expect(bundles.map((b) => b.source)).toEqual(['040008-PC-1.p12']);
    expect(errors).toEqual([{ source: '040008-PC-2.p12', code: 'PKCS12_WRONG_PASSWORD', message: expect.any(String) }]);
    expect(JSON.stringify(errors)).not.toMatch(/Segreto/);
  });

  it('refuses an entry whose name leaves the archive', async () => {
    const entries = [
      { name: '../../x', data: p12['040008-PC-1.p12'] },
      { name: '..\\..\\y.p12', data: p12['040008-PC-1.p12'] },
      { name: '/etc/z.p12', data: p12['040008-PC-1.p12'] },
      { name: '040008-PC-2.p12', data: p12['040008-PC-2.p12'] },
    ];
    const { bundles, errors } = await upload(entries, { passwordMap: passwords });
    expect(errors.map((e) => [e.source, e.code])).toEqual([
      ['../../x', 'ZIP_UNSAFE_ENTRY'],
      ['../../y.p12', 'ZIP_UNSAFE_ENTRY'],
      ['/etc/z.p12', 'ZIP_UNSAFE_ENTRY'],
    ]);
    expect(bundles.map((b) => b.source)).toEqual(['040008-PC-2.p12']);
  });

  it('refuses a ZIP bomb by its declared size before inflating it', async () => {
    const bomb = [{ name: 'bomb.p12', data: Buffer.alloc(60 * 1024 * 1024) }];
    const zip = buildZip(bomb);
    expect(zip.length).toBeLessThan(100 * 1024);
    await expectCode(parseCertificateUpload({ data: zip }), 'ZIP_TOO_LARGE');
  });

  it('stops an entry that inflates past its declared size', async () => {
    const liar = { name: 'liar.p12', data: Buffer.alloc(20 * 1024 * 1024), declaredSize: 1000 };
    const { errors } = await upload([liar, { name: '040008-PC-2.p12', data: p12['040008-PC-2.p12'] }], { passwordMap: passwords });
    expect(errors).toEqual([{ source: 'liar.p12', code: 'TRUNCATED_OR_CORRUPT', message: expect.any(String) }]);
  });

  it('reports an entry over the per-file limit', async () => {
    const { errors } = await upload(
      [
        { name: 'big.p12', data: Buffer.alloc(20_000) },
        { name: '040008-PC-2.p12', data: p12['040008-PC-2.p12'] },
      ],
      { passwordMap: passwords },
      { maxFileBytes: 10_000 },
    );
    expect(errors.map((e) => [e.source, e.code])).toEqual([['big.p12', 'FILE_TOO_LARGE']]);
  });

  it('refuses too many entries, an archive without certificates, a nested archive and a corrupt archive', async () => {
    await expectCode(
      upload(
        Object.entries(p12).map(([name, data]) => ({ name, data })),
        {},
        { maxZipEntries: 1 },
      ),
      'ZIP_TOO_LARGE',
    );
    await expectCode(upload([passwordList()]), 'ZIP_EMPTY');
    await expectCode(upload([]), 'ZIP_EMPTY');
    const nested = await upload([{ name: 'inner.zip', data: buildZip([passwordList()]) }]);
    expect(nested.errors.map((e) => e.code)).toEqual(['ZIP_UNSAFE_ENTRY']);
    const zip = buildZip([{ name: 'a.p12', data: p12['040008-PC-1.p12'] }]);
    await expectCode(parseCertificateUpload({ data: zip.subarray(0, zip.length - 30) }), 'TRUNCATED_OR_CORRUPT');
  });
});
