import type { ActorType } from './audit-event.entity';

/** Who did something: recorded on every audit row and lifecycle event. */
export interface Actor {
  type: ActorType;
  /** user id, API token id or job name; null for the system itself. */
  id: string | null;
  /** Human label shown in the console: e-mail, token name, job name. */
  label: string;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, label: 'custode' };
export const jobActor = (jobName: string): Actor => ({ type: 'job', id: jobName, label: `job:${jobName}` });
