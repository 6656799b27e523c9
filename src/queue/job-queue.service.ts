import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { JobSchedulerTemplateOptions, JobsOptions, Queue } from 'bullmq';
import { JOB_QUEUE, JobName, JobPayloads, QueueName } from './jobs';

/**
 * The one place that enqueues. Job ids: BullMQ drops a job whose id already exists, which is how
 * "one job per ledger row" is kept; ids may not contain ':' (BullMQ's key separator).
 *
 * With Redis down, `Queue.add` does not fail: it waits until Redis returns. Callers on a request
 * path therefore never await these methods: the database row (the outbox) is the promise.
 */
@Injectable()
export class JobQueueService implements OnModuleInit {
  private readonly logger = new Logger(JobQueueService.name);
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
    @InjectQueue(QueueName.Reminders) reminders: Queue,
    @InjectQueue(QueueName.Notifications) notifications: Queue,
  ) {
    this.queues = { [QueueName.Maintenance]: maintenance, [QueueName.Reminders]: reminders, [QueueName.Notifications]: notifications };
  }

  onModuleInit(): void {
    for (const queue of Object.values(this.queues)) {
      // An unhandled 'error' event would crash the process when Redis goes away.
      queue.on('error', (error) => this.logger.warn({ queue: queue.name, err: error.message }, 'queue connection error'));
    }
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: JobsOptions = {}): Promise<void> {
    if (options.jobId !== undefined && options.jobId.includes(':')) {
      throw new Error(`Job id "${options.jobId}" contains ':'`);
    }
    await this.queue(name).add(name, payload, { removeOnComplete: 1000, removeOnFail: 5000, ...options });
  }

  /** Adds many jobs of one name in one round trip; same id rules as `enqueue`. */
  async enqueueBulk<N extends JobName>(name: N, jobs: { payload: JobPayloads[N]; options?: JobsOptions }[]): Promise<void> {
    for (const job of jobs) {
      if (job.options?.jobId !== undefined && job.options.jobId.includes(':'))
        throw new Error(`Job id "${job.options.jobId}" contains ':'`);
    }
    await this.queue(name).addBulk(
      jobs.map((job) => ({ name, data: job.payload, opts: { removeOnComplete: 1000, removeOnFail: 5000, ...job.options } })),
    );
  }

  /** A job by id (null when it does not exist or was removed). */
  async find(name: JobName, jobId: string): Promise<{ state: string } | null> {
    const job = await this.queue(name).getJob(jobId);
    return job ? { state: await job.getState() } : null;
  }

  /** The queues themselves, for the dashboard. */
  all(): Queue[] {
    return Object.values(this.queues);
  }

  /** Creates or updates a repeating job; idempotent across restarts and processes. */
  async schedule<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    cron: string,
    options: { timezone?: string; job?: JobSchedulerTemplateOptions } = {},
  ): Promise<void> {
    await this.queue(name).upsertJobScheduler(
      name,
      { pattern: cron, tz: options.timezone ?? 'Europe/Rome' },
      { name, data: payload, opts: options.job },
    );
  }

  /** Waiting (with prioritized), active, delayed and failed counts per queue (for metrics and the dashboard). */
  async depths(): Promise<Record<string, Record<string, number>>> {
    const entries = await Promise.all(
      Object.values(this.queues).map(
        async (q) => [q.name, await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed')] as const,
      ),
    );
    return Object.fromEntries(entries);
  }

  private queue(name: JobName): Queue {
    return this.queues[JOB_QUEUE[name]];
  }
}
