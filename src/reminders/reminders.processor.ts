import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { jobActor } from '../audit/actor';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { JobQueueService } from '../queue/job-queue.service';
import { JobHandlerSet, JobName, JobPayloads, QueueName } from '../queue/jobs';
import { ReminderDispatcher } from './reminder-dispatcher.service';
import { ReminderSweepFanOut } from './reminder-sweep-fanout.service';
import { ReminderSweepService } from './reminder-sweep.service';

/** Sweeps, the outbox relay, recovery and task deadlines. Thin: each job calls one service. */
@Processor(QueueName.Reminders)
export class RemindersProcessor extends WorkerHost implements JobHandlerSet, OnApplicationBootstrap {
  readonly queue = QueueName.Reminders;
  readonly handles = [
    JobName.SweepReminders,
    JobName.SweepOrganization,
    JobName.DispatchReminders,
    JobName.RecoverReminders,
    JobName.TaskDeadline,
  ] as const;
  private readonly logger = new Logger(RemindersProcessor.name);

  constructor(
    private readonly sweeper: ReminderSweepService,
    private readonly fanOut: ReminderSweepFanOut,
    private readonly dispatcher: ReminderDispatcher,
    private readonly jobs: JobQueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  /**
   * Job schedulers (upsertJobScheduler): idempotent, so every worker process may set them at
   * start. Not awaited: with Redis down the process still starts and they are set when it returns.
   */
  onApplicationBootstrap(): void {
    const schedules: [JobName.SweepReminders | JobName.DispatchReminders | JobName.RecoverReminders, string][] = [
      [JobName.SweepReminders, `0 ${this.config.reminders.sweepHour} * * *`],
      [JobName.DispatchReminders, '* * * * *'],
      [JobName.RecoverReminders, '*/10 * * * *'],
    ];
    // The daily job only adds the per-Comune jobs: if that fails (database or Redis away), it runs again.
    const retried = {
      attempts: this.config.reminders.sweepAttempts,
      backoff: { type: 'exponential', delay: this.config.reminders.sweepBackoffMs },
    };
    for (const [name, cron] of schedules) {
      this.jobs
        .schedule(name, {}, cron, { job: name === JobName.SweepReminders ? retried : undefined })
        .catch((error: unknown) => this.logger.warn({ err: String(error), job: name }, 'could not set a schedule'));
    }
    // Whatever waited in the outbox while no worker ran goes out now, not at the next tick.
    this.dispatcher.kick();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as JobName) {
      case JobName.SweepReminders:
        return this.fanOut.enqueueDaily();
      case JobName.SweepOrganization: {
        const { organizationId } = job.data as JobPayloads[JobName.SweepOrganization];
        return { created: (await this.sweeper.sweepOrganization(jobActor(job.name), organizationId, 'daily')).created };
      }
      case JobName.DispatchReminders:
        return { queued: await this.dispatcher.dispatchDue() };
      case JobName.RecoverReminders:
        return { released: await this.dispatcher.recover() };
      case JobName.TaskDeadline: {
        const { organizationId, taskId } = job.data as JobPayloads[JobName.TaskDeadline];
        const created = await this.sweeper.sweepTask(jobActor(job.name), organizationId, taskId);
        if (created > 0) await this.dispatcher.dispatchDue();
        return { created };
      }
      default:
        throw new Error(`${QueueName.Reminders} has no handler for ${job.name}`);
    }
  }
}
