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

export function defaultPolicy(subjectKind: PolicySubject): Policy {
  return {
    subjectKind,
    steps: subjectKind === 'task' ? TASK_STEPS : DEFAULT_STEPS,
    sendHour: DEFAULT_SEND_HOUR,
    channels: DEFAULT_CHANNELS,
    escalateSteps: subjectKind === 'task' ? [-1] : DEFAULT_ESCALATE_STEPS,
    custom: false,
  };
}

export function policyOf(rows: readonly ReminderPolicyEntity[], subjectKind: PolicySubject): Policy {
  const row = rows.find((r) => r.subjectKind === subjectKind);
  if (!row) return defaultPolicy(subjectKind);
  return { subjectKind, steps: row.steps, sendHour: row.sendHour, channels: row.channels, escalateSteps: row.escalateSteps, custom: true };
}
