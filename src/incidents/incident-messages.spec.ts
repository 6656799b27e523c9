import { gdprReminder, reportedAlert } from './incident-messages';

describe('incident messages', () => {
  it('alert the ALS in Italian, with no link, naming the incident and the 72 hours', () => {
    const sut = reportedAlert({
      number: '2026/0007',
      type: 'credentials_disclosed',
      title: 'Chiamata sospetta: sedicente tecnico di Alfa',
      reportedBy: 'operatore@comune.test',
      createdAt: new Date('2026-11-23T09:15:00Z'),
    });
    expect(sut.subject).toBe('[URGENTE] Segnalazione di sicurezza n. 2026/0007: Credenziali comunicate');
    expect(sut.lines[0]).toBe(
      "operatore@comune.test ha segnalato in Custode, il 23/11/2026 10:15, l'incidente n. 2026/0007: Chiamata sospetta: sedicente tecnico di Alfa.",
    );
    expect(sut.lines.join(' ')).not.toMatch(/https?:|www\./);
  });

  it('remind the hours left to the Garante deadline, in Rome time', () => {
    const awareAt = new Date('2026-11-23T09:00:00Z');
    const sut = gdprReminder({ number: '2026/0007', title: 'X' }, { awareAt, deadlineAt: new Date('2026-11-26T09:00:00Z') }, 66);
    expect(sut.subject).toBe('Violazione di dati personali, incidente n. 2026/0007: 6 ore alla scadenza per il Garante');
    expect(sut.lines[1]).toBe('Il termine di 72 ore per la notifica al Garante (art. 33 GDPR) scade il 26/11/2026 10:00, ora di Roma.');
  });
});
