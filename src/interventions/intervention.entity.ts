import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, TimestampColumn, UpdatedAtColumn, UuidColumn } from '../database/column-types';

export const INTERVENTION_CHANNELS = ['on_site', 'remote'] as const;
export type InterventionChannel = (typeof INTERVENTION_CHANNELS)[number];

export const INTERVENTION_STATUSES = ['scheduled', 'cancelled'] as const;
export type InterventionStatus = (typeof INTERVENTION_STATUSES)[number];

/**
 * A technical intervention agreed in advance with a provider (Circolare DAIT 74/2025): who, when,
 * on which workstations, how. Only the HMAC of its verification phrase is stored.
 */
@Entity('interventions')
export class InterventionEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @UuidColumn({ name: 'provider_id' })
  providerId: string;

  @TimestampColumn({ name: 'starts_at' })
  startsAt: Date;

  @TimestampColumn({ name: 'ends_at' })
  endsAt: Date;

  @Column({ type: 'varchar', length: 16 })
  channel: InterventionChannel;

  /** Remote only: the one remote-access tool allowed (e.g. "AnyDesk"). */
  @Column({ name: 'remote_tool', type: 'varchar', length: 100, nullable: true })
  remoteTool: string | null;

  @Column({ type: 'text' })
  purpose: string;

  /** Who at the provider agreed it, as the ALS recorded it. */
  @Column({ name: 'agreed_with', type: 'varchar', length: 200 })
  agreedWith: string;

  @Column({ name: 'agreed_by', type: 'varchar', length: 254 })
  agreedBy: string;

  @TimestampColumn({ name: 'agreed_at' })
  agreedAt: Date;

  /** Hex HMAC-SHA256 of the normalized phrase (verification-phrase.ts); the phrase itself is never stored. */
  @Column({ name: 'phrase_hash', type: 'varchar', length: 64 })
  phraseHash: string;

  @TimestampColumn({ name: 'phrase_issued_at' })
  phraseIssuedAt: Date;

  /** Wrong phrases given in caller checks since the phrase was issued; at the limit the phrase is blocked. */
  @Column({ name: 'failed_phrase_attempts', type: 'integer' })
  failedPhraseAttempts: number;

  @Column({ type: 'varchar', length: 16 })
  status: InterventionStatus;

  @TimestampColumn({ name: 'cancelled_at', nullable: true })
  cancelledAt: Date | null;

  @Column({ name: 'cancelled_by', type: 'varchar', length: 254, nullable: true })
  cancelledBy: string | null;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;

  @Column({ type: 'integer' })
  version: number;
}

/** The technicians named for one intervention. */
@Entity('intervention_technicians')
export class InterventionTechnicianEntity {
  @UuidColumn({ name: 'intervention_id', primary: true })
  interventionId: string;

  @UuidColumn({ name: 'technician_id', primary: true })
  technicianId: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;
}

/** The workstations one intervention concerns. */
@Entity('intervention_workstations')
export class InterventionWorkstationEntity {
  @UuidColumn({ name: 'intervention_id', primary: true })
  interventionId: string;

  @UuidColumn({ name: 'workstation_id', primary: true })
  workstationId: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;
}
