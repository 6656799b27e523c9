import { Column, Entity } from 'typeorm';
import { TimestampColumn, UuidColumn } from '../../database/column-types';

/** The last day a Comune's sweep completed: the next daily sweep reads only what fell due since. */
@Entity('reminder_sweeps')
export class ReminderSweepStateEntity {
  @UuidColumn({ name: 'organization_id', primary: true })
  organizationId: string;

  @Column({ name: 'last_swept_on', type: 'varchar', length: 10 })
  lastSweptOn: string;

  @TimestampColumn({ name: 'last_run_at' })
  lastRunAt: Date;
}
