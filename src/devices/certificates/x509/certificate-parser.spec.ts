import { randomBytes } from 'node:crypto';
import { parseCertificateUpload } from './certificate-parser';
import { daysUntil, OpensslCorpus } from './testing/openssl-corpus';
import { CertificateParseError, CertificateParseErrorCode, ParseLimits } from './x509.types';

/**
 * The corpus is made with the openssl CLI at test time and every parsed field is compared with
 * what `openssl x509` prints for the same file.
 */
describe(parseCertificateUpload.name, () => {
  const corpus = new OpensslCorpus();
  const PASSWORD = 'S3greto-Comune!';
  const EC_SUBJECT = '/CN=Città di Forlì/O=Comune/OU=Anagrafe/C=IT/serialNumber=TINIT-RSSMRA80A01H501U';

  const parse = (file: string, password?: string, limits?: Partial<ParseLimits>) =>
    parseCertificateUpload({ data: corpus.read(file), fileName: file, password }, limits);

  const leafOf = async (file: string, password?: string) => {
    const { bundles, errors } = await parse(file, password);
    expect(errors).toEqual([]);
    expect(bundles).toHaveLength(1);
    return bundles[0];
  };

  const rejection = async (promise: Promise<unknown>): Promise<CertificateParseError> => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CertificateParseError);
    return error as CertificateParseError;
  };

  const expectCode = async (promise: Promise<unknown>, code: CertificateParseErrorCode) => {
    expect((await rejection(promise)).code).toBe(code);
  };

  beforeAll(() => {
    const rootKey = corpus.key('root', 'rsa4096');
    corpus.selfSigned('root', rootKey, {
      subject: '/CN=Custode Test Root CA/O=Ministero Test/C=IT',
      days: daysUntil('2045-03-01'),
    });
    const root = { cert: 'root.pem', key: rootKey };
    const intermediateKey = corpus.key('intermediate', 'p384');
    corpus.issued('intermediate', intermediateKey, root, {
      subject: '/CN=Custode Test Issuing CA/O=Ministero Test/C=IT',
      days: daysUntil('2049-06-15'), // UTCTime: years up to 2049
      ca: true,
    });
    const intermediate = { cert: 'intermediate.pem', key: intermediateKey };
    corpus.issued('leafRsa', corpus.key('leafRsa', 'rsa2048'), intermediate, {
      subject: '/CN=040008-PC-1/O=Comune di Forlì/OU=Servizi Demografici/C=IT',
      days: daysUntil('2050-06-15'), // GeneralizedTime from 2050 on
      serial: '0x8F1E2D3C4B5A69788796A5B4C3D2E1F001122334', // 20 bytes, high bit set
    });
    corpus.issued('leafEc', corpus.key('leafEc', 'p256'), intermediate, {
      subject: EC_SUBJECT,
      days: 1825,
    });
    corpus.selfSigned('leafEd', corpus.key('leafEd', 'ed25519'), {
      subject: '/CN=040008-CO-1/O=Comune',
      days: 30,
      ca: false,
    });
    corpus.selfSigned('leafPss', corpus.key('leafPss', 'rsa-pss'), {
      // Characters RFC 4514 escapes, and attribute types past the usual few.
      subject:
        '/CN=#Rossi, Mario\\+Co "Test"; <x> /O=Comune/businessCategory=Government Entity' +
        '/jurisdictionC=IT/organizationIdentifier=VATIT-01234567890/GN=Mario/SN=Rossi/title=Sindaco',
      days: 30,
    });
    corpus.write('chain.pem', Buffer.concat([corpus.read('intermediate.pem'), corpus.read('root.pem')]));
  }, 120_000);

  afterAll(() => corpus.remove());

  describe('fields, compared with openssl x509', () => {
    const expectedKeys: Record<string, [string, number, string | null]> = {
      root: ['rsa', 4096, null],
      intermediate: ['ec', 384, 'P-384'],
      leafRsa: ['rsa', 2048, null],
      leafEc: ['ec', 256, 'P-256'],
      leafEd: ['ed25519', 256, null],
      leafPss: ['rsa-pss', 2048, null],
    };

    it.each(Object.keys(expectedKeys))('reads %s as openssl prints it', async (name) => {
      const { leaf } = await leafOf(`${name}.pem`);
      const openssl = corpus.view(`${name}.pem`);
      expect(leaf.serialNumber).toBe(openssl.serial.toLowerCase());
      expect(leaf.subject.text).toBe(openssl.subject);
      expect(leaf.issuer.text).toBe(openssl.issuer);
      expect(leaf.notBefore.getTime()).toBe(openssl.notBefore.getTime());
      expect(leaf.notAfter.getTime()).toBe(openssl.notAfter.getTime());
      expect(leaf.fingerprintSha256).toBe(openssl.fingerprint.replace(/:/g, '').toLowerCase());
      expect(leaf.isCa).toBe(openssl.isCa);
      expect(leaf.ecCurve).toBe(openssl.nistCurve);
      const [algorithm, bits, curve] = expectedKeys[name];
      expect([leaf.keyAlgorithm, leaf.keyBits, leaf.ecCurve]).toEqual([algorithm, bits, curve]);
      if (openssl.keyBits !== null) expect(leaf.keyBits).toBe(openssl.keyBits);
      expect(leaf.pem).toBe(corpus.read(`${name}.pem`).toString('latin1'));
    });

    it('reads notAfter exactly on both sides of 2050 (UTCTime and GeneralizedTime)', async () => {
      const intermediate = (await leafOf('intermediate.pem')).leaf;
      const leaf = (await leafOf('leafRsa.pem')).leaf;
      expect(intermediate.notAfter.getUTCFullYear()).toBe(2049);
      expect(leaf.notAfter.getUTCFullYear()).toBe(2050);
      expect(corpus.openssl(['asn1parse', '-in', 'leafRsa.pem'])).toContain('GENERALIZEDTIME');
    });

    it('prints a 20-byte serial with the high bit set as openssl does', async () => {
      const { leaf } = await leafOf('leafRsa.pem');
      expect(leaf.serialNumber).toMatch(/^8[0-9a-f]{39}$/);
    });

    it('decodes a UTF-8 subject with accents and finds the codice fiscale', async () => {
      const { leaf } = await leafOf('leafEc.pem');
      expect(leaf.subject).toEqual({
        commonName: 'Città di Forlì',
        organization: 'Comune',
        organizationalUnit: 'Anagrafe',
        country: 'IT',
        serialNumber: 'TINIT-RSSMRA80A01H501U',
        text: 'serialNumber=TINIT-RSSMRA80A01H501U,C=IT,OU=Anagrafe,O=Comune,CN=Città di Forlì',
      });
      expect(leaf.fiscalCode).toBe('RSSMRA80A01H501U');
      expect((await leafOf('leafRsa.pem')).leaf.fiscalCode).toBeNull();
    });

    it('tells self-signed certificates from issued ones', async () => {
      const selfSigned = await Promise.all(
        ['root', 'leafEd', 'leafPss', 'intermediate', 'leafRsa'].map(async (n) => (await leafOf(`${n}.pem`)).leaf.selfSigned),
      );
      expect(selfSigned).toEqual([true, true, true, false, false]);
    });
  });

  describe('PEM bundles and DER', () => {
    it('groups a CRLF PEM bundle with text around it into leaves with their chain', async () => {
      const crlf = (name: string) => corpus.read(name).toString('latin1').replace(/\n/g, '\r\n');
      const text = [
        'Certificati esportati per il Comune\r\n',
        crlf('leafRsa.pem'),
        'Subject: root follows\r\n',
        crlf('root.pem'),
        crlf('intermediate.pem'),
        'trailing note\r\n',
        crlf('leafEc.pem'),
      ].join('');
      corpus.write('bundle.pem', text);
      const { bundles } = await parse('bundle.pem');

      expect(bundles.map((b) => b.leaf.subject.commonName)).toEqual(['040008-PC-1', 'Città di Forlì']);
      for (const bundle of bundles) {
        expect(bundle.source).toBe('bundle.pem');
        expect(bundle.chain.map((c) => c.subject.commonName)).toEqual(['Custode Test Issuing CA', 'Custode Test Root CA']);
        // The root (2045) expires before the intermediate (2049): the earliest link is not the nearest.
        expect(bundle.earliestExpiringChainLink).toEqual({
          commonName: 'Custode Test Root CA',
          notAfter: bundle.chain[1].notAfter,
        });
      }
      expect(bundles[0].leaf.pem).toBe(corpus.read('leafRsa.pem').toString('latin1'));
    });

    it('reads DER and gives the same certificate as its PEM', async () => {
      corpus.openssl(['x509', '-in', 'leafEc.pem', '-outform', 'DER', '-out', 'leafEc.der']);
      const der = await leafOf('leafEc.der');
      expect(der.leaf).toEqual((await leafOf('leafEc.pem')).leaf);
      expect(der.chain).toEqual([]);
      expect(der.earliestExpiringChainLink).toBeNull();
    });

    it("reads OpenSSL's TRUSTED CERTIFICATE, ignoring its trust settings", async () => {
      corpus.openssl(['x509', '-in', 'leafEc.pem', '-trustout', '-addtrust', 'clientAuth', '-out', 'trusted.pem']);
      expect(corpus.read('trusted.pem').toString()).toContain('BEGIN TRUSTED CERTIFICATE');
      expect((await leafOf('trusted.pem')).leaf).toEqual((await leafOf('leafEc.pem')).leaf);
    });

    it('keeps only the certificate of a PEM that also holds its private key', async () => {
      corpus.write('combined.pem', Buffer.concat([corpus.read('leafEc.key'), corpus.read('leafEc.pem')]));
      const { leaf } = await leafOf('combined.pem');
      expect(leaf.pem).not.toContain('PRIVATE');
      expect(leaf.subject.commonName).toBe('Città di Forlì');
    });

    it('refuses more certificates than the limit', async () => {
      await expectCode(parse('bundle.pem', undefined, { maxCertificatesPerFile: 3 }), 'TOO_MANY_CERTIFICATES');
    });
  });

  describe('PKCS#12', () => {
    const exportP12 = (name: string, extra: string[], password = PASSWORD) =>
      corpus.openssl([
        'pkcs12',
        '-export',
        '-in',
        'leafEc.pem',
        '-inkey',
        'leafEc.key',
        '-certfile',
        'chain.pem',
        '-passout',
        `pass:${password}`,
        '-out',
        name,
        ...extra,
      ]);
    const info = (name: string, password = PASSWORD) =>
      corpus.opensslReport([
        'pkcs12',
        '-in',
        name,
        '-info',
        '-noout',
        '-passin',
        `pass:${password}`,
        ...(name.includes('legacy') ? ['-legacy'] : []),
      ]);

    const expectEcBundle = async (file: string, password?: string) => {
      const bundle = await leafOf(file, password);
      expect(bundle.leaf.fingerprintSha256).toBe(corpus.view('leafEc.pem').fingerprint.replace(/:/g, '').toLowerCase());
      expect(bundle.chain.map((c) => c.subject.commonName)).toEqual(['Custode Test Issuing CA', 'Custode Test Root CA']);
    };

    beforeAll(() => {
      exportP12('aes.p12', []);
      exportP12('3des.p12', ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']);
      try {
        exportP12('legacy.p12', ['-legacy']);
      } catch {
        // -legacy needs OpenSSL's legacy provider for RC2; 3DES is the legacy scheme left.
        exportP12('legacy.p12', ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']);
      }
      exportP12('utf8.p12', [], 'pässwörd-€');
      exportP12('nomac.p12', ['-nomac', '-certpbe', 'AES-256-CBC']);
      exportP12('plaincerts.p12', ['-certpbe', 'NONE']);
      exportP12('iter.p12', ['-iter', '1000000']);
      corpus.openssl(['pkcs12', '-export', '-nocerts', '-inkey', 'leafEc.key', '-passout', `pass:${PASSWORD}`, '-out', 'keyonly.p12']);
    }, 60_000);

    it('reads the OpenSSL 3 default (PBES2, AES-256-CBC, HMAC-SHA256 MAC)', async () => {
      expect(info('aes.p12')).toMatch(/PBES2, PBKDF2, AES-256-CBC/);
      await expectEcBundle('aes.p12', PASSWORD);
    });

    it('reads legacy encryption (3DES and, where OpenSSL can write it, RC2-40)', async () => {
      expect(info('3des.p12')).toMatch(/pbeWithSHA1And3-KeyTripleDES-CBC/);
      expect(info('legacy.p12')).toMatch(/pbeWithSHA1And(40BitRC2|3-KeyTripleDES)-CBC/);
      await expectEcBundle('3des.p12', PASSWORD);
      await expectEcBundle('legacy.p12', PASSWORD);
    });

    it('reads a file protected by a non-ASCII password', async () => {
      await expectEcBundle('utf8.p12', 'pässwörd-€');
    });

    it('refuses 10^6 iterations before deriving any key', async () => {
      // Had it derived keys, the default 5 s limit would have answered PKCS12_TIMEOUT instead.
      const error = await rejection(parse('iter.p12', PASSWORD));
      expect(error.code).toBe('PKCS12_ITERATIONS_TOO_HIGH');
    });

    it('applies a lower iteration limit to the MAC and PBE counts (2048 by default)', async () => {
      await expectCode(parse('aes.p12', PASSWORD, { maxPkcs12Iterations: 2000 }), 'PKCS12_ITERATIONS_TOO_HIGH');
    });

    it('tells a wrong password from a missing one, and never repeats it', async () => {
      const wrong = 'not-the-password-4242';
      const error = await rejection(parse('aes.p12', wrong));
      expect(error.code).toBe('PKCS12_WRONG_PASSWORD');
      expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain(wrong);
      await expectCode(parse('aes.p12'), 'PKCS12_PASSWORD_REQUIRED');
    });

    it('detects a wrong password without a MAC', async () => {
      expect(info('nomac.p12')).toMatch(/MAC is absent/);
      await expectCode(parse('nomac.p12', 'wrong'), 'PKCS12_WRONG_PASSWORD');
      await expectEcBundle('nomac.p12', PASSWORD);
    });

    it('needs the password for the MAC even when the certificates are not encrypted', async () => {
      await expectEcBundle('plaincerts.p12', PASSWORD);
      await expectCode(parse('plaincerts.p12', 'wrong'), 'PKCS12_WRONG_PASSWORD');
    });

    it('reports a PKCS#12 without certificates', async () => {
      await expectCode(parse('keyonly.p12', PASSWORD), 'PKCS12_NO_CERTIFICATE');
    });

    it('terminates the worker at the time limit', async () => {
      await expectCode(parse('aes.p12', PASSWORD, { pkcs12TimeoutMs: 1 }), 'PKCS12_TIMEOUT');
    });

    it('keeps the event loop free while the worker derives keys, and stops it in time', async () => {
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 50);
      // Let 10^6 iterations through the count check: forge then needs seconds per key.
      const limits = { maxPkcs12Iterations: 2_000_000, pkcs12TimeoutMs: 1500 };
      await expectCode(parse('iter.p12', PASSWORD, limits), 'PKCS12_TIMEOUT');
      clearInterval(ticker);
      // A blocked event loop would tick once or not at all in the 1.5 s the worker runs.
      expect(ticks).toBeGreaterThanOrEqual(5);
    });
  });

  describe('files that are not certificates', () => {
    it.each([
      ['a PKCS#8 private key', ['pkey', '-in', 'leafRsa.key', '-out', 'k1.pem'], 'k1.pem'],
      ['a traditional RSA key', ['pkey', '-in', 'leafRsa.key', '-traditional', '-out', 'k2.pem'], 'k2.pem'],
      ['an encrypted key', ['pkey', '-in', 'leafEc.key', '-aes256', '-passout', 'pass:x', '-out', 'k3.pem'], 'k3.pem'],
      ['a DER key', ['pkey', '-in', 'leafEc.key', '-outform', 'DER', '-out', 'k4.der'], 'k4.der'],
      ['a DER SEC1 EC key', ['ec', '-in', 'leafEc.key', '-outform', 'DER', '-out', 'k5.der'], 'k5.der'],
    ])('refuses %s', async (_what, command, file) => {
      corpus.openssl(command);
      await expectCode(parse(file), 'PRIVATE_KEY_NOT_CERTIFICATE');
    });

    it('refuses a CSR, PEM or DER', async () => {
      corpus.openssl(['req', '-in', 'leafEc.csr', '-outform', 'DER', '-out', 'leafEc.csr.der']);
      await expectCode(parse('leafEc.csr'), 'CSR_NOT_CERTIFICATE');
      await expectCode(parse('leafEc.csr.der'), 'CSR_NOT_CERTIFICATE');
    });

    it('refuses random bytes and an empty file', async () => {
      corpus.write('random.bin', randomBytes(4096));
      await expectCode(parse('random.bin'), 'UNRECOGNIZED_FORMAT');
      await expectCode(parseCertificateUpload({ data: Buffer.alloc(0) }), 'EMPTY_FILE');
      await expectCode(parseCertificateUpload({ data: Buffer.from(' \r\n') }), 'EMPTY_FILE');
    });

    it('refuses a certificate that OpenSSL and forge read differently (non-minimal DER lengths)', async () => {
      corpus.openssl(['x509', '-in', 'leafEc.pem', '-outform', 'DER', '-out', 'ambiguous.der']);
      const der = corpus.read('ambiguous.der');
      // Certificate and TBS with two-byte lengths, then [0] version and the serial INTEGER.
      expect(der.subarray(0, 2).toString('hex') + der.subarray(4, 6).toString('hex') + der.subarray(8, 14).toString('hex')).toBe(
        '30823082a00302010202',
      );
      const ambiguous = async (data: Buffer) => {
        const error = await rejection(parseCertificateUpload({ data }));
        expect([error.code, error.message]).toEqual(['TRUNCATED_OR_CORRUPT', expect.stringContaining('ambiguous')]);
      };
      // The serial's length in long form (81 nn): OpenSSL reads the same serial and keeps the
      // original TBS bytes for its fingerprint; only forge's re-encoding tells the difference.
      const innerLength = Buffer.concat([der.subarray(0, 14), Buffer.from([0x81]), der.subarray(14)]);
      innerLength.writeUInt16BE(der.readUInt16BE(2) + 1, 2);
      innerLength.writeUInt16BE(der.readUInt16BE(6) + 1, 6);
      await ambiguous(innerLength);
      // The certificate's own length in three bytes (83 00 nn nn): OpenSSL re-encodes it for its fingerprint.
      await ambiguous(Buffer.concat([Buffer.from([0x30, 0x83, 0x00]), der.subarray(2)]));
      expect((await parseCertificateUpload({ data: der })).bundles[0].leaf.subject.commonName).toBe('Città di Forlì');
    });

    it('refuses a file over the size limit', async () => {
      await expectCode(parse('leafEc.pem', undefined, { maxFileBytes: 100 }), 'FILE_TOO_LARGE');
    });

    it('reports truncated DER, PEM and PKCS#12 as such', async () => {
      const der = corpus.read('leafEc.der');
      await expectCode(parseCertificateUpload({ data: der.subarray(0, der.length >> 1) }), 'TRUNCATED_OR_CORRUPT');
      const pem = corpus.read('leafEc.pem').toString('latin1');
      await expectCode(parseCertificateUpload({ data: Buffer.from(pem.slice(0, pem.length - 40)) }), 'TRUNCATED_OR_CORRUPT');
      await expectCode(parseCertificateUpload({ data: Buffer.from(pem.replace(/[A-Za-z]{4}\n/, '!!!!\n')) }), 'TRUNCATED_OR_CORRUPT');
      const p12 = corpus.read('aes.p12');
      await expectCode(parseCertificateUpload({ data: p12.subarray(0, p12.length - 100), password: PASSWORD }), 'TRUNCATED_OR_CORRUPT');
    });

    it('fails fast and cleanly on absurd lengths and deep nesting', async () => {
      const absurd = Buffer.from('3084ffffffff3082ffff02010202', 'hex');
      await expectCode(parseCertificateUpload({ data: absurd }), 'TRUNCATED_OR_CORRUPT');
      const hugeInner = Buffer.concat([Buffer.from('3082010030847fffffff', 'hex'), Buffer.alloc(250)]);
      await expectCode(parseCertificateUpload({ data: hugeInner }), 'TRUNCATED_OR_CORRUPT');
      const indefinite = Buffer.from('3080'.repeat(200_000), 'hex');
      await expectCode(parseCertificateUpload({ data: indefinite }), 'TRUNCATED_OR_CORRUPT');
      await expectCode(parseCertificateUpload({ data: deeplyNested(100_000) }), 'TRUNCATED_OR_CORRUPT');
    });
  });
});

/** SEQUENCE { SEQUENCE { ... NULL } } with definite four-byte lengths, `depth` levels deep. */
function deeplyNested(depth: number): Buffer {
  const out = Buffer.alloc(depth * 6 + 2);
  for (let level = 0; level < depth; level++) {
    out[level * 6] = 0x30;
    out[level * 6 + 1] = 0x84;
    out.writeUInt32BE((depth - level - 1) * 6 + 2, level * 6 + 2);
  }
  out.writeUInt16BE(0x0500, depth * 6);
  return out;
}
