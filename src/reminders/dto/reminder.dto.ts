import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { AUDIENCES, CHANNELS, REMINDER_STATES, ReminderEntity, ReminderState, SUBJECT_TYPES } from '../entities/reminder.entity';

export class ReminderQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: REMINDER_STATES })
  @IsOptional()
  @IsIn(REMINDER_STATES)
  state?: ReminderState;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  deviceId?: string;

  @ApiPropertyOptional({ description: 'The short code printed in a message, e.g. R-1A2B3C4D' })
  @IsOptional()
  @Matches(/^R-[0-9A-Fa-f]{8}$/, { message: 'reference must look like R-1A2B3C4D' })
  reference?: string;
}

export class ReminderDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: REMINDER_STATES }) state: ReminderState;
  @ApiProperty({
    description:
      "Days before the expiry, a nomination's last day or a password rotation's due day (tasks: 1 before the deadline, -1 overdue)",
  })
  stepDays: number;
  @ApiProperty({ description: "The day the step fell due, 'YYYY-MM-DD' in Europe/Rome" }) dueOn: string;
  @ApiProperty({ enum: CHANNELS }) channel: string;
  @ApiProperty({ description: '`user:<id>`, `holder:<id>`, `mailbox:mayor_office` or `webhook:<id>`' }) recipient: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) deviceId: string | null;
  @ApiProperty({ enum: SUBJECT_TYPES }) subjectType: string;
  @ApiProperty({ format: 'uuid' }) subjectId: string;
  @ApiProperty({ example: 'R-1A2B3C4D' }) reference: string;
  @ApiProperty({ enum: AUDIENCES }) audience: string;
  @ApiProperty() escalation: boolean;
  @ApiProperty() expiresAt: string;
  @ApiProperty() sendAt: string;
  @ApiProperty({ nullable: true, type: String }) sentAt: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String }) closedReason: string | null;
  @ApiProperty() createdAt: string;
}

export class ReminderPageDto {
  @ApiProperty({ type: [ReminderDto] }) items: ReminderDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class SweepResultDto {
  @ApiProperty({ description: "'YYYY-MM-DD' in Europe/Rome" }) today: string;
  @ApiProperty({ description: 'Steps that fell due after this day were looked for' }) since: string;
  @ApiProperty() devicesExamined: number;
  @ApiProperty() created: number;
  @ApiProperty({ type: [ReminderDto], description: 'The ledger rows created (at most 200 listed)' }) items: ReminderDto[];
}

export class AcknowledgeReminderDto {
  @ApiProperty({ description: 'What was done, e.g. "rinnovo richiesto il 2026-05-04, ticket 1234"', maxLength: 1000 })
  @IsString()
  @Length(3, 1000)
  note: string;

  @ApiPropertyOptional({ description: "'YYYY-MM-DD': reminders resume on this day; omit to pause until the expiry changes" })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'pausedUntil must be YYYY-MM-DD' })
  pausedUntil?: string;
}

export class AcknowledgementDto {
  @ApiProperty() acknowledged: number;
  @ApiProperty() cancelled: number;
  @ApiProperty({ nullable: true, type: String }) pausedUntil: string | null;
}

export class InboxItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() reference: string;
  @ApiProperty() subject: string;
  @ApiProperty() text: string;
  @ApiProperty({ enum: REMINDER_STATES }) state: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) deviceId: string | null;
  @ApiProperty() stepDays: number;
  @ApiProperty() dueOn: string;
  @ApiProperty({ nullable: true, type: String }) sentAt: string | null;
  @ApiProperty({ nullable: true, type: String }) readAt: string | null;
}

export class InboxPageDto {
  @ApiProperty({ type: [InboxItemDto] }) items: InboxItemDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class NoteDto {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export function mapReminder(r: ReminderEntity): ReminderDto {
  return {
    id: r.id,
    state: r.state,
    stepDays: r.stepDays,
    dueOn: r.dueOn,
    channel: r.channel,
    recipient: r.recipient,
    deviceId: r.deviceId,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    reference: r.reference,
    audience: r.audience,
    escalation: r.escalation,
    expiresAt: r.expiresAt.toISOString(),
    sendAt: r.sendAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
    attempts: r.attempts,
    lastError: r.lastError,
    closedReason: r.closedReason,
    createdAt: r.createdAt.toISOString(),
  };
}
