import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, TimestampColumn, UuidColumn } from '../../database/column-types';
import type { OrgRole } from '../roles';

/** A token for an integration, bound to one Comune and one role; shown once, stored as an HMAC. */
@Entity('api_tokens')
export class ApiTokenEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  role: OrgRole;

  @Column({ name: 'token_hash', type: 'varchar', length: 64, unique: true })
  tokenHash: string;

  /** First characters of the token, so a person can tell tokens apart. */
  @Column({ name: 'token_prefix', type: 'varchar', length: 16 })
  tokenPrefix: string;

  @UuidColumn({ name: 'created_by_user_id' })
  createdByUserId: string;

  @TimestampColumn({ name: 'expires_at', nullable: true })
  expiresAt: Date | null;

  @TimestampColumn({ name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @TimestampColumn({ name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;
}
