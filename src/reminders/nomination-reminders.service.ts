import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock, LocalDate, romeDate, romeInstant } from '../common/time';
import { Tx } from '../database/unit-of-work.service';
import { holderName } from '../holders/holder.entity';
import { NOMINATION_ROLE_LABELS_IT, NOMINATION_ROLE_SHORT_IT, actLabel } from '../nominations/nomination-labels';
import { renews } from '../nominations/nomination-lifecycle';
import { howSoon, italianDate } from './delivery/message-composer';
import { DayCursor, DayLadder, LadderContext, loadLadderContext, recomputeLadderInTx } from './day-ladder';
import { DayLaddersRepository, NominationForReminder } from './day-ladders.repository';
import { ReminderEntity } from './entities/reminder.entity';
import { REMINDER_CLOCK } from './reminder-clock';
import { ReminderDispatcher } from './reminder-dispatcher.service';
import { DayRange, currentStep } from './reminder-ladder';
import { ledgerRows, mayorOfficeRecipients, personRecipient, uniqueRecipients } from './reminder-planner';
import { policyOf } from './reminder-policy';
import { ReminderSubjectHandler, SubjectMessage } from './reminder-subjects';
import { ReminderSubjects } from './reminder-subjects';
import { RemindersRepository } from './reminders.repository';

/**
 * Nominations with an end date: from the policy's steps before the last day in force, the nominee
 * and the Mayor's office (who signs the renewal decree) are told that the nomination ends and a
 * new decree is needed. The ledger key's expiry is Rome midnight at the start of the last day.
 * An end (revoked, superseded, expired) or a renewal (see `renews`) closes the ladder.
 */
@Injectable()
export class NominationReminders implements DayLadder<NominationForReminder>, ReminderSubjectHandler, OnModuleInit {
  readonly policy = 'nomination' as const;

  constructor(
    private readonly repository: RemindersRepository,
    private readonly ladders: DayLaddersRepository,
    private readonly audit: AuditService,
    private readonly dispatcher: ReminderDispatcher,
    private readonly subjects: ReminderSubjects,
    @Inject(REMINDER_CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.subjects.register('nomination', this);
  }

  // ----- the sweep -----

  dueIn(
    em: EntityManager,
    organizationId: string,
    band: DayRange,
    after: DayCursor | null,
    limit: number,
  ): Promise<NominationForReminder[]> {
    return this.ladders.nominationsEndingIn(em, organizationId, band, after, limit);
  }

  cursorOf(n: NominationForReminder): DayCursor {
    return { day: n.effectiveUntil as string, id: n.id };
  }

  async plan(em: EntityManager, ctx: LadderContext, items: NominationForReminder[], since: LocalDate | null): Promise<ReminderEntity[]> {
    const policy = policyOf(ctx.policies, this.policy);
    const organizationId = ctx.org.organization.id;
    const candidates = await this.ladders.renewalCandidates(
      em,
      organizationId,
      items.map((n) => n.role),
    );
    const people = await this.repository.people(
      em,
      organizationId,
      items.map((n) => n.holderId),
    );
    return items.flatMap((n) => {
      if (n.status !== 'active' || n.effectiveUntil === null || candidates.some((c) => renews(c, n))) return [];
      const step = currentStep(n.effectiveUntil, policy.steps, ctx.today, ctx.calendar);
      if (!step || (since !== null && step.dueOn <= since)) return [];
      const escalation = policy.escalateSteps.includes(step.step);
      return ledgerRows(
        {
          organizationId,
          subjectType: 'nomination',
          subjectId: n.id,
          deviceId: null,
          expiresAt: romeInstant(n.effectiveUntil, 0),
          stepDays: step.step,
          dueOn: step.dueOn,
          sendHour: policy.sendHour,
          escalation,
          channels: policy.channels,
        },
        // The Mayor's office at every step: it signs the new decree. Escalating steps are marked.
        uniqueRecipients([personRecipient(people.get(n.holderId), 'nominee'), ...mayorOfficeRecipients(ctx.org)]),
        ctx.org.webhookIds,
        ctx.now,
      );
    });
  }

  // ----- the hook -----

  /**
   * Call in the transaction that signed, activated, revoked, superseded or expired a nomination:
   * its ladder and those of the role's other nominations with an end date (which it may renew)
   * are recomputed.
   */
  async onNominationChanged(tx: Tx, nominationId: string): Promise<void> {
    const changed = await this.ladders.nomination(tx.em, nominationId);
    if (!changed) return;
    const ctx = await loadLadderContext(tx.em, this.repository, changed.organizationId, this.clock.now());
    const others = await this.ladders.endingNominationsOfRole(tx.em, changed.organizationId, changed.role);
    for (const n of [changed, ...others.filter((o) => o.id !== changed.id)]) await this.recompute(tx, ctx, n);
  }

  private async recompute(tx: Tx, ctx: LadderContext, n: NominationForReminder): Promise<void> {
    const reason = await this.endReason(tx.em, n);
    await recomputeLadderInTx(
      tx,
      { repository: this.repository, audit: this.audit, dispatcher: this.dispatcher },
      {
        organizationId: n.organizationId,
        type: 'nomination',
        id: n.id,
        expiresAt: reason === null ? romeInstant(n.effectiveUntil as string, 0) : null,
        planned: reason === null ? await this.plan(tx.em, ctx, [n], null) : [],
        reason: reason ?? 'recomputed: end date changed',
        audit: { entity: 'nomination', entityId: n.id },
      },
    );
  }

  /** Why the nomination's ladder no longer runs, or null while it does. */
  private async endReason(em: EntityManager, n: NominationForReminder): Promise<string | null> {
    if (n.status !== 'active') return `status:${n.status}`;
    if (n.effectiveUntil === null) return 'no end date';
    const candidates = await this.ladders.renewalCandidates(em, n.organizationId, [n.role]);
    return candidates.some((c) => renews(c, n)) ? 'renewed' : null;
  }

  // ----- delivery (ReminderSubjectHandler) -----

  async obsoleteReason(em: EntityManager, row: ReminderEntity): Promise<string | null> {
    const n = await this.ladders.nomination(em, row.subjectId);
    if (!n) return 'nomination deleted';
    const reason = await this.endReason(em, n);
    if (reason) return reason;
    return romeInstant(n.effectiveUntil as string, 0).getTime() === row.expiresAt.getTime() ? null : 'end date changed';
  }

  async compose(em: EntityManager, row: ReminderEntity): Promise<SubjectMessage> {
    const n = await this.ladders.nomination(em, row.subjectId);
    if (!n) throw new Error('nomination gone');
    const holder = await this.repository.holder(em, n.organizationId, n.holderId);
    const lastDay = romeDate(row.expiresAt);
    return {
      subject: `Nomina ${NOMINATION_ROLE_SHORT_IT[n.role]} in scadenza il ${italianDate(lastDay)}`,
      lines: [
        `La nomina di ${holder ? holderName(holder) : 'persona non più in anagrafica'} come ${NOMINATION_ROLE_LABELS_IT[n.role]} ` +
          `(${actLabel(n)}) termina il ${italianDate(lastDay)} (${howSoon(row.dueOn, lastDay)}): è in vigore fino a quel giorno compreso.`,
        'Per non lasciare il ruolo scoperto serve un nuovo decreto del Sindaco, da registrare poi nella consolle di sicurezza ANPR. ' +
          'Quando il nuovo atto è firmato e inserito in Custode, questi promemoria si fermano.',
      ],
      webhookType: 'nomination.ending',
    };
  }
}
