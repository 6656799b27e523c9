import { italianDateTime } from '../common/time/italian-format';
import type { BreachRecordEntity } from './breach-record.entity';
import type { IncidentEntity } from './incident.entity';
import { INCIDENT_TYPE_LABELS_IT } from './incident-lifecycle';

/**
 * The Italian text of the incident notifications, for the reminders module's composer. Like every
 * Custode message it carries no link and no attachment (the attack these alerts are about is a
 * message that asks to act on one): "open Custode as usual" and the incident number.
 */
export interface IncidentMessage {
  subject: string;
  lines: string[];
  /** For the webhook body: no personal data. */
  webhookType: 'incident.reported' | 'incident.gdpr_reminder';
}

/** Ledger steps of an incident: 0 is the alert of a quick report; 24, 48, 66 the GDPR reminders (hours after awareness). */
export const ALERT_STEP = 0;

export function reportedAlert(incident: Pick<IncidentEntity, 'number' | 'type' | 'title' | 'reportedBy' | 'createdAt'>): IncidentMessage {
  return {
    subject: `[URGENTE] Segnalazione di sicurezza n. ${incident.number}: ${INCIDENT_TYPE_LABELS_IT[incident.type]}`,
    lines: [
      `${incident.reportedBy} ha segnalato in Custode, il ${italianDateTime(incident.createdAt)}, l'incidente n. ${incident.number}: ${incident.title}.`,
      'Se qualcosa è stato concesso o comunicato al chiamante, metti subito in sicurezza i dispositivi coinvolti (contenimento) ' +
        'e valuta la violazione di dati personali: le 72 ore per il Garante sono già in corso.',
      'Ricorda la segnalazione alla Polizia e la relazione alla Direzione Centrale per i Servizi Demografici (Circolare DAIT 74/2025).',
    ],
    webhookType: 'incident.reported',
  };
}

export function gdprReminder(
  incident: Pick<IncidentEntity, 'number' | 'title'>,
  breach: Pick<BreachRecordEntity, 'awareAt' | 'deadlineAt'>,
  hours: number,
): IncidentMessage {
  const left = 72 - hours;
  return {
    subject: `Violazione di dati personali, incidente n. ${incident.number}: ${left} ore alla scadenza per il Garante`,
    lines: [
      `Sono passate ${hours} ore da quando il Comune ha avuto conoscenza della possibile violazione di dati personali dell'incidente n. ${incident.number} (${incident.title}).`,
      `Il termine di 72 ore per la notifica al Garante (art. 33 GDPR) scade il ${italianDateTime(breach.deadlineAt)}, ora di Roma.`,
      'Registra in Custode la valutazione (notificare o no, con i motivi): i promemoria si fermano quando è registrata. ' +
        'La notifica si fa con la procedura telematica del Garante; una notifica preliminare può essere completata in seguito.',
    ],
    webhookType: 'incident.gdpr_reminder',
  };
}
