import { Column, Entity } from 'typeorm';
import { JsonColumn, TimestampColumn, UuidColumn } from '../database/column-types';

/** A device involved in an incident. */
@Entity('incident_devices')
export class IncidentDeviceEntity {
  @UuidColumn({ name: 'incident_id', primary: true })
  incidentId: string;

  @UuidColumn({ name: 'device_id', primary: true })
  deviceId: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @TimestampColumn({ name: 'added_at' })
  addedAt: Date;

  @Column({ name: 'added_by', type: 'varchar', length: 254 })
  addedBy: string;
}

/** A person (holder) involved in an incident. */
@Entity('incident_holders')
export class IncidentHolderEntity {
  @UuidColumn({ name: 'incident_id', primary: true })
  incidentId: string;

  @UuidColumn({ name: 'holder_id', primary: true })
  holderId: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @TimestampColumn({ name: 'added_at' })
  addedAt: Date;

  @Column({ name: 'added_by', type: 'varchar', length: 254 })
  addedBy: string;
}

/** A workstation involved in an incident. */
@Entity('incident_workstations')
export class IncidentWorkstationEntity {
  @UuidColumn({ name: 'incident_id', primary: true })
  incidentId: string;

  @UuidColumn({ name: 'workstation_id', primary: true })
  workstationId: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @TimestampColumn({ name: 'added_at' })
  addedAt: Date;

  @Column({ name: 'added_by', type: 'varchar', length: 254 })
  addedBy: string;
}

/** An evidence file (stored by the attachments module with its SHA-256) attached to an incident. */
@Entity('incident_attachments')
export class IncidentAttachmentEntity {
  @UuidColumn({ name: 'incident_id', primary: true })
  incidentId: string;

  @UuidColumn({ name: 'attachment_id', primary: true })
  attachmentId: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  @TimestampColumn({ name: 'added_at' })
  addedAt: Date;

  @Column({ name: 'added_by', type: 'varchar', length: 254 })
  addedBy: string;
}

export const TIMELINE_TYPES = [
  'reported',
  'created',
  'updated',
  'caller_check_linked',
  'alert_sent',
  'linked',
  'note',
  'evidence_added',
  'containment_step',
  'status_changed',
  'police_report',
  'dcsd_communication',
  'dcsd_report_produced',
  'breach_flagged',
  'breach_updated',
  'breach_assessed',
  'garante_notified',
  'data_subjects',
] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number];

/** One line of an incident's timeline: what was done, when, by whom, in Italian. */
@Entity('incident_events')
export class IncidentEventEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @UuidColumn({ name: 'incident_id' })
  incidentId: string;

  @TimestampColumn()
  at: Date;

  @Column({ type: 'varchar', length: 32 })
  type: TimelineType;

  @Column({ name: 'actor_label', type: 'varchar', length: 254 })
  actorLabel: string;

  /** Italian, for people and for the DCSD report. */
  @Column({ type: 'text' })
  summary: string;

  @JsonColumn()
  data: Record<string, unknown>;
}
