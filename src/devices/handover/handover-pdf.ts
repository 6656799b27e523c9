import { createPdf } from '../../common/pdf/pdf-document';
import { HandoverContent } from '../entities/device-details.entity';

const fmtDay = (day: string): string => {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
};

const fmtInstant = (iso: string): string =>
  new Intl.DateTimeFormat('it-IT', { timeZone: 'Europe/Rome', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(iso));

/**
 * The handover receipt (verbale di consegna / di restituzione) as an A4 PDF in Italian, for
 * signature. Built only from the receipt's frozen content, so a reprint shows the same text.
 */
export function renderHandoverPdf(receipt: {
  number: string;
  direction: 'delivery' | 'return';
  content: HandoverContent;
}): Promise<Buffer> {
  const c = receipt.content;
  const { doc, done } = createPdf({ title: `Verbale ${receipt.number}`, author: c.organizationName, createdAt: new Date(c.issuedOn) });
  const delivery = receipt.direction === 'delivery';

  doc.font('Helvetica-Bold').fontSize(14).text(c.organizationName.toUpperCase(), { align: 'center' });
  doc.font('Helvetica').fontSize(10).text(`Codice ISTAT ${c.istatCode}`, { align: 'center' }).moveDown(1.5);
  doc
    .font('Helvetica-Bold')
    .fontSize(13)
    .text(
      delivery ? 'VERBALE DI CONSEGNA DEL DISPOSITIVO DI SICUREZZA ANPR' : 'VERBALE DI RESTITUZIONE DEL DISPOSITIVO DI SICUREZZA ANPR',
      { align: 'center' },
    );
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(`N. ${receipt.number} del ${fmtDay(c.issuedOn)}`, { align: 'center' })
    .moveDown(1.5);

  doc
    .fontSize(11)
    .text(
      delivery
        ? `In data ${fmtDay(c.issuedOn)} ${c.issuedBy}, per il ${c.organizationName}, consegna a:`
        : `In data ${fmtDay(c.issuedOn)} ${c.issuedBy}, per il ${c.organizationName}, riceve in restituzione da:`,
    )
    .moveDown(0.5);
  const row = (label: string, value: string | null) => {
    doc
      .font('Helvetica-Bold')
      .text(`${label}: `, { continued: true })
      .font('Helvetica')
      .text(value ?? '—');
  };
  row('Titolare', c.holderName);
  row('Codice fiscale', c.holderFiscalCode);
  row('Ufficio', c.holderOffice);
  doc.moveDown(0.8).text('il seguente dispositivo di sicurezza:').moveDown(0.5);
  row('Tipo', c.deviceKindLabel);
  row('Identificativo', c.deviceLabel);
  row('Numero di serie', c.deviceSerial);
  row('Postazione', c.workstationCode);
  row('Scadenza', c.expiresAt ? fmtInstant(c.expiresAt) : null);
  if (c.note) row('Note', c.note);
  doc.moveDown(1);
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(
      delivery
        ? 'Il titolare dichiara di aver ricevuto il dispositivo e si impegna a custodirlo con la massima diligenza. ' +
            'Il dispositivo è strettamente personale e non cedibile (Circolare DAIT n. 20/2022): PIN, PUK e password ' +
            'non vanno comunicati a nessuno, nemmeno a chi si presenta come tecnico di assistenza (Circolare DAIT n. 74/2025). ' +
            "Ogni smarrimento, furto o sospetto uso improprio va segnalato subito all'Amministratore locale della sicurezza."
        : 'Il dispositivo è restituito al Comune, che ne cura la custodia, la distruzione o la richiesta di revoca secondo le istruzioni del Ministero.',
      { align: 'justify' },
    );
  doc.moveDown(3);
  const y = doc.y;
  doc
    .fontSize(11)
    .text(delivery ? 'Chi consegna' : 'Chi riceve', 56, y)
    .text(delivery ? 'Il titolare, per ricevuta' : 'Il titolare', 330, y);
  doc.moveDown(2.5);
  const line = doc.y;
  doc.moveTo(56, line).lineTo(250, line).stroke().moveTo(330, line).lineTo(524, line).stroke();
  doc
    .moveDown(2)
    .fontSize(8)
    .fillColor('#555555')
    .text(`Documento generato da Custode il ${fmtInstant(c.issuedAt)}. Verbale n. ${receipt.number}.`, 56);
  doc.end();
  return done;
}
