import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, JsonColumn, TimestampColumn, UpdatedAtColumn, UuidColumn } from '../database/column-types';

export const INCIDENT_TYPES = [
  'suspicious_call',
  'unauthorized_access_attempt',
  'remote_session_granted',
  'credentials_disclosed',
  'device_lost',
  'device_stolen',
  'certificate_exported',
  'other',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const INCIDENT_STATUSES = ['open', 'contained', 'reported', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const INCIDENT_SOURCES = ['quick_report', 'manual'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

/** What a caller asked for, and what was done (the operator's quick report). */
export const CALL_REQUESTS = ['remote_access', 'credentials', 'install_software', 'other'] as const;
export type CallRequest = (typeof CALL_REQUESTS)[number];
export const CALL_OUTCOMES = ['nothing', 'remote_session_granted', 'credentials_disclosed', 'software_installed'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** The call as the operator reported it. */
export interface CallDetails {
  calledAt: string;
  callerNumber: string | null;
  claimedCompany: string;
  claimedName: string | null;
  requested: CallRequest[];
  requestedOther: string | null;
  done: CallOutcome[];
  callerCheckId: string | null;
}

/** The incident register (issue 7). Lifecycle open -> contained -> reported -> closed (incident-lifecycle.ts). */
@Entity('incidents')
export class IncidentEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  /** 'YYYY/NNNN', per Comune and year (Europe/Rome). */
  @Column({ type: 'varchar', length: 16 })
  number: string;

  @Column({ type: 'varchar', length: 32 })
  type: IncidentType;

  @Column({ type: 'varchar', length: 16 })
  status: IncidentStatus;

  @Column({ type: 'varchar', length: 16 })
  source: IncidentSource;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'text' })
  description: string;

  @TimestampColumn({ name: 'occurred_at', nullable: true })
  occurredAt: Date | null;

  @TimestampColumn({ name: 'detected_at' })
  detectedAt: Date;

  /** When the Comune became aware: the start of the GDPR 72 hours (art. 33). */
  @TimestampColumn({ name: 'aware_at' })
  awareAt: Date;

  @UuidColumn({ name: 'reported_by_user_id', nullable: true })
  reportedByUserId: string | null;

  @Column({ name: 'reported_by', type: 'varchar', length: 254 })
  reportedBy: string;

  @UuidColumn({ name: 'reporter_holder_id', nullable: true })
  reporterHolderId: string | null;

  @JsonColumn({ nullable: true })
  call: CallDetails | null;

  /** Flagged as a possible personal-data breach: it has a row in the art. 33(5) register. */
  @Column({ name: 'possible_breach', type: 'boolean' })
  possibleBreach: boolean;

  @Column({ name: 'police_office', type: 'varchar', length: 200, nullable: true })
  policeOffice: string | null;

  /** 'YYYY-MM-DD' (Europe/Rome). */
  @Column({ name: 'police_reported_on', type: 'varchar', length: 10, nullable: true })
  policeReportedOn: string | null;

  @Column({ name: 'police_protocol', type: 'varchar', length: 100, nullable: true })
  policeProtocol: string | null;

  @Column({ name: 'police_recorded_by', type: 'varchar', length: 254, nullable: true })
  policeRecordedBy: string | null;

  @Column({ name: 'dcsd_sent_on', type: 'varchar', length: 10, nullable: true })
  dcsdSentOn: string | null;

  @Column({ name: 'dcsd_protocol', type: 'varchar', length: 100, nullable: true })
  dcsdProtocol: string | null;

  @Column({ name: 'dcsd_recorded_by', type: 'varchar', length: 254, nullable: true })
  dcsdRecordedBy: string | null;

  @TimestampColumn({ name: 'contained_at', nullable: true })
  containedAt: Date | null;

  @TimestampColumn({ name: 'reported_at', nullable: true })
  reportedAt: Date | null;

  @TimestampColumn({ name: 'closed_at', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'closing_note', type: 'text', nullable: true })
  closingNote: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;

  @Column({ type: 'integer' })
  version: number;
}
