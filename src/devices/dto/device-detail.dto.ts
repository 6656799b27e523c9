import { ApiProperty } from '@nestjs/swagger';
import { TaskDto } from '../../tasks/dto/task.dto';
import { HandoverReceiptDto } from '../handover/handover.service';
import { CustodyAssignmentEntity, DeviceEventEntity } from '../entities/device-details.entity';
import { DeviceKind, ACTION_LABELS_IT, LifecycleAction, statusLabelIt, DeviceStatus } from '../lifecycle';
import { DeviceDto } from './device.dto';

export class DeviceEventDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() at: string;
  @ApiProperty({ example: 'transition' }) type: string;
  @ApiProperty({ nullable: true, type: String }) action: string | null;
  @ApiProperty({ nullable: true, type: String }) actionLabel: string | null;
  @ApiProperty({ nullable: true, type: String }) fromStatus: string | null;
  @ApiProperty({ nullable: true, type: String }) fromStatusLabel: string | null;
  @ApiProperty({ nullable: true, type: String }) toStatus: string | null;
  @ApiProperty({ nullable: true, type: String }) toStatusLabel: string | null;
  @ApiProperty({ description: 'Who: e-mail, token or job' }) actor: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ nullable: true, type: Object }) evidence: { reference?: string; description?: string } | null;
  @ApiProperty({ type: Object }) data: Record<string, unknown>;
}

export class CustodyAssignmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['holder', 'workstation'] }) target: 'holder' | 'workstation';
  @ApiProperty({ nullable: true, type: Object }) holder: { id: string; name: string } | null;
  @ApiProperty({ nullable: true, type: Object }) workstation: { id: string; code: string } | null;
  @ApiProperty() startedAt: string;
  @ApiProperty({ nullable: true, type: String }) endedAt: string | null;
  @ApiProperty() assignedBy: string;
  @ApiProperty({ nullable: true, type: String }) endReason: string | null;
}

export class DeviceLinkDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() label: string;
  @ApiProperty() status: string;
  @ApiProperty() statusLabel: string;
  @ApiProperty({ nullable: true, type: String }) expiresAt: string | null;
}

export class DeviceDetailDto extends DeviceDto {
  @ApiProperty({ nullable: true, type: DeviceLinkDto }) successor: DeviceLinkDto | null;
  @ApiProperty({ type: [DeviceLinkDto], description: 'Devices this one replaced' }) predecessors: DeviceLinkDto[];
  @ApiProperty({ type: [DeviceEventDto], description: 'Full history, oldest first' }) history: DeviceEventDto[];
  @ApiProperty({ type: [CustodyAssignmentDto], description: 'Chain of custody, oldest first' }) custody: CustodyAssignmentDto[];
  @ApiProperty({ type: [HandoverReceiptDto] }) handoverReceipts: HandoverReceiptDto[];
  @ApiProperty({ type: [TaskDto] }) tasks: TaskDto[];
}

export function mapEvent(kind: DeviceKind, e: DeviceEventEntity): DeviceEventDto {
  return {
    id: e.id,
    at: e.at.toISOString(),
    type: e.type,
    action: e.action,
    actionLabel: e.action ? (ACTION_LABELS_IT[e.action as LifecycleAction] ?? null) : null,
    fromStatus: e.fromStatus,
    fromStatusLabel: e.fromStatus ? statusLabelIt(kind, e.fromStatus as DeviceStatus) : null,
    toStatus: e.toStatus,
    toStatusLabel: e.toStatus ? statusLabelIt(kind, e.toStatus as DeviceStatus) : null,
    actor: e.actorLabel,
    reason: e.reason,
    evidence: e.evidence,
    data: e.data,
  };
}

export function mapAssignment(
  a: CustodyAssignmentEntity,
  holderNames: Map<string, string>,
  workstationCodes: Map<string, string>,
): CustodyAssignmentDto {
  return {
    id: a.id,
    target: a.target,
    holder: a.holderId ? { id: a.holderId, name: holderNames.get(a.holderId) ?? '' } : null,
    workstation: a.workstationId ? { id: a.workstationId, code: workstationCodes.get(a.workstationId) ?? '' } : null,
    startedAt: a.startedAt.toISOString(),
    endedAt: a.endedAt ? a.endedAt.toISOString() : null,
    assignedBy: a.assignedBy,
    endReason: a.endReason,
  };
}
