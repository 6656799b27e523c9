import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, JsonColumn, UpdatedAtColumn, UuidColumn } from '../../database/column-types';
import type { Channel } from './reminder.entity';

/**
 * A policy applies to a device kind's expiry, to task deadlines, to the last day of nominations
 * with an end date, or to the password rotation of credentials (`credential` is the account's
 * expiry, `credential_rotation` its periodic password change).
 */
export const POLICY_SUBJECTS = [
  'workstation_certificate',
  'server_certificate',
  'smart_card',
  'credential',
  'task',
  'nomination',
  'credential_rotation',
] as const;
export type PolicySubject = (typeof POLICY_SUBJECTS)[number];

/** A Comune's reminder ladder for one kind; absent rows mean the defaults. */
@Entity('reminder_policies')
export class ReminderPolicyEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @Column({ name: 'subject_kind', type: 'varchar', length: 32 })
  subjectKind: PolicySubject;

  /** Days before expiry, largest first. */
  @JsonColumn()
  steps: number[];

  /** Hour of the day (Europe/Rome) the reminders go out. */
  @Column({ name: 'send_hour', type: 'integer' })
  sendHour: number;

  @JsonColumn()
  channels: Channel[];

  /** Steps that also go to the Mayor's office when not acknowledged. */
  @JsonColumn({ name: 'escalate_steps' })
  escalateSteps: number[];

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;

  @Column({ type: 'integer' })
  version: number;
}
