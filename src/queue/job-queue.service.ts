import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
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

  constructor(@InjectQueue(QueueName.Maintenance) maintenance: Queue) {
    this.queues = { [QueueName.Maintenance]: maintenance };
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

  /** Creates or updates a repeating job; idempotent across restarts and processes. */
  async schedule<N extends JobName>(name: N, payload: JobPayloads[N], cron: string, timezone = 'Europe/Rome'): Promise<void> {
    await this.queue(name).upsertJobScheduler(name, { pattern: cron, tz: timezone }, { name, data: payload });
  }

  /** Waiting, active and delayed counts per queue (for metrics and the dashboard). */
  async depths(): Promise<Record<string, Record<string, number>>> {
    const entries = await Promise.all(
      Object.values(this.queues).map(async (q) => [q.name, await q.getJobCounts('waiting', 'active', 'delayed', 'failed')] as const),
    );
    return Object.fromEntries(entries);
  }

  private queue(name: JobName): Queue {
    return this.queues[JOB_QUEUE[name]];
  }
}
