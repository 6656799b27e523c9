import PDFDocument from 'pdfkit';

/**
 * The one PDF setup of Custode (A4, Helvetica, Italian documents): a document whose bytes arrive
 * when it ends, page footers, and the few text blocks the registers and reports use. pdfkit's
 * standard fonts cover the WinAnsi set, which holds every Italian letter and « » ’ —.
 */
export interface PdfInfo {
  title: string;
  author: string;
  subject?: string;
  createdAt: Date;
}

export interface PdfHandle {
  doc: PDFKit.PDFDocument;
  /** Resolves with the file once `doc.end()` was called. */
  done: Promise<Buffer>;
}

export const PDF_MARGIN = 56;

export function createPdf(info: PdfInfo): PdfHandle {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: PDF_MARGIN, bottom: 64, left: PDF_MARGIN, right: PDF_MARGIN },
    bufferPages: true,
    // pdfkit hashes every info value into the file id: an undefined one would throw.
    info: {
      Title: info.title,
      Author: info.author,
      ...(info.subject ? { Subject: info.subject } : {}),
      Creator: 'Custode',
      CreationDate: info.createdAt,
    },
  });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}

/** Writes `text(page, count)` at the foot of every page; call once, just before `doc.end()`. */
export function addFooters(doc: PDFKit.PDFDocument, text: (page: number, count: number) => string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#444444')
      .text(text(i + 1, range.count), PDF_MARGIN, doc.page.height - 40, {
        width: doc.page.width - 2 * PDF_MARGIN,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
}

export function heading(doc: PDFKit.PDFDocument, title: string): void {
  doc.moveDown(1).font('Helvetica-Bold').fontSize(12).fillColor('black').text(title, PDF_MARGIN);
  doc.moveDown(0.3);
}

export function paragraph(doc: PDFKit.PDFDocument, text: string, options: { bold?: boolean; size?: number; indent?: number } = {}): void {
  doc
    .font(options.bold ? 'Helvetica-Bold' : 'Helvetica')
    .fontSize(options.size ?? 10)
    .fillColor('black')
    .text(text, PDF_MARGIN + (options.indent ?? 0), undefined, { align: 'left' });
}

/** "Label: value" on one line; an absent value shows a dash. */
export function field(doc: PDFKit.PDFDocument, label: string, value: string | number | null | undefined, indent = 0): void {
  doc
    .fontSize(10)
    .fillColor('black')
    .font('Helvetica-Bold')
    .text(`${label}: `, PDF_MARGIN + indent, undefined, { continued: true })
    .font('Helvetica')
    .text(value === null || value === undefined || value === '' ? '—' : String(value));
}
