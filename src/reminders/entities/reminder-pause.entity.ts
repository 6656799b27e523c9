import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, TimestampColumn, UuidColumn } from '../../database/column-types';
import type { SubjectType } from './reminder.entity';

/**
 * An acknowledgement ("renewal requested on <date>"): pauses one ladder (subject and expiry)
 * until `pausedUntil`, or for as long as that expiry stands when it is null.
 */
@Entity('reminder_pauses')
export class ReminderPauseEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @Column({ name: 'subject_type', type: 'varchar', length: 16 })
  subjectType: SubjectType;

  @UuidColumn({ name: 'subject_id' })
  subjectId: string;

  @TimestampColumn({ name: 'expires_at' })
  expiresAt: Date;

  /** 'YYYY-MM-DD' (Europe/Rome), the first day reminders resume; null: not before a new expiry. */
  @Column({ name: 'paused_until', type: 'varchar', length: 10, nullable: true })
  pausedUntil: string | null;

  @Column({ name: 'acknowledged_step', type: 'integer' })
  acknowledgedStep: number;

  @Column({ type: 'text' })
  note: string;

  @Column({ name: 'created_by', type: 'varchar', length: 254 })
  createdBy: string;

  @CreatedAtColumn()
  createdAt: Date;
}
