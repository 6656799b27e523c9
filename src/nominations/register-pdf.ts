import { DateTime } from 'luxon';
import { createPdf } from '../common/pdf/pdf-document';
import { AuditVerification } from '../audit/audit.service';
import { ROME } from '../common/time';
import { NominationDto } from './dto/nomination.dto';
import { NOMINATION_ROLE_LABELS_IT, italianDate } from './nomination-labels';
import { NOMINATION_ROLES } from './nomination-lifecycle';

export interface RegisterModel {
  comune: { name: string; istatCode: string; province: string | null };
  producedAt: Date;
  producedBy: string;
  nominations: NominationDto[];
  audit: AuditVerification;
}

export const romeDateTime = (at: Date): string => DateTime.fromJSDate(at, { zone: ROME }).toFormat('dd/LL/yyyy HH:mm:ss');
const isoToItalian = (iso: string | null): string => (iso ? romeDateTime(new Date(iso)) : '');

/** The roles in force first, then pending acts, then the history: each group in act order. */
export function registerSections(nominations: NominationDto[]) {
  const byRole = (a: NominationDto, b: NominationDto) =>
    NOMINATION_ROLES.indexOf(a.role) - NOMINATION_ROLES.indexOf(b.role) || a.actDate.localeCompare(b.actDate);
  return {
    current: nominations.filter((n) => n.status === 'active').sort(byRole),
    pending: nominations.filter((n) => n.status === 'draft' || n.status === 'signed').sort(byRole),
    history: nominations
      .filter((n) => ['revoked', 'superseded', 'expired'].includes(n.status))
      .sort((a, b) => a.actDate.localeCompare(b.actDate)),
  };
}

/** The register of nominations as a PDF in Italian, for the Comune's records. */
export function renderRegisterPdf(model: RegisterModel): Promise<Buffer> {
  const { doc, done } = createPdf({
    title: `Registro delle nomine di sicurezza ANPR - ${model.comune.name}`,
    author: 'Custode',
    subject: 'Nomine di ALS, ALP e responsabili dei certificati di postazione',
    createdAt: model.producedAt,
  });
  const { current, pending, history } = registerSections(model.nominations);
  const province = model.comune.province ? ` (${model.comune.province})` : '';

  doc.font('Helvetica-Bold').fontSize(16).text('Registro delle nomine per la sicurezza ANPR');
  doc.moveDown(0.3).font('Helvetica').fontSize(11).text(`${model.comune.name}${province} - codice ISTAT ${model.comune.istatCode}`);
  doc
    .fontSize(9)
    .fillColor('#444')
    .text(`Prodotto il ${romeDateTime(model.producedAt).replace(' ', ' alle ')} (ora di Roma) da ${model.producedBy}`);
  doc.text('DPCM 10 novembre 2014 n. 194, Allegato C; Circolare DAIT 20/2022.').fillColor('black');

  section(doc, '1. Ruoli in vigore');
  for (const role of ['als', 'alp'] as const) {
    if (!current.some((n) => n.role === role)) line(doc, `${NOMINATION_ROLE_LABELS_IT[role]}: VACANTE`, true);
  }
  if (current.length === 0) line(doc, 'Nessuna nomina in vigore.');
  current.forEach((n) => entry(doc, n));

  section(doc, '2. Nomine in corso di perfezionamento (bozze e atti firmati non ancora registrati)');
  if (pending.length === 0) line(doc, 'Nessuna.');
  pending.forEach((n) => entry(doc, n));

  section(doc, '3. Storico (nomine revocate, sostituite o scadute)');
  if (history.length === 0) line(doc, 'Nessuna.');
  history.forEach((n) => entry(doc, n));

  section(doc, '4. Integrità del registro');
  const a = model.audit;
  line(
    doc,
    `Registro di audit (catena di hash SHA-256): ${a.checked} eventi verificati; esito: ${a.valid ? 'integro' : `NON INTEGRO dalla riga ${a.firstBrokenSeq}`}.`,
  );
  line(doc, `Hash di testa della catena: ${a.headHash ?? (a.valid ? 'catena vuota' : 'non disponibile')}`);

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#444')
      .text(`${model.comune.name} - Registro delle nomine - pagina ${i + 1} di ${range.count}`, 56, doc.page.height - 40, {
        width: doc.page.width - 112,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

function section(doc: PDFKit.PDFDocument, title: string): void {
  doc.moveDown(1).font('Helvetica-Bold').fontSize(12).fillColor('black').text(title, doc.page.margins.left);
  doc.moveDown(0.3);
}

function line(doc: PDFKit.PDFDocument, text: string, bold = false): void {
  doc
    .font(bold ? 'Helvetica-Bold' : 'Helvetica')
    .fontSize(9.5)
    .fillColor('black')
    .text(text, doc.page.margins.left);
}

function entry(doc: PDFKit.PDFDocument, n: NominationDto): void {
  doc.moveDown(0.4);
  line(doc, `${n.roleLabel}: ${n.nominee.name}${n.nominee.employmentStatus === 'leaver' ? ' (cessato dal servizio)' : ''}`, true);
  const lines = [
    `Stato: ${n.statusLabel}`,
    `Atto: ${n.actTypeLabel} n. ${n.actNumber} del ${italianDate(n.actDate)}, firmato da ${n.signedBy}`,
    `In vigore dal ${italianDate(n.effectiveFrom)}${n.effectiveUntil ? ` al ${italianDate(n.effectiveUntil)}` : ''}`,
  ];
  if (n.registeredOn) lines.push(`Registrata nella consolle di sicurezza ANPR il ${italianDate(n.registeredOn)}`);
  if (n.scope) {
    const items = [...n.scope.certificates.map((c) => `certificato ${c.name}`), ...n.scope.workstations.map((w) => `postazione ${w.name}`)];
    lines.push(`Ambito: ${items.join(', ')}`);
  }
  if (n.act) lines.push(`Atto firmato: ${n.act.fileName} (SHA-256 ${n.act.sha256})`);
  else lines.push('Atto firmato: non allegato');
  if (n.status === 'superseded' && n.supersededBy) {
    lines.push(
      `Sostituita il ${isoToItalian(n.endedAt)} dalla nomina di ${n.supersededBy.nomineeName} (atto n. ${n.supersededBy.actNumber})`,
    );
  } else if (n.status === 'revoked') {
    lines.push(`Revocata il ${isoToItalian(n.endedAt)}: ${n.endReason ?? ''}`);
  } else if (n.status === 'expired') {
    lines.push(`Scaduta (rilevata il ${isoToItalian(n.endedAt)})`);
  }
  for (const l of lines)
    doc
      .font('Helvetica')
      .fontSize(9)
      .text(l, doc.page.margins.left + 12);
}
