import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import type { AttachmentView } from '../../attachments/attachments.service';
import { TaskWorkflowEventEntity } from '../task-workflow-event.entity';

export class RequestTaskDto {
  @ApiProperty({ example: '2026-06-10', description: "The day the ANPR console or the Ministry was asked, 'YYYY-MM-DD'" })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'requestedOn must be YYYY-MM-DD' })
  requestedOn: string;

  @ApiProperty({ example: 'Ticket DCSD 2026/1234', description: 'Ticket or protocol number of the request' })
  @IsString()
  @Length(1, 200)
  reference: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class ConfirmTaskDto {
  @ApiProperty({ description: 'The evidence: what was done and where it shows', maxLength: 2000 })
  @IsString()
  @Length(3, 2000)
  note: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "A file already stored in this Comune (e.g. an incident's evidence) that shows it was done: PDF, PNG, JPEG or text. " +
      'Unknown or of another Comune: 404 ATTACHMENT_NOT_FOUND; another kind: 422 ATTACHMENT_NOT_EVIDENCE',
  })
  @IsOptional()
  @IsUUID()
  attachmentId?: string;
}

export class CancelTaskDto {
  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @Length(3, 2000)
  reason: string;
}

/** The evidence file of a confirmation, as stored: its name and hash identify it beside the id. */
export class TaskEvidenceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() fileName: string;
  @ApiProperty() mediaType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty({ description: 'Lowercase hex SHA-256 of the content' }) sha256: string;
}

export class TaskWorkflowEventDto {
  @ApiProperty({ enum: ['requested', 'confirmed', 'cancelled'] }) action: string;
  @ApiProperty() fromStatus: string;
  @ApiProperty() toStatus: string;
  @ApiProperty() at: string;
  @ApiProperty() actor: string;
  @ApiProperty({ nullable: true, type: String }) requestedOn: string | null;
  @ApiProperty({ nullable: true, type: String }) reference: string | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ nullable: true, type: String }) attachmentId: string | null;
  @ApiProperty({ nullable: true, type: TaskEvidenceDto }) attachment: TaskEvidenceDto | null;
}

export class TaskWorkflowDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['open', 'requested', 'confirmed', 'cancelled'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) dueOn: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ type: [TaskWorkflowEventDto] }) history: TaskWorkflowEventDto[];
}

export const mapWorkflowEvent = (e: TaskWorkflowEventEntity, files: ReadonlyMap<string, AttachmentView>): TaskWorkflowEventDto => ({
  action: e.action,
  fromStatus: e.fromStatus,
  toStatus: e.toStatus,
  at: e.at.toISOString(),
  actor: e.actorLabel,
  requestedOn: e.requestedOn,
  reference: e.reference,
  note: e.note,
  attachmentId: e.attachmentId,
  attachment: e.attachmentId === null ? null : mapEvidence(files.get(e.attachmentId)),
});

function mapEvidence(file: AttachmentView | undefined): TaskEvidenceDto | null {
  return file ? { id: file.id, fileName: file.fileName, mediaType: file.mediaType, sizeBytes: file.sizeBytes, sha256: file.sha256 } : null;
}
