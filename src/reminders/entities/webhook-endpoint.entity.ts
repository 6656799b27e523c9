import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, TimestampColumn, UuidColumn } from '../../database/column-types';

/**
 * Where a Comune's reminders are also POSTed. The signing secret is not stored: it is
 * HMAC(CUSTODE_SECRET, endpoint id), shown once at creation.
 */
@Entity('webhook_endpoints')
export class WebhookEndpointEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @Column({ type: 'varchar', length: 2000 })
  url: string;

  @Column({ type: 'varchar', length: 200 })
  description: string;

  @Column({ name: 'created_by', type: 'varchar', length: 254 })
  createdBy: string;

  @CreatedAtColumn()
  createdAt: Date;

  @TimestampColumn({ name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
