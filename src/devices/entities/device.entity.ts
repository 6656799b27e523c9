import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, TimestampColumn, UpdatedAtColumn, UuidColumn } from '../../database/column-types';
import type { DeviceKind, DeviceStatus } from '../lifecycle';

/** One row per device of any kind; kind-specific columns live in the detail tables. */
@Entity('devices')
export class DeviceEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @Column({ type: 'varchar', length: 32 })
  kind: DeviceKind;

  @Column({ type: 'varchar', length: 32 })
  status: DeviceStatus;

  /** What people call it: the certificate CN, the card serial, the account name. */
  @Column({ type: 'varchar', length: 300 })
  label: string;

  /** The person who holds it (smart card, credential). */
  @UuidColumn({ name: 'holder_id', nullable: true })
  holderId: string | null;

  @UuidColumn({ name: 'workstation_id', nullable: true })
  workstationId: string | null;

  /** The employee responsible for a certificate (responsabile del certificato). */
  @UuidColumn({ name: 'custodian_holder_id', nullable: true })
  custodianHolderId: string | null;

  @TimestampColumn({ name: 'expires_at', nullable: true })
  expiresAt: Date | null;

  /** The device that replaces this one; ends its reminders. */
  @UuidColumn({ name: 'successor_id', nullable: true })
  successorId: string | null;

  @TimestampColumn({ name: 'status_changed_at' })
  statusChangedAt: Date;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;

  /** Optimistic lock: compared with If-Match, bumped by every guarded update. */
  @Column({ type: 'integer' })
  version: number;
}
