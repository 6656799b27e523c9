import forge from 'node-forge';
import { Asn1 } from './asn1';
import { readNameAttributes, toDistinguishedName } from './distinguished-name';

const { Class, Type } = forge.asn1;
const node = (type: number, value: string | Asn1[]) => forge.asn1.create(Class.UNIVERSAL, type, Array.isArray(value), value);
const pair = (oid: string, type: number, bytes: Buffer) =>
  node(Type.SEQUENCE, [node(Type.OID, forge.asn1.oidToDer(oid).getBytes()), node(type, bytes.toString('binary'))]);
const rdn = (...pairs: Asn1[]) => node(Type.SET, pairs);
const name = (...rdns: Asn1[]) => node(Type.SEQUENCE, rdns);

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const bmp = (text: string) => Buffer.from(text, 'utf16le').swap16();

describe(toDistinguishedName.name, () => {
  it('reads the common attributes and writes RFC 4514 text, most specific first', () => {
    const dn = toDistinguishedName(
      readNameAttributes(
        name(
          rdn(pair('2.5.4.6', Type.PRINTABLESTRING, Buffer.from('IT'))),
          rdn(pair('2.5.4.10', Type.BMPSTRING, bmp('Comune di Forlì'))),
          rdn(pair('2.5.4.11', Type.UTF8, utf8('Anagrafe')), pair('2.5.4.11', Type.UTF8, utf8('Stato civile'))),
          rdn(pair('2.5.4.3', Type.UTF8, utf8(' Rossi, Mario '))),
        ),
      ),
    );
    expect(dn).toEqual({
      commonName: ' Rossi, Mario ',
      organization: 'Comune di Forlì',
      organizationalUnit: 'Anagrafe',
      country: 'IT',
      serialNumber: null,
      text: 'CN=\\ Rossi\\, Mario\\ ,OU=Stato civile+OU=Anagrafe,O=Comune di Forlì,C=IT',
    });
  });

  it('prints an unknown attribute type by OID with its value as #hex, and control characters escaped', () => {
    const dn = toDistinguishedName(
      readNameAttributes(name(rdn(pair('1.3.6.1.4.1.99999.1', Type.UTF8, utf8('x'))), rdn(pair('2.5.4.3', Type.UTF8, utf8('a\u0001b'))))),
    );
    expect(dn.text).toBe('CN=a\\01b,1.3.6.1.4.1.99999.1=#0C0178');
  });
});
