import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, JsonColumn, TimestampColumn, UpdatedAtColumn, UuidColumn } from '../database/column-types';

export const BREACH_ASSESSMENTS = ['notify', 'no_notify'] as const;
export type BreachAssessment = (typeof BREACH_ASSESSMENTS)[number];

export const BREACH_RISKS = ['no_breach', 'unlikely_risk', 'risk', 'high_risk'] as const;
export type BreachRisk = (typeof BREACH_RISKS)[number];

/** Art. 34: the people concerned were told, or an exemption of art. 34(3) applies, or no high risk. */
export const SUBJECTS_DECISIONS = ['informed', 'exempt', 'not_required'] as const;
export type SubjectsDecision = (typeof SUBJECTS_DECISIONS)[number];

/**
 * One entry of the art. 33(5) register: every possible personal-data breach stays here, notified
 * or not, with the facts, the assessment and its reasons, and what was done.
 */
@Entity('breach_records')
export class BreachRecordEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @UuidColumn({ name: 'incident_id' })
  incidentId: string;

  /** Became aware: the 72 hours count from here. */
  @TimestampColumn({ name: 'aware_at' })
  awareAt: Date;

  @TimestampColumn({ name: 'deadline_at' })
  deadlineAt: Date;

  @TimestampColumn({ name: 'flagged_at' })
  flaggedAt: Date;

  @Column({ name: 'flagged_by', type: 'varchar', length: 254 })
  flaggedBy: string;

  /** The DPO contact the reminders went to, as it was when flagged. */
  @Column({ name: 'dpo_contact', type: 'varchar', length: 254, nullable: true })
  dpoContact: string | null;

  @Column({ type: 'text', nullable: true })
  nature: string | null;

  @JsonColumn({ name: 'data_categories' })
  dataCategories: string[];

  @Column({ name: 'subjects_approx', type: 'integer', nullable: true })
  subjectsApprox: number | null;

  @Column({ name: 'records_approx', type: 'integer', nullable: true })
  recordsApprox: number | null;

  @Column({ type: 'text', nullable: true })
  consequences: string | null;

  @Column({ type: 'text', nullable: true })
  measures: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  assessment: BreachAssessment | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  risk: BreachRisk | null;

  @Column({ name: 'assessment_reasons', type: 'text', nullable: true })
  assessmentReasons: string | null;

  @TimestampColumn({ name: 'assessed_at', nullable: true })
  assessedAt: Date | null;

  @Column({ name: 'assessed_by', type: 'varchar', length: 254, nullable: true })
  assessedBy: string | null;

  @TimestampColumn({ name: 'preliminary_notified_at', nullable: true })
  preliminaryNotifiedAt: Date | null;

  @Column({ name: 'preliminary_reference', type: 'varchar', length: 100, nullable: true })
  preliminaryReference: string | null;

  @TimestampColumn({ name: 'complete_notified_at', nullable: true })
  completeNotifiedAt: Date | null;

  @Column({ name: 'complete_reference', type: 'varchar', length: 100, nullable: true })
  completeReference: string | null;

  /** Art. 33(1): why the notification came after 72 hours. */
  @Column({ name: 'delay_reasons', type: 'text', nullable: true })
  delayReasons: string | null;

  @Column({ name: 'subjects_decision', type: 'varchar', length: 16, nullable: true })
  subjectsDecision: SubjectsDecision | null;

  @TimestampColumn({ name: 'subjects_informed_at', nullable: true })
  subjectsInformedAt: Date | null;

  /** How they were told, or which exemption applies and why. */
  @Column({ name: 'subjects_note', type: 'text', nullable: true })
  subjectsNote: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;

  @Column({ type: 'integer' })
  version: number;
}
