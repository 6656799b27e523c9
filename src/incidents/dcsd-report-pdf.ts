import { addFooters, createPdf, field, heading, paragraph } from '../common/pdf/pdf-document';
import { italianDateTime } from '../common/time/italian-format';
import { IncidentDto } from './dto/incident.dto';

export interface DcsdReportModel {
  comune: { name: string; istatCode: string; province: string | null; pec: string | null };
  incident: IncidentDto;
  producedAt: Date;
  producedBy: string;
}

const day = (d: string | null | undefined): string | null => (d ? `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}` : null);
const at = (iso: string | null | undefined): string | null => (iso ? italianDateTime(new Date(iso)) : null);

/**
 * The detailed report to the Ministry's Direzione Centrale per i Servizi Demografici that Circolare
 * DAIT 74/2025 asks for, in Italian, from everything the incident holds: facts, the call, what was
 * involved, containment, reports, the GDPR assessment, the timeline and the evidence with hashes.
 */
export function renderDcsdReport(model: DcsdReportModel): Promise<Buffer> {
  const i = model.incident;
  const { doc, done } = createPdf({
    title: `Relazione sull'incidente n. ${i.number} - ${model.comune.name}`,
    author: model.comune.name,
    subject: 'Relazione dettagliata per la Direzione Centrale per i Servizi Demografici (Circolare DAIT 74/2025)',
    createdAt: model.producedAt,
  });
  const province = model.comune.province ? ` (${model.comune.province})` : '';

  doc.font('Helvetica-Bold').fontSize(14).text(`${model.comune.name.toUpperCase()}${province}`, { align: 'center' });
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(`Codice ISTAT ${model.comune.istatCode}${model.comune.pec ? ` - PEC ${model.comune.pec}` : ''}`, { align: 'center' });
  doc.moveDown(1.2);
  paragraph(doc, "Al Ministero dell'Interno - Dipartimento per gli Affari Interni e Territoriali");
  paragraph(doc, 'Direzione Centrale per i Servizi Demografici (DCSD)');
  doc.moveDown(0.8);
  paragraph(
    doc,
    `Oggetto: relazione dettagliata sull'incidente di sicurezza n. ${i.number} - ${i.typeLabel} (Circolare DAIT n. 74 del 30 settembre 2025).`,
    {
      bold: true,
    },
  );

  heading(doc, '1. Dati dell’incidente');
  field(doc, 'Numero', i.number);
  field(doc, 'Tipo', i.typeLabel);
  field(doc, 'Titolo', i.title);
  field(doc, 'Stato', i.statusLabel);
  field(doc, 'Avvenuto il', at(i.occurredAt));
  field(doc, 'Rilevato il', at(i.detectedAt));
  field(doc, 'Conoscenza acquisita il', at(i.awareAt));
  field(doc, 'Segnalato da', i.reportedBy);

  heading(doc, '2. Descrizione dei fatti');
  paragraph(doc, i.description);
  if (i.call) {
    doc.moveDown(0.4);
    field(doc, 'Chiamata ricevuta il', at(i.call.calledAt));
    field(doc, 'Numero chiamante', i.call.callerNumber);
    field(doc, 'Azienda dichiarata', i.call.claimedCompany);
    field(doc, 'Nome dichiarato', i.call.claimedName);
    field(doc, 'Richieste del chiamante', i.call.requestedLabels.join(', ') + (i.call.requestedOther ? ` (${i.call.requestedOther})` : ''));
    field(doc, 'Azioni compiute', i.call.doneLabels.join(', '));
  }

  heading(doc, '3. Dispositivi, persone e postazioni coinvolti');
  if (i.devices.length + i.holders.length + i.workstations.length === 0) paragraph(doc, 'Nessuno.');
  for (const d of i.devices) paragraph(doc, `${d.kindLabel} «${d.label}» - stato attuale: ${d.statusLabel.toLowerCase()}`, { indent: 12 });
  for (const w of i.workstations) paragraph(doc, `Postazione ${w.name}`, { indent: 12 });
  for (const h of i.holders) paragraph(doc, `Persona: ${h.name}`, { indent: 12 });

  heading(doc, '4. Misure di contenimento');
  const steps = i.timeline.filter((e) => e.type === 'containment_step');
  if (steps.length === 0)
    paragraph(doc, i.containedAt ? 'Nessun dispositivo da mettere in sicurezza.' : 'Contenimento non ancora registrato.');
  for (const s of steps) paragraph(doc, `${at(s.at)} - ${s.summary}`, { indent: 12 });
  if (i.containedAt) field(doc, 'Incidente contenuto il', at(i.containedAt));

  heading(doc, '5. Segnalazioni alle autorità');
  field(
    doc,
    'Polizia',
    i.policeReport
      ? `${i.policeReport.office}, il ${day(i.policeReport.reportedOn)}, protocollo ${i.policeReport.protocol}`
      : 'non ancora registrata',
  );
  field(
    doc,
    'DCSD',
    i.dcsdCommunication
      ? `comunicazione del ${day(i.dcsdCommunication.sentOn)}, protocollo ${i.dcsdCommunication.protocol}`
      : 'la presente relazione',
  );

  heading(doc, '6. Protezione dei dati personali (artt. 33-34 GDPR)');
  const b = i.breach;
  if (!b) paragraph(doc, 'L’incidente non è stato registrato come possibile violazione di dati personali.');
  else {
    field(doc, 'Conoscenza acquisita il', at(b.awareAt));
    field(doc, 'Termine di 72 ore', at(b.deadlineAt));
    field(doc, 'Natura della violazione', b.nature);
    field(doc, 'Categorie di dati', b.dataCategories.join(', '));
    field(doc, 'Interessati (circa)', b.subjectsApprox);
    field(doc, 'Registrazioni (circa)', b.recordsApprox);
    field(doc, 'Probabili conseguenze', b.consequences);
    field(doc, 'Misure adottate o proposte', b.measures);
    field(doc, 'Valutazione', b.assessmentLabel ? `${b.assessmentLabel}; ${b.riskLabel ?? ''}` : 'in corso');
    field(doc, 'Motivazione', b.assessmentReasons);
    field(
      doc,
      'Notifica preliminare al Garante',
      b.preliminaryNotification ? `${at(b.preliminaryNotification.notifiedAt)}, rif. ${b.preliminaryNotification.reference}` : null,
    );
    field(
      doc,
      'Notifica completa al Garante',
      b.completeNotification ? `${at(b.completeNotification.notifiedAt)}, rif. ${b.completeNotification.reference}` : null,
    );
    field(doc, 'Motivi del ritardo', b.delayReasons);
    field(doc, 'Comunicazione agli interessati', b.dataSubjects ? `${b.dataSubjects.decisionLabel}. ${b.dataSubjects.note}` : null);
    field(doc, 'Contatto del RPD', b.dpoContact);
  }

  heading(doc, '7. Cronologia delle azioni');
  for (const e of i.timeline) paragraph(doc, `${at(e.at)} - ${e.actor}: ${e.summary}`, { size: 9, indent: 12 });

  heading(doc, '8. Documenti allegati');
  if (i.attachments.length === 0) paragraph(doc, 'Nessun documento allegato.');
  i.attachments.forEach((a, n) => {
    paragraph(doc, `${n + 1}. ${a.fileName} (${a.mediaType}, ${a.sizeBytes} byte)${a.description ? ` - ${a.description}` : ''}`, {
      indent: 12,
    });
    paragraph(doc, `SHA-256: ${a.sha256}`, { size: 8, indent: 24 });
  });

  doc.moveDown(2);
  paragraph(doc, 'L’Amministratore locale della sicurezza', { indent: 280 });
  doc.moveDown(2);
  const y = doc.y;
  doc
    .moveTo(336, y)
    .lineTo(doc.page.width - 56, y)
    .stroke();

  addFooters(
    doc,
    (page, count) =>
      `${model.comune.name} - Relazione sull'incidente n. ${i.number} - prodotta da Custode il ${italianDateTime(model.producedAt)} (ora di Roma) da ${model.producedBy} - pagina ${page} di ${count}`,
  );
  doc.end();
  return done;
}
