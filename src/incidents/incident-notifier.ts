import { Tx } from '../database/unit-of-work.service';
import type { BreachRecordEntity } from './breach-record.entity';
import type { IncidentEntity } from './incident.entity';

/**
 * What the incidents module asks of the reminders module (issue 6), in the caller's transaction:
 * the ledger is the outbox, so an alert is written with the incident and sent after commit.
 * `RemindersIncidentNotifier` implements it with the reminders module's exported service.
 */
export abstract class IncidentNotifier {
  /** A quick report: every ALS at once, on every channel, as a high-priority job. Returns the messages queued. */
  abstract alertReportedInTx(tx: Tx, incident: IncidentEntity): Promise<number>;

  /** The GDPR reminders at 24, 48 and 66 hours after awareness, to the ALS and the DPO contact. Idempotent. */
  abstract scheduleBreachRemindersInTx(tx: Tx, incident: IncidentEntity, breach: BreachRecordEntity): Promise<number>;

  /** The assessment was recorded (or awareness moved): the open GDPR reminders stop. Returns how many. */
  abstract cancelBreachRemindersInTx(tx: Tx, incident: IncidentEntity, reason: string): Promise<number>;
}
