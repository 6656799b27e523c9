import { Column, Entity } from 'typeorm';
import { TimestampColumn, UuidColumn } from '../database/column-types';
import type { TaskStatus } from './task.entity';

export type TaskWorkflowAction = 'requested' | 'confirmed' | 'cancelled';

/** One step of a revocation or leaver task: who moved it, when, with what reference or evidence. */
@Entity('task_workflow_events')
export class TaskWorkflowEventEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @UuidColumn({ name: 'task_id' })
  taskId: string;

  @Column({ type: 'varchar', length: 16 })
  action: TaskWorkflowAction;

  @Column({ name: 'from_status', type: 'varchar', length: 16 })
  fromStatus: TaskStatus;

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus: TaskStatus;

  @TimestampColumn()
  at: Date;

  @Column({ name: 'actor_label', type: 'varchar', length: 254 })
  actorLabel: string;

  /** 'YYYY-MM-DD': the day the console or the Ministry was asked. */
  @Column({ name: 'requested_on', type: 'varchar', length: 10, nullable: true })
  requestedOn: string | null;

  /** The ticket or protocol number of the request. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  reference: string | null;

  /** Evidence or the reason for cancelling. */
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @UuidColumn({ name: 'attachment_id', nullable: true })
  attachmentId: string | null;
}
