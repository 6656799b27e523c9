import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { UnitOfWork } from '../database/unit-of-work.service';
import { JobQueueService } from '../queue/job-queue.service';
import { JobName } from '../queue/jobs';
import { REMINDER_CLOCK } from './reminder-clock';
import { RemindersRepository } from './reminders.repository';

const BATCH = 500;
/** A row queued or sending for longer than this is checked against the queue. */
const STALE_MS = 15 * 60_000;
/** BullMQ deduplication id of the kicked dispatch runs. */
export const DISPATCH_KICK_ID = 'dispatch-kick';

/**
 * The transactional outbox's relay: `pending` ledger rows whose time has come become jobs on the
 * notifications queue, the job id being the ledger id (BullMQ drops a job whose id exists). The
 * job is added before the row is marked `queued`: a crash in between leaves the row pending and
 * the next run adds it again, which the job id or the ledger state makes harmless.
 */
@Injectable()
export class ReminderDispatcher {
  private readonly logger = new Logger(ReminderDispatcher.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: RemindersRepository,
    private readonly jobs: JobQueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REMINDER_CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Asks a worker to dispatch now. Never awaited on a request path: with Redis down the add waits
   * for Redis, and the rows wait `pending` in the database meanwhile (the scheduled run also finds them).
   */
  kick(): void {
    // Thousands of kicks (one per sweep job, per request that writes a row) make at most one
    // waiting dispatch beside the running one: a kick during a run is kept for one more pass, so a
    // row committed after the running pass's last read still goes out without waiting for the cron.
    this.jobs
      .enqueue(JobName.DispatchReminders, {}, { deduplication: { id: DISPATCH_KICK_ID, keepLastIfActive: true } })
      .catch((error: unknown) => this.logger.warn({ err: String(error) }, 'dispatch not enqueued'));
  }

  /** Moves every due pending row to the queue; returns how many. */
  async dispatchDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.uow.read((em) => this.repository.dispatchable(em, this.clock.now(), BATCH));
      if (rows.length === 0) return total;
      await this.jobs.enqueueBulk(
        JobName.DeliverNotification,
        rows.map((row) => ({
          payload: { reminderId: row.id },
          options: {
            jobId: row.id,
            attempts: this.config.reminders.maxAttempts,
            backoff: { type: 'exponential', delay: this.config.reminders.backoffMs },
          },
        })),
      );
      const moved = await this.uow.run((tx) =>
        this.repository.transition(
          tx.em,
          rows.map((r) => r.id),
          ['pending'],
          'queued',
        ),
      );
      total += moved;
      if (rows.length < BATCH) return total;
    }
  }

  /**
   * Queues these rows now, ahead of the queue (LIFO): urgent notices do not wait behind a sweep's
   * thousands of reminders. Rows already moved on are left alone.
   */
  async dispatchNow(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    await this.jobs.enqueueBulk(
      JobName.DeliverNotification,
      ids.map((id) => ({
        payload: { reminderId: id },
        options: {
          jobId: id,
          lifo: true,
          attempts: this.config.reminders.maxAttempts,
          backoff: { type: 'exponential', delay: this.config.reminders.backoffMs },
        },
      })),
    );
    return this.uow.run((tx) => this.repository.transition(tx.em, ids, ['pending'], 'queued'));
  }

  /**
   * Redis is not the source of truth: a row `queued` whose job no longer exists (Redis lost its
   * data, or the job was removed) goes back to `pending`; so does a row left `sending` by a
   * worker that died, when BullMQ no longer holds its job. Returns how many were released.
   */
  async recover(): Promise<number> {
    const olderThan = new Date(this.clock.now().getTime() - STALE_MS);
    const rows = await this.uow.read((em) => this.repository.stale(em, ['queued', 'sending'], olderThan, BATCH));
    const lost: string[] = [];
    for (const row of rows) {
      const job = await this.jobs.find(JobName.DeliverNotification, row.id);
      if (!job || job.state === 'completed' || job.state === 'failed' || job.state === 'unknown') lost.push(row.id);
    }
    if (lost.length === 0) return 0;
    const released = await this.uow.run((tx) =>
      this.repository.transition(tx.em, lost, ['queued', 'sending'], 'pending', { lastError: 'released: job lost' }),
    );
    if (released > 0) this.logger.warn({ released }, 'ledger rows released back to pending');
    return released;
  }
}
