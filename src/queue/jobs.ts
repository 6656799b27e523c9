/**
 * Queue and job names with their payloads. A job name belongs to exactly one queue and has
 * exactly one handler; the worker checks this at start (see job-wiring.ts).
 */
export enum QueueName {
  Maintenance = 'maintenance',
}

export enum JobName {
  PurgeEndedSessions = 'sessions.purge-ended',
}

export interface JobPayloads {
  [JobName.PurgeEndedSessions]: Record<string, never>;
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.PurgeEndedSessions]: QueueName.Maintenance,
};

/** What every processor declares: its queue and the job names it handles. */
export interface JobHandlerSet {
  readonly queue: QueueName;
  readonly handles: readonly JobName[];
}
