import { PHRASE_WORDS, PhraseHasher, generatePhrase, normalizePhrase } from './verification-phrase';

describe(PhraseHasher.name, () => {
  const sut = new PhraseHasher('a-test-secret-of-at-least-thirty-two-characters');
  const id = '6f1c1d3e-2b47-4a55-9a37-1d7e4d2f0a11';

  it('has 256 distinct plain words, so four words and a number give about 38 bits', () => {
    expect(new Set(PHRASE_WORDS).size).toBe(256);
    expect(PHRASE_WORDS.every((w) => /^[a-z]+$/.test(w))).toBe(true);
  });

  it('generates phrases of four words and a two-digit number, different each time', () => {
    const phrases = Array.from({ length: 50 }, generatePhrase);
    for (const p of phrases) expect(p).toMatch(/^([a-z]+-){4}\d{2}$/);
    expect(new Set(phrases).size).toBe(50);
  });

  it('accepts the phrase read out with other spacing, case or punctuation', () => {
    const phrase = 'mela-fiume-treno-42';
    const stored = sut.hash(id, phrase);
    expect(sut.matches(id, 'Mela Fiume, treno 42', stored)).toBe(true);
    expect(normalizePhrase('  MELA  fiume/treno-42 ')).toBe(phrase);
  });

  it('refuses another phrase, the phrase of another intervention and a corrupt hash', () => {
    const stored = sut.hash(id, 'mela-fiume-treno-42');
    expect(sut.matches(id, 'mela-fiume-treno-43', stored)).toBe(false);
    expect(sut.matches('00000000-0000-4000-8000-000000000000', 'mela-fiume-treno-42', stored)).toBe(false);
    expect(sut.matches(id, 'mela-fiume-treno-42', 'abc')).toBe(false);
  });

  it('stores a keyed hash: another secret gives another hash, and the phrase is not in it', () => {
    const other = new PhraseHasher('another-secret-of-at-least-thirty-two-chars');
    expect(other.hash(id, 'mela-fiume-treno-42')).not.toBe(sut.hash(id, 'mela-fiume-treno-42'));
    expect(sut.hash(id, 'mela-fiume-treno-42')).toMatch(/^[0-9a-f]{64}$/);
  });
});
