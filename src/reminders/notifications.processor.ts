import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { JobHandlerSet, JobName, JobPayloads, QueueName } from '../queue/jobs';
import { DeliveryFailed, NotificationDeliveryService } from './delivery/notification-delivery.service';

/**
 * One job per ledger row. BullMQ is at-least-once: a job whose worker died is picked up again
 * once its lock expires (15 s here, renewed while the job runs); the ledger decides whether to send.
 */
@Processor(QueueName.Notifications, { lockDuration: 15_000, stalledInterval: 15_000, maxStalledCount: 3 })
export class NotificationsProcessor extends WorkerHost implements JobHandlerSet, OnApplicationBootstrap {
  readonly queue = QueueName.Notifications;
  readonly handles = [JobName.DeliverNotification] as const;

  constructor(
    private readonly delivery: NotificationDeliveryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.reminders.deliveryConcurrency;
  }

  async process(job: Job): Promise<unknown> {
    if ((job.name as JobName) !== JobName.DeliverNotification) throw new Error(`${QueueName.Notifications} has no handler for ${job.name}`);
    const { reminderId } = job.data as JobPayloads[JobName.DeliverNotification];
    try {
      return { outcome: await this.delivery.deliver(reminderId, job.attemptsMade + 1, job.opts.attempts ?? 1) };
    } catch (error) {
      // The row is already `failed`: retrying would only be refused by the ledger.
      if (error instanceof DeliveryFailed && error.permanent) throw new UnrecoverableError(error.message);
      throw error;
    }
  }
}
