import { Column, Entity } from 'typeorm';
import { TimestampColumn, UuidColumn } from '../database/column-types';

export const CALLER_CHECK_OUTCOMES = ['expected', 'not_expected', 'unverifiable'] as const;
export type CallerCheckOutcome = (typeof CALLER_CHECK_OUTCOMES)[number];

/** Why the check answered as it did (stable codes; the Italian text is made from them). */
export const CALLER_CHECK_REASONS = [
  'match',
  'unknown_company',
  'no_intervention_now',
  'technician_not_named',
  'phrase_missing',
  'phrase_wrong',
  'phrase_blocked',
] as const;
export type CallerCheckReason = (typeof CALLER_CHECK_REASONS)[number];

/** Every caller check, whatever its answer: who asked, what the caller claimed, what Custode said. */
@Entity('caller_checks')
export class CallerCheckEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @TimestampColumn({ name: 'checked_at' })
  checkedAt: Date;

  @UuidColumn({ name: 'checked_by_user_id', nullable: true })
  checkedByUserId: string | null;

  @Column({ name: 'checked_by', type: 'varchar', length: 254 })
  checkedBy: string;

  @Column({ name: 'claimed_company', type: 'varchar', length: 200 })
  claimedCompany: string;

  @Column({ name: 'claimed_technician', type: 'varchar', length: 200 })
  claimedTechnician: string;

  /** The number the phone showed, if the operator typed it. */
  @Column({ name: 'caller_number', type: 'varchar', length: 40, nullable: true })
  callerNumber: string | null;

  /** Whether a phrase was given (never the phrase itself). */
  @Column({ name: 'phrase_given', type: 'boolean' })
  phraseGiven: boolean;

  @Column({ type: 'varchar', length: 16 })
  outcome: CallerCheckOutcome;

  @Column({ type: 'varchar', length: 32 })
  reason: CallerCheckReason;

  @UuidColumn({ name: 'provider_id', nullable: true })
  providerId: string | null;

  @UuidColumn({ name: 'intervention_id', nullable: true })
  interventionId: string | null;

  /** The incident filed from this check (quick report), if any. */
  @UuidColumn({ name: 'incident_id', nullable: true })
  incidentId: string | null;
}
