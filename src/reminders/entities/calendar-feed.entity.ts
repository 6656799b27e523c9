import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, TimestampColumn, UuidColumn } from '../../database/column-types';

/** A user's read-only iCalendar feed in one Comune; only the token's HMAC is stored. */
@Entity('calendar_feeds')
export class CalendarFeedEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @UuidColumn({ name: 'user_id' })
  userId: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @CreatedAtColumn()
  createdAt: Date;

  @TimestampColumn({ name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @TimestampColumn({ name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;
}
