import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, TimestampColumn, UpdatedAtColumn, UuidColumn } from '../database/column-types';

/** What the task asks someone to do. */
export const TASK_TYPES = [
  // leaver flow
  'credential_deletion',
  'smart_card_suspension',
  'custody_reassignment',
  // lifecycle side effects
  'revocation',
  'replacement_request',
  'incident_report',
  // nominations: a former ALS/ALP keeps administrative privileges in the ANPR console until removed
  'console_privilege_removal',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const TASK_STATUSES = ['open', 'requested', 'confirmed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** What created the task. */
export const TASK_TRIGGERS = ['leaver', 'transition', 'successor', 'nomination'] as const;
export type TaskTrigger = (typeof TASK_TRIGGERS)[number];

@Entity('tasks')
export class TaskEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @Column({ type: 'varchar', length: 32 })
  type: TaskType;

  @Column({ type: 'varchar', length: 16 })
  status: TaskStatus;

  @UuidColumn({ name: 'device_id', nullable: true })
  deviceId: string | null;

  @UuidColumn({ name: 'holder_id', nullable: true })
  holderId: string | null;

  /** 'YYYY-MM-DD' in Europe/Rome. */
  @Column({ name: 'due_on', type: 'varchar', length: 10, nullable: true })
  dueOn: string | null;

  /** The role expected to act (an OrgRole). */
  @Column({ name: 'assignee_role', type: 'varchar', length: 32 })
  assigneeRole: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'varchar', length: 32 })
  trigger: TaskTrigger;

  @TimestampColumn({ name: 'closed_at', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'closed_by', type: 'varchar', length: 254, nullable: true })
  closedBy: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;

  @Column({ type: 'integer' })
  version: number;
}
