import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock, LocalDate, romeDate, romeInstant } from '../common/time';
import { Tx } from '../database/unit-of-work.service';
import { CREDENTIAL_SYSTEM_LABELS_IT } from '../devices/dto/device.dto';
import { howSoon, italianDate } from './delivery/message-composer';
import { DayCursor, DayLadder, LadderContext, loadLadderContext, recomputeLadderInTx } from './day-ladder';
import { DayLaddersRepository, ROTATION_STATUSES, RotationForReminder } from './day-ladders.repository';
import { ReminderEntity } from './entities/reminder.entity';
import { REMINDER_CLOCK } from './reminder-clock';
import { ReminderDispatcher } from './reminder-dispatcher.service';
import { DayRange, currentStep } from './reminder-ladder';
import { ledgerRows, personRecipient, recipientsFor } from './reminder-planner';
import { policyOf } from './reminder-policy';
import { ReminderSubjectHandler, ReminderSubjects, SubjectMessage } from './reminder-subjects';
import { RemindersRepository } from './reminders.repository';

/**
 * Password rotation of credentials: from the policy's steps before `rotation_due_on` (last change
 * + rotation period), the holder and the ALS are asked to change the password. Subject type
 * `rotation` with the device id: its own ledger key, apart from the credential's expiry ladder.
 * A recorded change (a new due day), a successor or a status in which the account cannot be used
 * closes the ladder.
 */
@Injectable()
export class RotationReminders implements DayLadder<RotationForReminder>, ReminderSubjectHandler, OnModuleInit {
  readonly policy = 'credential_rotation' as const;

  constructor(
    private readonly repository: RemindersRepository,
    private readonly ladders: DayLaddersRepository,
    private readonly audit: AuditService,
    private readonly dispatcher: ReminderDispatcher,
    private readonly subjects: ReminderSubjects,
    @Inject(REMINDER_CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.subjects.register('rotation', this);
  }

  // ----- the sweep -----

  dueIn(em: EntityManager, organizationId: string, band: DayRange, after: DayCursor | null, limit: number): Promise<RotationForReminder[]> {
    return this.ladders.rotationsDueIn(em, organizationId, band, after, limit);
  }

  cursorOf(r: RotationForReminder): DayCursor {
    return { day: r.rotationDueOn as string, id: r.deviceId };
  }

  async plan(em: EntityManager, ctx: LadderContext, items: RotationForReminder[], since: LocalDate | null): Promise<ReminderEntity[]> {
    const policy = policyOf(ctx.policies, this.policy);
    const people = await this.repository.people(
      em,
      ctx.org.organization.id,
      items.flatMap((r) => (r.holderId ? [r.holderId] : [])),
    );
    return items.flatMap((r) => {
      if (endReason(r) !== null) return [];
      const due = r.rotationDueOn as string;
      const step = currentStep(due, policy.steps, ctx.today, ctx.calendar);
      if (!step || (since !== null && step.dueOn <= since)) return [];
      const escalation = policy.escalateSteps.includes(step.step);
      return ledgerRows(
        {
          organizationId: r.organizationId,
          subjectType: 'rotation',
          subjectId: r.deviceId,
          deviceId: r.deviceId,
          expiresAt: romeInstant(due, 0),
          stepDays: step.step,
          dueOn: step.dueOn,
          sendHour: policy.sendHour,
          escalation,
          channels: policy.channels,
        },
        recipientsFor(ctx.org, [r.holderId ? personRecipient(people.get(r.holderId), 'holder') : null], escalation),
        ctx.org.webhookIds,
        ctx.now,
      );
    });
  }

  // ----- the hook -----

  /**
   * Called by ReminderSweepService.onDeviceChanged for a credential, in the caller's transaction:
   * a new due day (password rotated, period changed), a successor, a status in which the account
   * cannot be used or a new holder cancels the open rows that no longer apply; the current step
   * of the new due day is written.
   */
  async onCredentialChanged(tx: Tx, deviceId: string, ctx?: LadderContext): Promise<void> {
    const r = await this.ladders.rotation(tx.em, deviceId);
    if (!r) return;
    const reason = endReason(r);
    const context = ctx ?? (await loadLadderContext(tx.em, this.repository, r.organizationId, this.clock.now()));
    await recomputeLadderInTx(
      tx,
      { repository: this.repository, audit: this.audit, dispatcher: this.dispatcher },
      {
        organizationId: r.organizationId,
        type: 'rotation',
        id: r.deviceId,
        expiresAt: reason === null ? romeInstant(r.rotationDueOn as string, 0) : null,
        planned: reason === null ? await this.plan(tx.em, context, [r], null) : [],
        reason: reason ?? `recomputed: rotation due on ${r.rotationDueOn}`,
        audit: { entity: 'device', entityId: r.deviceId },
      },
    );
  }

  // ----- delivery (ReminderSubjectHandler) -----

  async obsoleteReason(em: EntityManager, row: ReminderEntity): Promise<string | null> {
    const r = await this.ladders.rotation(em, row.subjectId);
    if (!r) return 'credential deleted';
    const reason = endReason(r);
    if (reason) return reason;
    return romeInstant(r.rotationDueOn as string, 0).getTime() === row.expiresAt.getTime() ? null : 'rotated or rotation period changed';
  }

  async compose(em: EntityManager, row: ReminderEntity): Promise<SubjectMessage> {
    const r = await this.ladders.rotation(em, row.subjectId);
    if (!r) throw new Error('credential gone');
    const due = romeDate(row.expiresAt);
    const system = CREDENTIAL_SYSTEM_LABELS_IT[r.system] ?? r.system;
    const since = r.lastRotatedOn
      ? `L'ultimo cambio registrato in Custode è del ${italianDate(r.lastRotatedOn)}`
      : `L'account risulta attivato il ${italianDate(r.issuedOn ?? due)} e la password non risulta mai cambiata`;
    return {
      subject: `Cambio password da fare entro il ${italianDate(due)}`,
      lines: [
        `La password dell'account «${r.username}» (${system}) va cambiata entro il ${italianDate(due)} (${howSoon(row.dueOn, due)}).`,
        `${since}; il Comune prevede un cambio password ogni ${r.rotationDays ?? '?'} giorni.`,
        'Cambia la password dal sistema stesso, nel modo consueto, poi registra in Custode la data del cambio: i promemoria successivi si fermano. ' +
          "Non comunicare la nuova password a nessuno, nemmeno all'ALS o a un tecnico.",
      ],
      webhookType: 'credential.rotation_due',
    };
  }
}

/** Why a credential's rotation ladder does not run, or null while it does. */
function endReason(r: RotationForReminder): string | null {
  if (r.successorId) return 'successor';
  if (!(ROTATION_STATUSES as readonly string[]).includes(r.status)) return `status:${r.status}`;
  return r.rotationDueOn === null ? 'no rotation period' : null;
}
