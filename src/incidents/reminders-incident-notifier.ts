import { Injectable, Logger } from '@nestjs/common';
import { Tx } from '../database/unit-of-work.service';
import type { BreachRecordEntity } from './breach-record.entity';
import type { IncidentEntity } from './incident.entity';
import { IncidentNotifier } from './incident-notifier';

/**
 * PROVISIONAL: the reminders module does not yet export a way to write an incident's alert or its
 * GDPR reminders to the ledger (see docs/incidents.md, "What the reminders module must add").
 * Until it does, nothing is queued: the quick report says so and tells the operator to warn the
 * ALS by voice, and the GDPR clock is shown on the incident without reminders.
 */
@Injectable()
export class RemindersIncidentNotifier extends IncidentNotifier {
  private readonly logger = new Logger(RemindersIncidentNotifier.name);

  alertReportedInTx(_tx: Tx, incident: IncidentEntity): Promise<number> {
    this.logger.warn({ incidentId: incident.id }, 'incident alert not queued: the reminders module has no incident path yet');
    return Promise.resolve(0);
  }

  scheduleBreachRemindersInTx(_tx: Tx, incident: IncidentEntity, _breach: BreachRecordEntity): Promise<number> {
    this.logger.warn({ incidentId: incident.id }, 'GDPR reminders not scheduled: the reminders module has no incident path yet');
    return Promise.resolve(0);
  }

  cancelBreachRemindersInTx(_tx: Tx, _incident: IncidentEntity, _reason: string): Promise<number> {
    return Promise.resolve(0);
  }
}
