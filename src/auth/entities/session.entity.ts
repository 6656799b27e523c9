import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, TimestampColumn, UuidColumn } from '../../database/column-types';

/** A sign-in. The bearer token itself is never stored: only its HMAC. */
@Entity('sessions')
export class SessionEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'user_id' })
  userId: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64, unique: true })
  tokenHash: string;

  @TimestampColumn({ name: 'expires_at' })
  expiresAt: Date;

  @TimestampColumn({ name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;
}
