import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, TimestampColumn, UpdatedAtColumn, UuidColumn } from '../../database/column-types';

export const REMINDER_STATES = ['pending', 'queued', 'sending', 'sent', 'failed', 'cancelled', 'acknowledged'] as const;
export type ReminderState = (typeof REMINDER_STATES)[number];
/** States in which a row may still be delivered. */
export const OPEN_STATES: readonly ReminderState[] = ['pending', 'queued', 'sending'];

export const CHANNELS = ['email', 'webhook', 'in_app'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * What the reminder is about: a device's expiry, a task's deadline, the last day of a nomination
 * with an end date, a credential's password rotation (subject id = the device id: its own key, so
 * it never meets the credential's expiry ladder), or a subject another module owns and registers
 * with ReminderSubjects (an incident).
 */
export const SUBJECT_TYPES = ['device', 'task', 'nomination', 'rotation', 'incident'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/** Why the recipient gets it. */
export const AUDIENCES = ['holder', 'custodian', 'nominee', 'als', 'mayor_office', 'dpo', 'assignee', 'integration'] as const;
export type Audience = (typeof AUDIENCES)[number];

/**
 * The reminder ledger: one row per (subject, expiry instant, step, channel, recipient), unique in
 * the database, so a row exists once whatever runs twice. The row is also the outbox: its state,
 * not the queue, decides whether a message is sent.
 */
@Entity('reminders')
export class ReminderEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @Column({ name: 'subject_type', type: 'varchar', length: 16 })
  subjectType: SubjectType;

  @UuidColumn({ name: 'subject_id' })
  subjectId: string;

  /** The device concerned (the subject itself, or the task's device). */
  @UuidColumn({ name: 'device_id', nullable: true })
  deviceId: string | null;

  /** The expiry instant (a task: its deadline) this ladder counts down to. */
  @TimestampColumn({ name: 'expires_at' })
  expiresAt: Date;

  /** Days before the expiry; for a task, 1 = before the deadline, -1 = overdue. */
  @Column({ name: 'step_days', type: 'integer' })
  stepDays: number;

  /** 'YYYY-MM-DD' in Europe/Rome: the (working) day the step fell due. */
  @Column({ name: 'due_on', type: 'varchar', length: 10 })
  dueOn: string;

  /** Not before this instant: the policy's hour on the due day. */
  @TimestampColumn({ name: 'send_at' })
  sendAt: Date;

  @Column({ type: 'varchar', length: 16 })
  channel: Channel;

  /** `user:<id>`, `holder:<id>` (a person without an account), `mailbox:mayor_office`, `mailbox:dpo` or `webhook:<id>`. */
  @Column({ type: 'varchar', length: 80 })
  recipient: string;

  @Column({ type: 'varchar', length: 16 })
  audience: Audience;

  @Column({ type: 'boolean' })
  escalation: boolean;

  @Column({ type: 'varchar', length: 16 })
  state: ReminderState;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** Short code printed in the message, looked up inside Custode (never a link). */
  @Column({ type: 'varchar', length: 16 })
  reference: string;

  @TimestampColumn({ name: 'state_changed_at' })
  stateChangedAt: Date;

  @TimestampColumn({ name: 'sent_at', nullable: true })
  sentAt: Date | null;

  /** In-app: when the recipient opened it. */
  @TimestampColumn({ name: 'read_at', nullable: true })
  readAt: Date | null;

  @Column({ name: 'closed_reason', type: 'varchar', length: 200, nullable: true })
  closedReason: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}

/** The short code for a ledger row: derived from its id, so it needs no sequence. */
export const referenceFor = (id: string): string => `R-${id.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
