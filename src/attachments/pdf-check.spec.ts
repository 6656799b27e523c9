import PDFDocument from 'pdfkit';
import { checkPdf } from './pdf-check';

function makePdf(options: PDFKit.PDFDocumentOptions = {}): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument(options);
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.text('Decreto sindacale n. 1/2025');
    doc.end();
  });
}

describe(checkPdf.name, () => {
  it('accepts a real PDF and counts its pages', async () => {
    await expect(checkPdf(await makePdf())).resolves.toEqual({ ok: true, pages: 1 });
  });

  it('refuses content without the %PDF- header, whatever its name', async () => {
    await expect(checkPdf(Buffer.from(''))).resolves.toEqual({ ok: false, reason: 'not_pdf' });
    await expect(checkPdf(Buffer.from('\x89PNG\r\n\x1a\n0000'))).resolves.toEqual({ ok: false, reason: 'not_pdf' });
    await expect(checkPdf(Buffer.from(' %PDF-1.7'))).resolves.toEqual({ ok: false, reason: 'not_pdf' });
  });

  it('refuses a file that only starts like a PDF', async () => {
    await expect(checkPdf(Buffer.from('%PDF-1.7\nnot really a pdf\n'))).resolves.toEqual({ ok: false, reason: 'unreadable' });
  });

  it('refuses a truncated PDF', async () => {
    const pdf = await makePdf();
    await expect(checkPdf(pdf.subarray(0, Math.floor(pdf.length / 2)))).resolves.toMatchObject({ ok: false });
  });

  it('refuses a password-protected PDF', async () => {
    const pdf = await makePdf({ userPassword: 'segreto', pdfVersion: '1.7' });
    await expect(checkPdf(pdf)).resolves.toEqual({ ok: false, reason: 'encrypted' });
  });

  it('does not consume the caller buffer', async () => {
    const pdf = await makePdf();
    const copy = Buffer.from(pdf);
    await checkPdf(pdf);
    expect(pdf.equals(copy)).toBe(true);
  });
});
