import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { jobActor } from '../audit/actor';
import { JobHandlerSet, JobName, QueueName } from '../queue/jobs';
import { AuthService } from './auth.service';

@Processor(QueueName.Maintenance)
export class MaintenanceProcessor extends WorkerHost implements JobHandlerSet {
  readonly queue = QueueName.Maintenance;
  readonly handles = [JobName.PurgeEndedSessions] as const;

  constructor(private readonly auth: AuthService) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as JobName) {
      case JobName.PurgeEndedSessions:
        return { removed: await this.auth.purgeEndedSessions(jobActor(job.name)) };
      default:
        throw new Error(`${QueueName.Maintenance} has no handler for ${job.name}`);
    }
  }
}
