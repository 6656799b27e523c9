import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, JsonColumn, TimestampColumn, UpdatedAtColumn, UuidColumn } from '../database/column-types';
import type { NominationRole, NominationStatus } from './nomination-lifecycle';

export const ACT_TYPES = ['decreto_sindacale', 'protocollo', 'determina', 'altro'] as const;
export type ActType = (typeof ACT_TYPES)[number];

/** What a certificate custodian answers for: certificates (device ids) and/or whole workstations. */
export interface NominationScope {
  certificateIds?: string[];
  workstationIds?: string[];
}

/** One act of the Mayor naming a person to a security role, and where it stands. */
@Entity('nominations')
export class NominationEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @Column({ type: 'varchar', length: 32 })
  role: NominationRole;

  /** The nominee: a holder of the same Comune. */
  @UuidColumn({ name: 'holder_id' })
  holderId: string;

  @Column({ type: 'varchar', length: 16 })
  status: NominationStatus;

  @Column({ name: 'act_type', type: 'varchar', length: 32 })
  actType: ActType;

  /** Decree or protocol number, as written on the act. */
  @Column({ name: 'act_number', type: 'varchar', length: 64 })
  actNumber: string;

  /** 'YYYY-MM-DD' (Europe/Rome), as every day field below. */
  @Column({ name: 'act_date', type: 'varchar', length: 10 })
  actDate: string;

  @Column({ name: 'effective_from', type: 'varchar', length: 10 })
  effectiveFrom: string;

  /** Last day in force, inclusive; null = until revoked or superseded. */
  @Column({ name: 'effective_until', type: 'varchar', length: 10, nullable: true })
  effectiveUntil: string | null;

  /** Name of the Mayor or delegate who signed the act. */
  @Column({ name: 'signed_by', type: 'varchar', length: 200 })
  signedBy: string;

  /** Certificate custodians only. */
  @JsonColumn({ nullable: true })
  scope: NominationScope | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  /** The signed act (a PDF in `attachments`). */
  @UuidColumn({ name: 'act_attachment_id', nullable: true })
  actAttachmentId: string | null;

  @TimestampColumn({ name: 'signed_at', nullable: true })
  signedAt: Date | null;

  /** Who recorded the signature in Custode (actor label), not the signatory. */
  @Column({ name: 'signed_recorded_by', type: 'varchar', length: 254, nullable: true })
  signedRecordedBy: string | null;

  /** Day the nomination was registered in the ANPR security console. */
  @Column({ name: 'registered_on', type: 'varchar', length: 10, nullable: true })
  registeredOn: string | null;

  @TimestampColumn({ name: 'activated_at', nullable: true })
  activatedAt: Date | null;

  @Column({ name: 'activated_by', type: 'varchar', length: 254, nullable: true })
  activatedBy: string | null;

  /** When it was revoked, superseded or expired. */
  @TimestampColumn({ name: 'ended_at', nullable: true })
  endedAt: Date | null;

  @Column({ name: 'ended_by', type: 'varchar', length: 254, nullable: true })
  endedBy: string | null;

  @Column({ name: 'end_reason', type: 'text', nullable: true })
  endReason: string | null;

  @UuidColumn({ name: 'superseded_by_id', nullable: true })
  supersededById: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 254 })
  createdBy: string;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;

  @Column({ type: 'integer' })
  version: number;
}
