import { Inject, Injectable } from '@nestjs/common';
import { Clock, LocalDate, romeDate } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { UnitOfWork } from '../database/unit-of-work.service';
import { JobQueueService } from '../queue/job-queue.service';
import { JobName } from '../queue/jobs';
import { REMINDER_CLOCK } from './reminder-clock';
import { RemindersRepository } from './reminders.repository';

const PAGE = 500;
/**
 * Behind dispatch, recovery and task deadline jobs on the same queue (jobs without a priority go
 * first): 7,900 sweeps must not hold up the delivery of what the first ones wrote.
 */
const SWEEP_PRIORITY = 10;
/**
 * A finished job is kept (and its id therefore refused) for two days: longer than one Rome day,
 * so a second run of the daily job on the same day adds nothing, whatever the number of Comuni.
 */
const KEEP_COMPLETED_SECONDS = 2 * 86_400;
const KEEP_FAILED_SECONDS = 7 * 86_400;

/**
 * One Comune's sweep on one Rome day. BullMQ drops a job whose id it already holds, so the daily
 * job may run twice (a retry, a stalled job run again, two schedulers) and still add one job per
 * Comune and day. No ':' (BullMQ's key separator); UUIDs and days hold only hex digits and '-'.
 */
export function sweepJobId(organizationId: string, day: LocalDate): string {
  return `sweep-${organizationId}-${day}`;
}

/**
 * The daily sweep, fanned out: the scheduled job adds one `reminders.sweep-organization` job per
 * Comune, which any worker process takes, with its own retries. A Comune whose job fails for good
 * loses nothing: its sweep state still holds the last day swept, and the next run catches up.
 */
@Injectable()
export class ReminderSweepFanOut {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: RemindersRepository,
    private readonly jobs: JobQueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REMINDER_CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Adds the day's per-Comune jobs in pages of 500 (one round trip each). If Redis goes away
   * midway the add waits or fails, and the daily job runs again (its retry or the stalled check):
   * the pages already added keep their ids and are not added twice.
   */
  async enqueueDaily(): Promise<{ day: LocalDate; organizations: number }> {
    const day = romeDate(this.clock.now());
    const { sweepAttempts, sweepBackoffMs } = this.config.reminders;
    let after: string | null = null;
    let organizations = 0;
    for (;;) {
      const ids: string[] = await this.uow.read((em) => this.repository.organizationIds(em, after, PAGE));
      if (ids.length === 0) break;
      await this.jobs.enqueueBulk(
        JobName.SweepOrganization,
        ids.map((organizationId) => ({
          payload: { organizationId },
          options: {
            jobId: sweepJobId(organizationId, day),
            priority: SWEEP_PRIORITY,
            attempts: sweepAttempts,
            backoff: { type: 'exponential', delay: sweepBackoffMs },
            removeOnComplete: { age: KEEP_COMPLETED_SECONDS },
            removeOnFail: { age: KEEP_FAILED_SECONDS },
          },
        })),
      );
      organizations += ids.length;
      after = ids[ids.length - 1]!;
      if (ids.length < PAGE) break;
    }
    return { day, organizations };
  }
}
