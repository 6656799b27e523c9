import { normalizeCompany, normalizePersonName } from './name-matching';

describe('name matching', () => {
  it('treats company names the same whatever the case, accents, punctuation and legal form', () => {
    const sut = normalizeCompany;
    expect(sut('Alfa Informatica S.r.l.')).toBe('alfa informatica');
    expect(sut('ALFA INFORMATICA srl')).toBe('alfa informatica');
    expect(sut('Alfa  Informatica S.p.A.')).toBe('alfa informatica');
    expect(sut('Società Àlfa Informatica')).toBe('alfa informatica');
    expect(sut("L'Informatica Srl")).toBe('linformatica');
  });

  it('keeps a name that is only a legal form rather than returning nothing', () => {
    expect(normalizeCompany('S.p.A.')).toBe('spa');
  });

  it('does not match a different company that merely contains the name', () => {
    expect(normalizeCompany('Alfa Informatica Sud')).not.toBe(normalizeCompany('Alfa Informatica'));
  });

  it('matches a person in either name order, without accents or case', () => {
    const sut = normalizePersonName;
    expect(sut('Mario Rossi')).toBe(sut('ROSSI mario'));
    expect(sut('Niccolò De Luca')).toBe(sut('de luca niccolo'));
    expect(sut('Mario Rossi')).not.toBe(sut('Marco Rossi'));
  });
});
