import { WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MaintenanceProcessor } from '../auth/maintenance.processor';
import { NotificationsProcessor } from '../reminders/notifications.processor';
import { RemindersModule } from '../reminders/reminders.module';
import { RemindersProcessor } from '../reminders/reminders.processor';
import { JobQueueService } from './job-queue.service';
import { assertJobWiring } from './job-wiring';
import { JobHandlerSet, JobName } from './jobs';
import { QueueModule } from './queue.module';

const PROCESSORS = [MaintenanceProcessor, RemindersProcessor, NotificationsProcessor];
const ALL_PROCESSORS = Symbol('ALL_PROCESSORS');

/**
 * The queue processors. Imported by the worker process, and by the API process when
 * WORKERS=inline; never otherwise, so an API-only process consumes no jobs.
 */
@Module({
  imports: [QueueModule, AuthModule, RemindersModule],
  providers: [...PROCESSORS, { provide: ALL_PROCESSORS, inject: PROCESSORS, useFactory: (...processors: JobHandlerSet[]) => processors }],
})
export class WorkersModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(WorkersModule.name);

  constructor(
    @Inject(ALL_PROCESSORS) private readonly processors: JobHandlerSet[],
    private readonly jobs: JobQueueService,
  ) {
    assertJobWiring(processors);
  }

  onApplicationBootstrap(): void {
    // A worker's errors (Redis unreachable; "Missing lock" when a job finished during an outage and
    // its lock expired: BullMQ runs it again and the ledger refuses it) go to the log. Without a
    // listener BullMQ prints each one with console.error.
    for (const processor of this.processors) {
      if (processor instanceof WorkerHost)
        processor.worker.on('error', (error: Error) => this.logger.warn({ queue: processor.queue, err: error.message }, 'worker error'));
    }
    // Not awaited: with Redis down the process still starts; the scheduler is set when it returns.
    this.jobs
      .schedule(JobName.PurgeEndedSessions, {}, '17 3 * * *')
      .catch((error: unknown) => this.logger.warn({ err: String(error) }, 'could not set the session purge schedule'));
  }
}
