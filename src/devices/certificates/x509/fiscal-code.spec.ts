import { NameAttribute } from './distinguished-name';
import { findFiscalCode } from './fiscal-code';

const attribute = (oid: string, value: string): NameAttribute => ({
  oid,
  value,
  rdn: 0,
  der: Buffer.alloc(0),
});
const serialNumber = (value: string) => attribute('2.5.4.5', value);
const commonName = (value: string) => attribute('2.5.4.3', value);

describe(findFiscalCode.name, () => {
  it.each([
    ['an ETSI semantic identifier', [serialNumber('TINIT-RSSMRA80A01H501U')]],
    ['the older IT: prefix', [serialNumber('IT:RSSMRA80A01H501U')]],
    ['a bare serialNumber, lower case', [serialNumber('rssmra80a01h501u')]],
    ['a CNS common name', [commonName('RSSMRA80A01H501U/7420091000049623.fmIFjpdv5dCFXS4nNe3nyg8IL0I=')]],
    ['a name/code common name', [commonName('ROSSI MARIO/RSSMRA80A01H501U')]],
  ])('finds the code in %s', (_what, subject) => {
    expect(findFiscalCode(subject)).toBe('RSSMRA80A01H501U');
  });

  it('prefers the serialNumber attribute to the CN', () => {
    expect(findFiscalCode([commonName('X/RSSMRA79B11C566R'), serialNumber('TINIT-RSSMRA80A01H501U')])).toBe('RSSMRA80A01H501U');
  });

  it.each([
    ['a wrong check character', 'TINIT-RSSMRA80A01H501A'],
    ['an impossible date (31 February, valid check character)', 'TINIT-RSSMRA80B31H501W'],
    ['a company VAT number', 'VATIT-01234567890'],
    ['nothing', ''],
  ])('finds nothing with %s', (_what, value) => {
    expect(findFiscalCode([serialNumber(value), commonName('040008-PC-1')])).toBeNull();
  });

  it('ignores other attributes', () => {
    expect(findFiscalCode([attribute('2.5.4.10', 'RSSMRA80A01H501U')])).toBeNull();
  });
});
