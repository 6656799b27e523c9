import forge from 'node-forge';
import { Asn1 } from './asn1';
import { inspectPkcs12, PKCS12_OIDS } from './pkcs12-inspect';
import { unpackPkcs12Certificates } from './pkcs12-unpack';
import { CertificateParseError, CertificateParseErrorCode } from './x509.types';

const { Class, Type } = forge.asn1;
const node = (type: number, value: string | Asn1[], tagClass = Class.UNIVERSAL) =>
  forge.asn1.create(tagClass, type, Array.isArray(value), value);
const seq = (...items: Asn1[]) => node(Type.SEQUENCE, items);
const int = (hex: string) => node(Type.INTEGER, Buffer.from(hex, 'hex').toString('binary'));
const oid = (id: string) => node(Type.OID, forge.asn1.oidToDer(id).getBytes());
const octets = (bytes: Buffer) => node(Type.OCTETSTRING, bytes.toString('binary'));
const explicit0 = (inner: Asn1) => node(0, [inner], Class.CONTEXT_SPECIFIC);
const der = (asn1: Asn1) => Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');

const SALT = octets(Buffer.alloc(8, 7));
const SHA256 = '2.16.840.1.101.3.4.2.1';
const AES256_CBC = '2.16.840.1.101.3.4.1.42';
const PBE_SHA1_3DES = '1.2.840.113549.1.12.1.3';

const pbes2 = (iterations: string, kdf: string = PKCS12_OIDS.pbkdf2) =>
  seq(oid(PKCS12_OIDS.pbes2), seq(seq(oid(kdf), seq(SALT, int(iterations))), seq(oid(AES256_CBC), octets(Buffer.alloc(16)))));
const pkcs12Pbe = (iterations: string) => seq(oid(PBE_SHA1_3DES), seq(SALT, int(iterations)));

const encryptedData = (algorithm: Asn1) =>
  seq(
    oid(PKCS12_OIDS.encryptedData),
    explicit0(seq(int('00'), seq(oid(PKCS12_OIDS.data), algorithm, node(0, 'ciphertext', Class.CONTEXT_SPECIFIC)))),
  );
const bag = (bagOid: string, value: Asn1) => seq(oid(bagOid), explicit0(value));
const shroudedKey = (algorithm: Asn1) => bag(PKCS12_OIDS.shroudedKeyBag, seq(algorithm, octets(Buffer.alloc(32))));
const plainData = (...bags: Asn1[]) => seq(oid(PKCS12_OIDS.data), explicit0(octets(der(seq(...bags)))));

function pfx(contents: Asn1[], macIterations?: string): Buffer {
  const authSafe = octets(der(seq(...contents)));
  const mac = macIterations === undefined ? [] : [seq(seq(seq(oid(SHA256)), octets(Buffer.alloc(32))), SALT, int(macIterations))];
  return der(seq(int('03'), seq(oid(PKCS12_OIDS.data), explicit0(authSafe)), ...mac));
}

function codeOf(run: () => unknown): CertificateParseErrorCode | null {
  try {
    run();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(CertificateParseError);
    return (error as CertificateParseError).code;
  }
}

const LIMIT = 200_000;

describe(inspectPkcs12.name, () => {
  it('accepts counts within the limit', () => {
    expect(
      codeOf(() => inspectPkcs12(pfx([encryptedData(pbes2('0800')), plainData(shroudedKey(pbes2('0800')))], '0800'), LIMIT)),
    ).toBeNull();
  });

  it.each([
    ['the MAC', pfx([], '0f4240')],
    ['PBES2 encrypted contents', pfx([encryptedData(pbes2('0f4240'))])],
    ['a PKCS#12 PBE key bag', pfx([plainData(shroudedKey(pkcs12Pbe('030d41')))])],
    ['a key bag nested in a SafeContents bag', pfx([plainData(bag(PKCS12_OIDS.safeContentsBag, seq(shroudedKey(pbes2('0f4240')))))])],
    ['a count wider than 48 bits', pfx([encryptedData(pbes2('010000000000000000'))])],
  ])('refuses a count above the limit in %s', (_where, file) => {
    expect(codeOf(() => inspectPkcs12(file, LIMIT))).toBe('PKCS12_ITERATIONS_TOO_HIGH');
  });

  it('is checked again inside the worker code', () => {
    expect(codeOf(() => unpackPkcs12Certificates(pfx([encryptedData(pbes2('0f4240'))]), 'x', LIMIT))).toBe('PKCS12_ITERATIONS_TOO_HIGH');
  });

  it('refuses zero or negative counts, unknown key derivations and deep nesting', () => {
    expect(codeOf(() => inspectPkcs12(pfx([encryptedData(pbes2('00'))]), LIMIT))).toBe('TRUNCATED_OR_CORRUPT');
    expect(codeOf(() => inspectPkcs12(pfx([], 'ff'), LIMIT))).toBe('TRUNCATED_OR_CORRUPT');
    expect(codeOf(() => inspectPkcs12(pfx([encryptedData(pbes2('0800', '1.3.6.1.4.1.11591.4.11'))]), LIMIT))).toBe('UNRECOGNIZED_FORMAT');
    let nested = shroudedKey(pbes2('0800'));
    for (let i = 0; i < 5; i++) nested = bag(PKCS12_OIDS.safeContentsBag, seq(nested));
    expect(codeOf(() => inspectPkcs12(pfx([plainData(nested)]), LIMIT))).toBe('TRUNCATED_OR_CORRUPT');
  });
});
