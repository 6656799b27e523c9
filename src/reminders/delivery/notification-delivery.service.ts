import { Injectable } from '@nestjs/common';
import { jobActor } from '../../audit/actor';
import { AuditService } from '../../audit/audit.service';
import { UnitOfWork } from '../../database/unit-of-work.service';
import { JobName } from '../../queue/jobs';
import { Channel, OPEN_STATES } from '../entities/reminder.entity';
import { ReminderSubjects } from '../reminder-subjects';
import { RemindersRepository } from '../reminders.repository';
import { PermanentDeliveryError, deliveryReason } from './delivery-errors';
import { MailTransport } from './mail-transport';
import { OutgoingMessage } from './message';
import { MessageComposer } from './message-composer';
import { WebhookSender } from './webhook-sender';

export type DeliveryOutcome = 'sent' | 'skipped';

/** Thrown to the queue after the ledger row was marked `failed`: do not retry. */
export class DeliveryFailed extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryFailed';
  }
}

/**
 * Delivers one ledger row. The row's state decides, not the job: the claim
 * (`pending|queued|sending` -> `sending`) is committed before the send and `sent` right after it,
 * so a job that runs again (a retry, a stalled job picked up after a crash) sends again only if
 * the previous run died between the two commits.
 */
@Injectable()
export class NotificationDeliveryService {
  private readonly actor = jobActor(JobName.DeliverNotification);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: RemindersRepository,
    private readonly composer: MessageComposer,
    private readonly mail: MailTransport,
    private readonly webhooks: WebhookSender,
    private readonly audit: AuditService,
    private readonly subjects: ReminderSubjects,
  ) {}

  /** `attempt` counts from 1; on the last one a failure marks the row `failed` with its reason. */
  async deliver(reminderId: string, attempt: number, maxAttempts: number): Promise<DeliveryOutcome> {
    const row = await this.uow.run(async (tx) => {
      const current = await this.repository.findById(tx.em, reminderId);
      if (!current || !OPEN_STATES.includes(current.state)) return null;
      // A safety net behind the hooks: a ladder that ended (successor, final status, new expiry,
      // acknowledgement, task closed) is never sent, even if no one recomputed it.
      const owner = this.subjects.get(current.subjectType);
      const obsolete = owner ? await owner.obsoleteReason(tx.em, current) : await this.repository.obsoleteReason(tx.em, current);
      if (obsolete) {
        await this.repository.transition(tx.em, [reminderId], OPEN_STATES, 'cancelled', { closedReason: obsolete });
        return null;
      }
      const claimed = await this.repository.transition(tx.em, [reminderId], OPEN_STATES, 'sending', { incrementAttempts: true });
      return claimed === 1 ? current : null;
    });
    if (!row) return 'skipped';
    try {
      const message = await this.uow.read((em) => this.composer.compose(em, row));
      await this.send(row.channel, message);
    } catch (error) {
      const permanent = error instanceof PermanentDeliveryError || attempt >= maxAttempts;
      const reason = deliveryReason(error);
      await this.uow.run(async (tx) => {
        await this.repository.transition(tx.em, [reminderId], ['sending'], permanent ? 'failed' : 'queued', { lastError: reason });
        if (permanent) {
          await this.audit.append(tx, {
            organizationId: row.organizationId,
            actor: this.actor,
            action: 'reminder.failed',
            entity: 'reminder',
            entityId: row.id,
            data: { channel: row.channel, attempts: attempt, reason },
          });
        }
      });
      throw new DeliveryFailed(reason, permanent);
    }
    await this.uow.run(async (tx) => {
      await this.repository.transition(tx.em, [reminderId], ['sending'], 'sent', { sentAt: new Date(), lastError: null });
      await this.audit.append(tx, {
        organizationId: row.organizationId,
        actor: this.actor,
        action: 'reminder.sent',
        entity: 'reminder',
        entityId: row.id,
        data: { channel: row.channel, stepDays: row.stepDays, subjectId: row.subjectId, attempt },
      });
    });
    return 'sent';
  }

  private async send(channel: Channel, message: OutgoingMessage): Promise<void> {
    switch (channel) {
      case 'email':
        return this.mail.send(message);
      case 'webhook':
        return this.webhooks.send(message);
      case 'in_app':
        // The inbox is the ledger itself: a sent in-app row is in the user's inbox.
        return;
    }
  }
}
