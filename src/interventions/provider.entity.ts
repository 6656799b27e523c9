import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, JsonColumn, TimestampColumn, UpdatedAtColumn, UuidColumn } from '../database/column-types';

/**
 * A maintenance company the Comune works with. Its call-back phone and e-mail were verified by the
 * ALS (from the contract, the official site, a PEC): the number an operator calls back to check a
 * caller, never the number the caller gives.
 */
@Entity('maintenance_providers')
export class ProviderEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** `name` normalized (see name-matching.ts); unique per Comune. */
  @Column({ name: 'normalized_name', type: 'varchar', length: 200 })
  normalizedName: string;

  /** Other names callers use (brand, former name), as given. */
  @JsonColumn()
  aliases: string[];

  @Column({ name: 'contract_reference', type: 'varchar', length: 200, nullable: true })
  contractReference: string | null;

  @Column({ name: 'callback_phone', type: 'varchar', length: 40 })
  callbackPhone: string;

  @Column({ name: 'callback_email', type: 'varchar', length: 254 })
  callbackEmail: string;

  /** How the ALS verified phone and e-mail (e.g. "contratto prot. 123/2025"). */
  @Column({ name: 'verification_source', type: 'varchar', length: 500 })
  verificationSource: string;

  @Column({ name: 'verified_by', type: 'varchar', length: 254 })
  verifiedBy: string;

  @TimestampColumn({ name: 'verified_at' })
  verifiedAt: Date;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  /** An inactive provider is still shown in history but never matches a caller. */
  @Column({ type: 'boolean' })
  active: boolean;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;

  @Column({ type: 'integer' })
  version: number;
}

/** A technician the provider named: only named technicians can be expected. */
@Entity('provider_technicians')
export class TechnicianEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @UuidColumn({ name: 'provider_id' })
  providerId: string;

  @Column({ name: 'full_name', type: 'varchar', length: 200 })
  fullName: string;

  /** Order-insensitive normalized name: "Rossi Mario" and "Mario Rossi" are the same person. */
  @Column({ name: 'normalized_name', type: 'varchar', length: 200 })
  normalizedName: string;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ name: 'created_by', type: 'varchar', length: 254 })
  createdBy: string;

  @CreatedAtColumn()
  createdAt: Date;

  @TimestampColumn({ name: 'deactivated_at', nullable: true })
  deactivatedAt: Date | null;
}
