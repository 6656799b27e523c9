import { ReminderPolicyEntity, PolicySubject } from './entities/reminder-policy.entity';
import { Channel } from './entities/reminder.entity';
import { DEFAULT_ESCALATE_STEPS, DEFAULT_SEND_HOUR, DEFAULT_STEPS } from './reminder-ladder';

/** The ladder that applies to one kind in one Comune. */
export interface Policy {
  subjectKind: PolicySubject;
  steps: readonly number[];
  sendHour: number;
  channels: readonly Channel[];
  escalateSteps: readonly number[];
  /** False when no row exists and the defaults apply. */
  custom: boolean;
}

export const DEFAULT_CHANNELS: readonly Channel[] = ['email', 'in_app', 'webhook'];
/** Tasks: the working day before the deadline, and the working day after it (escalation). */
export const TASK_STEPS: readonly number[] = [1, -1];
/**
 * Password rotation: changing a password takes minutes and needs nobody else, so two weeks'
 * notice is plenty; with a 90-day rotation the default 90/60/30 steps would start the next
 * reminder the day after the last change. No escalation: the ALS is already in copy, and the
 * Mayor's office has nothing to do about a password.
 */
export const ROTATION_STEPS: readonly number[] = [14, 7, 1, 0];

const DEFAULTS: Partial<Record<PolicySubject, Pick<Policy, 'steps' | 'escalateSteps'>>> = {
  task: { steps: TASK_STEPS, escalateSteps: [-1] },
  credential_rotation: { steps: ROTATION_STEPS, escalateSteps: [] },
};

export function defaultPolicy(subjectKind: PolicySubject): Policy {
  const { steps, escalateSteps } = DEFAULTS[subjectKind] ?? { steps: DEFAULT_STEPS, escalateSteps: DEFAULT_ESCALATE_STEPS };
  return { subjectKind, steps, sendHour: DEFAULT_SEND_HOUR, channels: DEFAULT_CHANNELS, escalateSteps, custom: false };
}

export function policyOf(rows: readonly ReminderPolicyEntity[], subjectKind: PolicySubject): Policy {
  const row = rows.find((r) => r.subjectKind === subjectKind);
  if (!row) return defaultPolicy(subjectKind);
  return { subjectKind, steps: row.steps, sendHour: row.sendHour, channels: row.channels, escalateSteps: row.escalateSteps, custom: true };
}
