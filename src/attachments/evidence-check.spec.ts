import { detectEvidence, isEvidenceMediaType } from './evidence-check';

describe('detectEvidence', () => {
  it('recognises PNG, JPEG and UTF-8 text by their content', () => {
    expect(detectEvidence(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toBe('png');
    expect(detectEvidence(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('jpeg');
    expect(detectEvidence(Buffer.from('Chiamata ricevuta alle 10:02 dal numero 02 1234567 — «tecnico»', 'utf8'))).toBe('text');
  });

  it('refuses binaries, invalid UTF-8 and empty files', () => {
    expect(detectEvidence(Buffer.from([0x4d, 0x5a, 0x90, 0x00]))).toBeNull();
    expect(detectEvidence(Buffer.from([0xc3, 0x28]))).toBeNull();
    expect(detectEvidence(Buffer.alloc(0))).toBeNull();
  });

  it('accepts as stored evidence PDF, PNG, JPEG and UTF-8 text only', () => {
    for (const ok of ['application/pdf', 'image/png', 'image/jpeg', 'text/plain; charset=utf-8'])
      expect(isEvidenceMediaType(ok)).toBe(true);
    for (const no of ['application/x-pkcs12', 'text/html', 'image/svg+xml', 'text/plain', '']) expect(isEvidenceMediaType(no)).toBe(false);
  });
});
