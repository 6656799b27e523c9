/**
 * Queue and job names with their payloads. A job name belongs to exactly one queue and has
 * exactly one handler; the worker checks this at start (see job-wiring.ts).
 */
export enum QueueName {
  Maintenance = 'maintenance',
  /** Sweeps, the outbox dispatcher, recovery and task deadlines (issue 6). */
  Reminders = 'reminders',
  /** One job per ledger row: the delivery of one message (job id = ledger id). */
  Notifications = 'notifications',
}

export enum JobName {
  PurgeEndedSessions = 'sessions.purge-ended',
  /** The daily job: adds one SweepOrganization job per Comune. */
  SweepReminders = 'reminders.sweep',
  SweepOrganization = 'reminders.sweep-organization',
  DispatchReminders = 'reminders.dispatch',
  RecoverReminders = 'reminders.recover',
  TaskDeadline = 'tasks.deadline',
  DeliverNotification = 'notifications.deliver',
}

export interface JobPayloads {
  [JobName.PurgeEndedSessions]: Record<string, never>;
  [JobName.SweepReminders]: Record<string, never>;
  /** One Comune's daily sweep, from where its last sweep stopped (job id: see sweepJobId). */
  [JobName.SweepOrganization]: { organizationId: string };
  [JobName.DispatchReminders]: Record<string, never>;
  [JobName.RecoverReminders]: Record<string, never>;
  [JobName.TaskDeadline]: { organizationId: string; taskId: string };
  /** Only the ledger id: addresses and contents are read from the database at delivery. */
  [JobName.DeliverNotification]: { reminderId: string };
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.PurgeEndedSessions]: QueueName.Maintenance,
  [JobName.SweepReminders]: QueueName.Reminders,
  [JobName.SweepOrganization]: QueueName.Reminders,
  [JobName.DispatchReminders]: QueueName.Reminders,
  [JobName.RecoverReminders]: QueueName.Reminders,
  [JobName.TaskDeadline]: QueueName.Reminders,
  [JobName.DeliverNotification]: QueueName.Notifications,
};

/** What every processor declares: its queue and the job names it handles. */
export interface JobHandlerSet {
  readonly queue: QueueName;
  readonly handles: readonly JobName[];
}
