import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { TASK_STATUSES, TASK_TRIGGERS, TASK_TYPES, TaskEntity, TaskStatus, TaskTrigger, TaskType } from '../task.entity';

export const TASK_TYPE_LABELS_IT: Record<TaskType, string> = {
  credential_deletion: 'Eliminare la credenziale',
  smart_card_suspension: 'Sospendere la smart card nel Comune e ritirarla',
  custody_reassignment: 'Assegnare un nuovo responsabile',
  revocation: 'Chiedere la revoca o il blocco',
  replacement_request: 'Richiedere un dispositivo sostitutivo',
  incident_report: 'Aprire un incidente e segnalarlo',
  console_privilege_removal: 'Rimuovere i privilegi amministrativi nella consolle ANPR',
};

export const TASK_STATUS_LABELS_IT: Record<TaskStatus, string> = {
  open: 'Da fare',
  requested: 'Richiesto',
  confirmed: 'Confermato',
  cancelled: 'Annullato',
};

export class TaskQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TASK_STATUSES }) @IsOptional() @IsIn(TASK_STATUSES) status?: TaskStatus;
  @ApiPropertyOptional({ enum: TASK_TYPES }) @IsOptional() @IsIn(TASK_TYPES) type?: TaskType;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() holderId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() deviceId?: string;
}

export class TaskSubjectDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class TaskDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: TASK_TYPES }) type: TaskType;
  @ApiProperty() typeLabel: string;
  @ApiProperty({ enum: TASK_STATUSES }) status: TaskStatus;
  @ApiProperty() statusLabel: string;
  @ApiProperty({ nullable: true, type: TaskSubjectDto, description: 'The device concerned (name = its label)' })
  device: TaskSubjectDto | null;
  @ApiProperty({ nullable: true, type: TaskSubjectDto }) holder: TaskSubjectDto | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-04-15', description: 'Europe/Rome day' }) dueOn: string | null;
  @ApiProperty({ example: 'security_admin' }) assigneeRole: string;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: TASK_TRIGGERS }) trigger: TaskTrigger;
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) closedBy: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() version: number;
}

export class TaskPageDto {
  @ApiProperty({ type: [TaskDto] }) items: TaskDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export function mapTask(t: TaskEntity, names: { device: Map<string, string>; holder: Map<string, string> }): TaskDto {
  return {
    id: t.id,
    type: t.type,
    typeLabel: TASK_TYPE_LABELS_IT[t.type],
    status: t.status,
    statusLabel: TASK_STATUS_LABELS_IT[t.status],
    device: t.deviceId ? { id: t.deviceId, name: names.device.get(t.deviceId) ?? '' } : null,
    holder: t.holderId ? { id: t.holderId, name: names.holder.get(t.holderId) ?? '' } : null,
    dueOn: t.dueOn,
    assigneeRole: t.assigneeRole,
    reason: t.reason,
    trigger: t.trigger,
    closedAt: t.closedAt ? t.closedAt.toISOString() : null,
    closedBy: t.closedBy,
    createdAt: t.createdAt.toISOString(),
    version: t.version,
  };
}
