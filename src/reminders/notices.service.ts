import { Inject, Injectable, Logger } from '@nestjs/common';
import { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock, romeDate } from '../common/time';
import { Tx } from '../database/unit-of-work.service';
import { Audience, Channel, OPEN_STATES, ReminderEntity, SubjectType } from './entities/reminder.entity';
import { REMINDER_CLOCK } from './reminder-clock';
import { ReminderDispatcher } from './reminder-dispatcher.service';
import { DPO_MAILBOX, ledgerRows } from './reminder-planner';
import { RemindersRepository } from './reminders.repository';

const ACTOR: Actor = { type: 'system', id: 'reminders', label: 'custode:reminders' };
const CHANNELS: readonly Channel[] = ['email', 'in_app', 'webhook'];
/** The "expiry instant" of a notice that counts down to nothing (an alert): one per subject and step. */
const NO_EXPIRY = new Date(0);

export type NoticeAudience = 'als' | 'dpo';

export interface NoticeTarget {
  organizationId: string;
  subjectType: Exclude<SubjectType, 'device' | 'task'>;
  subjectId: string;
  audiences: readonly NoticeAudience[];
}

/**
 * Ledger rows about subjects other modules own (an incident's alert and its GDPR reminders), written
 * in the caller's transaction. The text and the "still applies?" answer come from the handler the
 * owner registered with ReminderSubjects. Every ALS member gets e-mail and in-app, the Comune's
 * webhooks get the event, the DPO (`settings.dpoEmail`) gets e-mail.
 */
@Injectable()
export class NoticesService {
  private readonly logger = new Logger(NoticesService.name);

  constructor(
    private readonly repository: RemindersRepository,
    private readonly dispatcher: ReminderDispatcher,
    private readonly audit: AuditService,
    @Inject(REMINDER_CLOCK) private readonly clock: Clock,
  ) {}

  /** Rows due now; after commit they are queued ahead of everything else. Returns the ids created. */
  async notifyNowInTx(tx: Tx, target: NoticeTarget & { step: number; expiresAt?: Date }): Promise<string[]> {
    const now = this.clock.now();
    const rows = await this.rows(tx, target, target.expiresAt ?? NO_EXPIRY, [{ step: target.step, sendAt: now }]);
    const created = await this.insert(tx, target, rows);
    if (created.length > 0) {
      tx.afterCommit(() =>
        this.dispatcher.dispatchNow(created).then(
          () => undefined,
          (error: unknown) => this.logger.warn({ err: String(error) }, 'urgent notice left to the dispatcher'),
        ),
      );
    }
    return created;
  }

  /** Rows due at given instants (calendar hours: no working-day shift), counting down to `expiresAt`. */
  async scheduleInTx(tx: Tx, target: NoticeTarget & { expiresAt: Date; steps: { step: number; sendAt: Date }[] }): Promise<string[]> {
    const rows = await this.rows(tx, target, target.expiresAt, target.steps);
    return this.insert(tx, target, rows);
  }

  /** Open rows of the subject (only those of `steps`, when given) become `cancelled` with the reason; returns how many. */
  async cancelOpenInTx(tx: Tx, subjectType: SubjectType, subjectId: string, reason: string, steps?: readonly number[]): Promise<number> {
    const open = await this.repository.openRowsOf(tx.em, subjectType, subjectId);
    return this.repository.transition(
      tx.em,
      open.filter((r) => !steps || steps.includes(r.stepDays)).map((r) => r.id),
      OPEN_STATES,
      'cancelled',
      { closedReason: reason.slice(0, 200) },
    );
  }

  private async rows(tx: Tx, target: NoticeTarget, expiresAt: Date, steps: { step: number; sendAt: Date }[]): Promise<ReminderEntity[]> {
    const wantsAls = target.audiences.includes('als');
    const als = wantsAls ? await this.repository.memberIds(tx.em, target.organizationId, 'security_admin') : [];
    const webhooks = wantsAls ? (await this.repository.activeEndpoints(tx.em, target.organizationId)).map((w) => w.id) : [];
    const recipients: { key: string; audience: Audience; email: boolean }[] = als.map((id) => ({
      key: `user:${id}`,
      audience: 'als',
      email: true,
    }));
    if (target.audiences.includes('dpo')) recipients.push({ key: DPO_MAILBOX, audience: 'dpo', email: true });
    const now = this.clock.now();
    return steps.flatMap(({ step, sendAt }) => {
      const rows = ledgerRows(
        {
          organizationId: target.organizationId,
          subjectType: target.subjectType,
          subjectId: target.subjectId,
          deviceId: null,
          expiresAt,
          stepDays: step,
          dueOn: romeDate(sendAt),
          sendHour: 0,
          escalation: false,
          channels: CHANNELS,
        },
        recipients,
        webhooks,
        now,
      );
      // Calendar hours, not a working day at the policy's hour.
      return rows.map((r) => ({ ...r, sendAt }));
    });
  }

  private async insert(tx: Tx, target: NoticeTarget, rows: ReminderEntity[]): Promise<string[]> {
    const created = await this.repository.insertOrIgnore(tx.em, rows);
    if (created.length > 0) {
      await this.audit.append(tx, {
        organizationId: target.organizationId,
        actor: ACTOR,
        action: 'reminders.scheduled',
        entity: target.subjectType,
        entityId: target.subjectId,
        data: { created: created.length, steps: [...new Set(rows.map((r) => r.stepDays))] },
      });
    }
    return created;
  }
}
