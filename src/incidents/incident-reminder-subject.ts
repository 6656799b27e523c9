import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ALERT_STEP, IncidentMessage, gdprReminder, reportedAlert } from './incident-messages';
import { IncidentsRepository } from './incidents.repository';
import { REMINDER_HOURS } from './gdpr-clock';

/** The fields of a reminder ledger row this module needs (kept structural: no import of the reminders module). */
export interface IncidentLedgerRow {
  organizationId: string;
  subjectId: string;
  /** 0: the quick-report alert; 24, 48, 66: the GDPR reminders (hours after awareness). */
  stepDays: number;
  /** The GDPR rows: the 72-hour deadline they count down to. */
  expiresAt: Date;
}

/**
 * What the reminders module's composer and delivery safety net need for ledger rows whose subject
 * is an incident, read with the reminders module's own EntityManager at delivery time. To be
 * registered with the reminders module for subject type "incident" (docs/incidents.md).
 */
@Injectable()
export class IncidentReminderSubject {
  constructor(private readonly repository: IncidentsRepository) {}

  async compose(em: EntityManager, row: IncidentLedgerRow): Promise<IncidentMessage> {
    const incident = await this.repository.findIncident(em, row.organizationId, row.subjectId);
    if (!incident) throw new Error('incident gone');
    if (row.stepDays === ALERT_STEP) return reportedAlert(incident);
    const breach = await this.repository.findBreach(em, row.organizationId, incident.id);
    if (!breach) throw new Error('breach record gone');
    return gdprReminder(incident, breach, row.stepDays);
  }

  /** Why the row must not be sent any more, or null: the worker cancels it instead of sending. */
  async obsoleteReason(em: EntityManager, row: IncidentLedgerRow): Promise<string | null> {
    const incident = await this.repository.findIncident(em, row.organizationId, row.subjectId);
    if (!incident) return 'incident deleted';
    // The alert goes out whatever happened since: the ALS must know a report was filed.
    if (row.stepDays === ALERT_STEP) return null;
    if (!(REMINDER_HOURS as readonly number[]).includes(row.stepDays)) return `unknown step ${row.stepDays}`;
    if (incident.status === 'closed') return 'incident closed';
    const breach = await this.repository.findBreach(em, row.organizationId, incident.id);
    if (!breach) return 'not a breach';
    if (breach.assessment !== null) return 'assessment recorded';
    if (breach.preliminaryNotifiedAt || breach.completeNotifiedAt) return 'garante notified';
    return breach.deadlineAt.getTime() === row.expiresAt.getTime() ? null : 'aware_at changed';
  }
}
