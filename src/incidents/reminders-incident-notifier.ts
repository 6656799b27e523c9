import { Injectable } from '@nestjs/common';
import { Tx } from '../database/unit-of-work.service';
import { NoticesService } from '../reminders/notices.service';
import type { BreachRecordEntity } from './breach-record.entity';
import { REMINDER_HOURS, reminderTimes } from './gdpr-clock';
import type { IncidentEntity } from './incident.entity';
import { ALERT_STEP } from './incident-messages';
import { IncidentNotifier } from './incident-notifier';

/**
 * The port implemented with the reminders module's NoticesService: the ledger rows are written in
 * the caller's transaction (the ledger is the outbox). The text and the "still applies?" answer
 * come from IncidentReminderSubject, registered with ReminderSubjects by IncidentsModule.
 */
@Injectable()
export class RemindersIncidentNotifier extends IncidentNotifier {
  constructor(private readonly notices: NoticesService) {
    super();
  }

  /** Every ALS member (e-mail, in-app) and the Comune's webhooks, delivered ahead of the queue after commit. */
  async alertReportedInTx(tx: Tx, incident: IncidentEntity): Promise<number> {
    const created = await this.notices.notifyNowInTx(tx, {
      organizationId: incident.organizationId,
      subjectType: 'incident',
      subjectId: incident.id,
      step: ALERT_STEP,
      audiences: ['als'],
    });
    return created.length;
  }

  /** 24, 48 and 66 calendar hours after awareness, counting down to the 72-hour deadline; idempotent. */
  async scheduleBreachRemindersInTx(tx: Tx, incident: IncidentEntity, breach: BreachRecordEntity): Promise<number> {
    const created = await this.notices.scheduleInTx(tx, {
      organizationId: incident.organizationId,
      subjectType: 'incident',
      subjectId: incident.id,
      audiences: ['als', 'dpo'],
      expiresAt: breach.deadlineAt,
      steps: reminderTimes(breach.awareAt).map(({ hours, dueAt }) => ({ step: hours, sendAt: dueAt })),
    });
    return created.length;
  }

  /** Cancels the open GDPR rows only: an alert not yet delivered (Redis down, retries) still goes out. */
  cancelBreachRemindersInTx(tx: Tx, incident: IncidentEntity, reason: string): Promise<number> {
    return this.notices.cancelOpenInTx(tx, 'incident', incident.id, reason, REMINDER_HOURS);
  }
}
