import { italianDateTime } from '../common/time/italian-format';
import type { BreachRecordEntity } from './breach-record.entity';

/** Art. 33(1) GDPR: notify the Garante within 72 hours of becoming aware, where feasible. */
export const NOTIFICATION_HOURS = 72;
/** When the ALS and the DPO contact are reminded, in hours after becoming aware. */
export const REMINDER_HOURS = [24, 48, 66] as const;

const HOUR = 3_600_000;

export const deadlineOf = (awareAt: Date): Date => new Date(awareAt.getTime() + NOTIFICATION_HOURS * HOUR);

export function reminderTimes(awareAt: Date): { hours: number; dueAt: Date }[] {
  return REMINDER_HOURS.map((hours) => ({ hours, dueAt: new Date(awareAt.getTime() + hours * HOUR) }));
}

type ClockFields = Pick<
  BreachRecordEntity,
  'awareAt' | 'deadlineAt' | 'assessment' | 'assessedAt' | 'preliminaryNotifiedAt' | 'completeNotifiedAt'
>;

/** The clock has stopped: the Garante was notified, or a reasoned decision not to notify was recorded. */
export function clockStopped(b: ClockFields): boolean {
  return b.preliminaryNotifiedAt !== null || b.completeNotifiedAt !== null || b.assessment === 'no_notify';
}

export interface ClockView {
  hoursLeft: number;
  overdue: boolean;
  label: string;
}

/** Where the 72 hours stand at `now`, in Italian. */
export function clockView(b: ClockFields, now: Date): ClockView {
  const left = b.deadlineAt.getTime() - now.getTime();
  const hoursLeft = left >= 0 ? Math.floor(left / HOUR) : -Math.ceil(-left / HOUR);
  const overdue = left < 0 && !clockStopped(b);
  const notifiedAt = b.preliminaryNotifiedAt ?? b.completeNotifiedAt;
  let label: string;
  if (notifiedAt) label = `Notificata al Garante il ${italianDateTime(notifiedAt)}`;
  else if (b.assessment === 'no_notify' && b.assessedAt)
    label = `Valutata il ${italianDateTime(b.assessedAt)}: non da notificare, con motivazione`;
  else if (left >= 0)
    label = `Scadenza delle 72 ore: ${italianDateTime(b.deadlineAt)} (mancano ${hoursLeft === 1 ? '1 ora' : `${hoursLeft} ore`})`;
  else label = `Scadenza delle 72 ore superata il ${italianDateTime(b.deadlineAt)}: notificare indicando i motivi del ritardo`;
  return { hoursLeft, overdue, label };
}
