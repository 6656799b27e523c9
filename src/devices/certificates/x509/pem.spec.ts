import { certificateToPem, looksLikePem, readPemBlocks } from './pem';
import { CertificateParseError } from './x509.types';

const der = Buffer.from('3003020101', 'hex');
const block = (label: string, body = der.toString('base64'), eol = '\n') =>
  `-----BEGIN ${label}-----${eol}${body}${eol}-----END ${label}-----${eol}`;

describe(readPemBlocks.name, () => {
  it('finds blocks among other text, with CRLF or LF', () => {
    const text = `Oggetto: certificati\r\n${block('CERTIFICATE', undefined, '\r\n')}note\n${block('PRIVATE KEY')}${block('X509 CRL')}`;
    expect(readPemBlocks(Buffer.from(text), 10)).toEqual([
      { kind: 'certificate', der },
      { kind: 'private-key', der: Buffer.alloc(0) },
      { kind: 'other', der: Buffer.alloc(0) },
    ]);
  });

  it('never decodes a private key body', () => {
    const [key] = readPemBlocks(Buffer.from(block('RSA PRIVATE KEY', 'not base64 at all!')), 10);
    expect(key).toEqual({ kind: 'private-key', der: Buffer.alloc(0) });
  });

  it.each(['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'])('tells a %s apart', (label) => {
    expect(readPemBlocks(Buffer.from(block(label)), 10)[0].kind).toBe('csr');
  });

  it('stops one certificate past the limit', () => {
    expect(readPemBlocks(Buffer.from(block('CERTIFICATE').repeat(50)), 3)).toHaveLength(4);
  });

  it('reports an unterminated block and bad base64 as corrupt', () => {
    expect(() => readPemBlocks(Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB'), 10)).toThrow(CertificateParseError);
    expect(() => readPemBlocks(Buffer.from(block('CERTIFICATE', 'MII*')), 10)).toThrow(CertificateParseError);
  });

  it('refuses hostile input without blowing up (its cost is measured in bench/, not here)', () => {
    expect(readPemBlocks(Buffer.from('-----BEGIN -----BEGIN x'.repeat(200_000)), 10)).toEqual([]);
    expect(() => readPemBlocks(Buffer.from(`${'-----BEGIN CERTIFICATE-----\n'.repeat(100_000)}`), 10)).toThrow(CertificateParseError);
  });
});

describe(certificateToPem.name, () => {
  it('writes 64-column base64 with LF and a final newline', () => {
    const pem = certificateToPem(Buffer.alloc(100, 1));
    const lines = pem.split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines[1]).toHaveLength(64);
    expect(pem.endsWith('-----END CERTIFICATE-----\n')).toBe(true);
    expect(looksLikePem(Buffer.from(pem))).toBe(true);
    expect(readPemBlocks(Buffer.from(pem), 1)[0].der).toEqual(Buffer.alloc(100, 1));
  });
});
