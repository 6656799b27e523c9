import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { LocalDate, WorkingDayCalendar, romeDate } from '../common/time';
import { Tx } from '../database/unit-of-work.service';
import { PolicySubject, ReminderPolicyEntity } from './entities/reminder-policy.entity';
import { OPEN_STATES, ReminderEntity, SubjectType } from './entities/reminder.entity';
import { ReminderDispatcher } from './reminder-dispatcher.service';
import { DayRange, LadderCalendar, memoizedCalendar } from './reminder-ladder';
import { OrgRecipients } from './reminder-planner';
import { RemindersRepository } from './reminders.repository';

/** What planning a Comune's reminders needs, read once per sweep or per hook. */
export interface LadderContext {
  today: LocalDate;
  now: Date;
  org: OrgRecipients;
  calendar: LadderCalendar;
  fullCalendar: WorkingDayCalendar;
  policies: ReminderPolicyEntity[];
}

export async function loadLadderContext(
  em: EntityManager,
  repository: RemindersRepository,
  organizationId: string,
  now: Date,
): Promise<LadderContext> {
  const organization = await repository.organization(em, organizationId);
  if (!organization) throw new Error(`organization ${organizationId} not found`);
  const fullCalendar = new WorkingDayCalendar({ patronSaintDay: organization.settings.patronSaintDay });
  return {
    now,
    today: romeDate(now),
    org: {
      organization,
      alsUserIds: await repository.memberIds(em, organizationId, 'security_admin'),
      mayorUserIds: await repository.memberIds(em, organizationId, 'mayor_office'),
      webhookIds: (await repository.activeEndpoints(em, organizationId)).map((w) => w.id),
    },
    calendar: memoizedCalendar(fullCalendar),
    fullCalendar,
    policies: await repository.policies(em, organizationId),
  };
}

/** Keyset position in a day-ordered read: the last (day, id) seen. */
export interface DayCursor {
  day: LocalDate;
  id: string;
}

/**
 * A ladder that counts down to a day (a nomination's last day in force, a password's rotation
 * due day) rather than to an instant. The sweep reads the subjects whose day lies in the bands
 * where a step can have fallen due (an index range scan each) and asks the ladder for the rows.
 */
export interface DayLadder<T> {
  readonly policy: PolicySubject;
  /** Subjects whose day lies in `band`, ordered by (day, id), after `after`, at most `limit`. */
  dueIn(em: EntityManager, organizationId: string, band: DayRange, after: DayCursor | null, limit: number): Promise<T[]>;
  cursorOf(item: T): DayCursor;
  /** The current step's rows of each subject, if it fell due after `since` (null: whatever the day). */
  plan(em: EntityManager, ctx: LadderContext, items: T[], since: LocalDate | null): Promise<ReminderEntity[]>;
}

/** Audiences whose rows belong to one person of the subject: when the person changes, their rows go. */
const PERSONAL_AUDIENCES = new Set(['holder', 'custodian', 'nominee']);

/**
 * A hook's recompute of one day ladder, in the caller's transaction: open rows of another due
 * instant (or of a ladder that no longer applies, or of a person no longer concerned) are
 * cancelled with `reason`, and the current step (`planned`) is written.
 */
export async function recomputeLadderInTx(
  tx: Tx,
  deps: { repository: RemindersRepository; audit: AuditService; dispatcher: ReminderDispatcher },
  subject: {
    organizationId: string;
    type: SubjectType;
    id: string;
    /** The instant the ladder now counts down to; null: it no longer applies. */
    expiresAt: Date | null;
    planned: ReminderEntity[];
    reason: string;
    audit: { entity: string; entityId: string };
  },
): Promise<{ cancelled: number; created: number }> {
  const open = await deps.repository.openRowsOf(tx.em, subject.type, subject.id);
  const keep = new Set(subject.planned.map((r) => `${r.channel}|${r.recipient}`));
  const stale = open.filter(
    (row) =>
      subject.expiresAt === null ||
      row.expiresAt.getTime() !== subject.expiresAt.getTime() ||
      (PERSONAL_AUDIENCES.has(row.audience) && !keep.has(`${row.channel}|${row.recipient}`)),
  );
  await deps.repository.transition(
    tx.em,
    stale.map((r) => r.id),
    OPEN_STATES,
    'cancelled',
    { closedReason: subject.reason.slice(0, 200) },
  );
  const created = subject.planned.length > 0 ? await deps.repository.insertOrIgnore(tx.em, subject.planned) : [];
  if (stale.length > 0 || created.length > 0) {
    await deps.audit.append(tx, {
      organizationId: subject.organizationId,
      actor: { type: 'system', id: 'reminders', label: 'custode:reminders' },
      action: 'reminders.recomputed',
      entity: subject.audit.entity,
      entityId: subject.audit.entityId,
      data: { ladder: subject.type, cancelled: stale.length, created: created.length, reason: stale.length > 0 ? subject.reason : null },
    });
  }
  if (created.length > 0) tx.afterCommit(() => deps.dispatcher.kick());
  return { cancelled: stale.length, created: created.length };
}
