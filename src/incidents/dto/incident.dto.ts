import { ApiProperty } from '@nestjs/swagger';
import { DEVICE_KINDS, DEVICE_STATUSES, DeviceKind, DeviceStatus, LIFECYCLE_ACTIONS, LifecycleAction } from '../../devices/lifecycle';
import {
  CALL_OUTCOMES,
  CALL_REQUESTS,
  CallOutcome,
  CallRequest,
  INCIDENT_SOURCES,
  INCIDENT_STATUSES,
  INCIDENT_TYPES,
  IncidentSource,
  IncidentStatus,
  IncidentType,
} from '../incident.entity';
import { INCIDENT_ACTIONS, IncidentAction } from '../incident-lifecycle';
import { TIMELINE_TYPES, TimelineType } from '../incident-links.entity';
import { BreachDto } from './breach.dto';

export class IncidentSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2026/0001' }) number: string;
  @ApiProperty({ enum: INCIDENT_TYPES }) type: IncidentType;
  @ApiProperty() typeLabel: string;
  @ApiProperty({ enum: INCIDENT_STATUSES }) status: IncidentStatus;
  @ApiProperty() statusLabel: string;
  @ApiProperty({ enum: INCIDENT_SOURCES }) source: IncidentSource;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) occurredAt: string | null;
  @ApiProperty() detectedAt: string;
  @ApiProperty() awareAt: string;
  @ApiProperty() reportedBy: string;
  @ApiProperty() possibleBreach: boolean;
  @ApiProperty() createdAt: string;
  @ApiProperty() version: number;
}

export class IncidentPageDto {
  @ApiProperty({ type: [IncidentSummaryDto] }) items: IncidentSummaryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class CallDetailsDto {
  @ApiProperty() calledAt: string;
  @ApiProperty({ nullable: true, type: String }) callerNumber: string | null;
  @ApiProperty() claimedCompany: string;
  @ApiProperty({ nullable: true, type: String }) claimedName: string | null;
  @ApiProperty({ enum: CALL_REQUESTS, isArray: true }) requested: CallRequest[];
  @ApiProperty({ type: [String] }) requestedLabels: string[];
  @ApiProperty({ nullable: true, type: String }) requestedOther: string | null;
  @ApiProperty({ enum: CALL_OUTCOMES, isArray: true }) done: CallOutcome[];
  @ApiProperty({ type: [String] }) doneLabels: string[];
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) callerCheckId: string | null;
}

export class IncidentDeviceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: DEVICE_KINDS }) kind: DeviceKind;
  @ApiProperty() kindLabel: string;
  @ApiProperty({ enum: DEVICE_STATUSES }) status: DeviceStatus;
  @ApiProperty() statusLabel: string;
}

export class IncidentRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class IncidentAttachmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() fileName: string;
  @ApiProperty() mediaType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty() sha256: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() addedAt: string;
  @ApiProperty() addedBy: string;
}

export class TimelineEntryDto {
  @ApiProperty() at: string;
  @ApiProperty({ enum: TIMELINE_TYPES }) type: TimelineType;
  @ApiProperty() actor: string;
  @ApiProperty({ description: 'Italian' }) summary: string;
}

export class PoliceReportViewDto {
  @ApiProperty() office: string;
  @ApiProperty() reportedOn: string;
  @ApiProperty() protocol: string;
  @ApiProperty() recordedBy: string;
}

export class DcsdCommunicationViewDto {
  @ApiProperty() sentOn: string;
  @ApiProperty() protocol: string;
  @ApiProperty() recordedBy: string;
}

export class IncidentDto extends IncidentSummaryDto {
  @ApiProperty() description: string;
  @ApiProperty({ nullable: true, type: CallDetailsDto }) call: CallDetailsDto | null;
  @ApiProperty({ type: [IncidentDeviceDto] }) devices: IncidentDeviceDto[];
  @ApiProperty({ type: [IncidentRefDto] }) holders: IncidentRefDto[];
  @ApiProperty({ type: [IncidentRefDto], description: 'name = workstation code' }) workstations: IncidentRefDto[];
  @ApiProperty({ type: [IncidentAttachmentDto] }) attachments: IncidentAttachmentDto[];
  @ApiProperty({ type: [TimelineEntryDto] }) timeline: TimelineEntryDto[];
  @ApiProperty({ nullable: true, type: PoliceReportViewDto }) policeReport: PoliceReportViewDto | null;
  @ApiProperty({ nullable: true, type: DcsdCommunicationViewDto }) dcsdCommunication: DcsdCommunicationViewDto | null;
  @ApiProperty({ nullable: true, type: BreachDto }) breach: BreachDto | null;
  @ApiProperty({ nullable: true, type: String }) containedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) reportedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) closingNote: string | null;
  @ApiProperty({ enum: INCIDENT_ACTIONS, isArray: true }) allowedActions: IncidentAction[];
}

export class ContainmentStepDto {
  @ApiProperty({ format: 'uuid' }) deviceId: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: DEVICE_KINDS }) kind: DeviceKind;
  @ApiProperty() kindLabel: string;
  @ApiProperty({ enum: DEVICE_STATUSES }) status: DeviceStatus;
  @ApiProperty() statusLabel: string;
  @ApiProperty({ nullable: true, enum: LIFECYCLE_ACTIONS }) action: LifecycleAction | null;
  @ApiProperty({ nullable: true, enum: DEVICE_STATUSES }) toStatus: DeviceStatus | null;
  @ApiProperty({ description: 'Italian: what will happen (or why nothing)' }) summary: string;
}

export class ContainmentProposalDto {
  @ApiProperty({ description: 'Something was granted or disclosed: contain now' }) recommended: boolean;
  @ApiProperty() message: string;
  @ApiProperty({ type: [ContainmentStepDto] }) steps: ContainmentStepDto[];
}

export class ContainmentOutcomeDto extends ContainmentStepDto {
  @ApiProperty({ enum: ['applied', 'skipped'] }) outcome: 'applied' | 'skipped';
  @ApiProperty({ type: [String], description: 'Tasks opened (revocation, replacement)' }) openedTaskIds: string[];
}

export class ContainmentResultDto {
  @ApiProperty({ type: IncidentDto }) incident: IncidentDto;
  @ApiProperty({ type: [ContainmentOutcomeDto] }) steps: ContainmentOutcomeDto[];
}

export class QuickReportResultDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() number: string;
  @ApiProperty({ enum: INCIDENT_STATUSES }) status: IncidentStatus;
  @ApiProperty({ enum: INCIDENT_TYPES }) type: IncidentType;
  @ApiProperty() typeLabel: string;
  @ApiProperty({ example: 'Segnalazione n. 2026/0001 registrata. L’Amministratore locale della sicurezza è stato avvisato.' })
  message: string;
  @ApiProperty({ description: 'High-priority alerts to the ALS were queued (e-mail and every channel)' }) alsNotified: boolean;
  @ApiProperty({ nullable: true, type: ContainmentProposalDto, description: 'When something was granted or disclosed' })
  containment: ContainmentProposalDto | null;
}
