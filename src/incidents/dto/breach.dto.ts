import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import {
  BREACH_ASSESSMENTS,
  BREACH_RISKS,
  BreachAssessment,
  BreachRisk,
  SUBJECTS_DECISIONS,
  SubjectsDecision,
} from '../breach-record.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const BREACH_ASSESSMENT_LABELS_IT: Record<BreachAssessment, string> = {
  notify: 'Da notificare al Garante',
  no_notify: 'Non da notificare (motivato)',
};
export const BREACH_RISK_LABELS_IT: Record<BreachRisk, string> = {
  no_breach: 'Nessuna violazione di dati personali',
  unlikely_risk: 'Rischio improbabile per i diritti e le libertà',
  risk: 'Rischio per i diritti e le libertà',
  high_risk: 'Rischio elevato per i diritti e le libertà',
};
export const SUBJECTS_DECISION_LABELS_IT: Record<SubjectsDecision, string> = {
  informed: 'Interessati informati (art. 34)',
  exempt: 'Esenzione (art. 34, par. 3)',
  not_required: 'Comunicazione non necessaria (rischio non elevato)',
};

export class BreachDetailsDto {
  @ApiPropertyOptional({ description: 'Nature of the breach' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(5000) nature?: string;

  @ApiPropertyOptional({ type: [String], example: ['dati anagrafici', 'codici fiscali'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  dataCategories?: string[];

  @ApiPropertyOptional({ description: 'Approximate number of people concerned' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  subjectsApprox?: number;
  @ApiPropertyOptional({ description: 'Approximate number of records concerned' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  recordsApprox?: number;
  @ApiPropertyOptional({ description: 'Likely consequences' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(5000)
  consequences?: string;
  @ApiPropertyOptional({ description: 'Measures taken or proposed' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(5000)
  measures?: string;
}

export class FlagBreachDto extends BreachDetailsDto {
  @ApiPropertyOptional({ description: "When the Comune became aware (default: the incident's)" })
  @IsOptional()
  @IsISO8601({ strict: true })
  awareAt?: string;
}

export class UpdateBreachDto extends FlagBreachDto {
  @ApiPropertyOptional({ description: 'The version you read' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) version?: number;
}

export class BreachAssessmentDto {
  @ApiProperty({ enum: BREACH_ASSESSMENTS }) @IsIn(BREACH_ASSESSMENTS) assessment: BreachAssessment;
  @ApiProperty({ enum: BREACH_RISKS }) @IsIn(BREACH_RISKS) risk: BreachRisk;
  @ApiProperty({ description: 'The reasons, kept in the register' }) @Transform(trim) @IsString() @Length(10, 5000) reasons: string;
}

export const GARANTE_NOTIFICATION_KINDS = ['preliminary', 'complete'] as const;
export type GaranteNotificationKind = (typeof GARANTE_NOTIFICATION_KINDS)[number];

export class GaranteNotificationDto {
  @ApiProperty({ enum: GARANTE_NOTIFICATION_KINDS }) @IsIn(GARANTE_NOTIFICATION_KINDS) kind: GaranteNotificationKind;
  @ApiProperty({ description: 'When it was sent through the Garante’s online procedure' }) @IsISO8601({ strict: true }) notifiedAt: string;
  @ApiProperty({ example: 'Fasc. 123456' }) @Transform(trim) @IsString() @Length(1, 100) reference: string;
  @ApiPropertyOptional({ description: 'Required when sent after the 72 hours (art. 33(1))' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(10, 5000)
  delayReasons?: string;
}

export class DataSubjectsDto {
  @ApiProperty({ enum: SUBJECTS_DECISIONS }) @IsIn(SUBJECTS_DECISIONS) decision: SubjectsDecision;
  @ApiPropertyOptional({ description: 'informed: when' }) @IsOptional() @IsISO8601({ strict: true }) informedAt?: string;
  @ApiProperty({ description: 'How they were told, or which exemption applies and why' })
  @Transform(trim)
  @IsString()
  @Length(3, 5000)
  note: string;
}

export class GdprReminderStepDto {
  @ApiProperty({ example: 24 }) hours: number;
  @ApiProperty() dueAt: string;
}

export class GaranteNotificationViewDto {
  @ApiProperty() notifiedAt: string;
  @ApiProperty() reference: string;
}

export class DataSubjectsViewDto {
  @ApiProperty({ enum: SUBJECTS_DECISIONS }) decision: SubjectsDecision;
  @ApiProperty() decisionLabel: string;
  @ApiProperty({ nullable: true, type: String }) informedAt: string | null;
  @ApiProperty() note: string;
}

export class BreachDto {
  @ApiProperty() awareAt: string;
  @ApiProperty({ description: 'awareAt + 72 hours (art. 33(1))' }) deadlineAt: string;
  @ApiProperty({ description: 'Whole hours left (negative when past)' }) hoursLeft: number;
  @ApiProperty({ description: 'The deadline passed and no notification or reasoned decision not to notify was recorded' }) overdue: boolean;
  @ApiProperty({ example: 'Scadenza delle 72 ore: 25/11/2026 14:00 (mancano 41 ore)' }) clockLabel: string;
  @ApiProperty({ type: [GdprReminderStepDto], description: 'Reminders to the ALS and the DPO contact, until the assessment is recorded' })
  reminders: GdprReminderStepDto[];
  @ApiProperty({ nullable: true, type: String }) dpoContact: string | null;
  @ApiProperty({ nullable: true, type: String }) nature: string | null;
  @ApiProperty({ type: [String] }) dataCategories: string[];
  @ApiProperty({ nullable: true, type: Number }) subjectsApprox: number | null;
  @ApiProperty({ nullable: true, type: Number }) recordsApprox: number | null;
  @ApiProperty({ nullable: true, type: String }) consequences: string | null;
  @ApiProperty({ nullable: true, type: String }) measures: string | null;
  @ApiProperty({ nullable: true, enum: BREACH_ASSESSMENTS }) assessment: BreachAssessment | null;
  @ApiProperty({ nullable: true, type: String }) assessmentLabel: string | null;
  @ApiProperty({ nullable: true, enum: BREACH_RISKS }) risk: BreachRisk | null;
  @ApiProperty({ nullable: true, type: String }) riskLabel: string | null;
  @ApiProperty({ nullable: true, type: String }) assessmentReasons: string | null;
  @ApiProperty({ nullable: true, type: String }) assessedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) assessedBy: string | null;
  @ApiProperty({ nullable: true, type: GaranteNotificationViewDto }) preliminaryNotification: GaranteNotificationViewDto | null;
  @ApiProperty({ nullable: true, type: GaranteNotificationViewDto }) completeNotification: GaranteNotificationViewDto | null;
  @ApiProperty({ nullable: true, type: String }) delayReasons: string | null;
  @ApiProperty({ nullable: true, type: DataSubjectsViewDto }) dataSubjects: DataSubjectsViewDto | null;
  @ApiProperty() version: number;
}

export class BreachRegisterEntryDto extends BreachDto {
  @ApiProperty({ format: 'uuid' }) incidentId: string;
  @ApiProperty() incidentNumber: string;
  @ApiProperty() incidentTitle: string;
  @ApiProperty() incidentTypeLabel: string;
}

export class BreachRegisterPageDto {
  @ApiProperty({ type: [BreachRegisterEntryDto] }) items: BreachRegisterEntryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
