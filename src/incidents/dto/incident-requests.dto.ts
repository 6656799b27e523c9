import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { BodyVersion } from '../../common/http/if-match';
import { PageQueryDto } from '../../common/http/pagination';
import { IsDay } from '../../common/validation/is-day.decorator';
import { PHONE } from '../../interventions/dto/provider.dto';
import {
  CALL_OUTCOMES,
  CALL_REQUESTS,
  CallOutcome,
  CallRequest,
  INCIDENT_STATUSES,
  INCIDENT_TYPES,
  IncidentStatus,
  IncidentType,
} from '../incident.entity';
import { INCIDENT_ACTIONS, IncidentAction } from '../incident-lifecycle';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** The operator's one short form, filled while the call is fresh. */
export class QuickReportDto {
  @ApiPropertyOptional({ description: 'When the call came (default: now)' }) @IsOptional() @IsISO8601({ strict: true }) calledAt?: string;

  @ApiPropertyOptional({ example: '+39 02 9876543', description: 'The number the phone showed' })
  @IsOptional()
  @Transform(trim)
  @Matches(PHONE, { message: 'callerNumber must be a phone number' })
  callerNumber?: string;

  @ApiProperty({ example: 'Alfa Informatica', description: 'The company the caller claimed' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  claimedCompany: string;
  @ApiPropertyOptional({ example: 'Mario Rossi', description: 'The name the caller gave' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  claimedName?: string;

  @ApiProperty({ enum: CALL_REQUESTS, isArray: true, description: 'What the caller asked for' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(CALL_REQUESTS.length)
  @IsIn(CALL_REQUESTS, { each: true })
  requested: CallRequest[];

  @ApiPropertyOptional({ description: 'What else was asked ("other")' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  requestedOther?: string;

  @ApiProperty({ enum: CALL_OUTCOMES, isArray: true, description: 'What was done: "nothing", or everything that was granted or disclosed' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(CALL_OUTCOMES.length)
  @IsIn(CALL_OUTCOMES, { each: true })
  done: CallOutcome[];

  @ApiPropertyOptional({ format: 'uuid', description: 'The workstation used during the call' })
  @IsOptional()
  @IsUUID()
  workstationId?: string;
  @ApiPropertyOptional({ example: 'PC-ANAG-01', description: 'Or its code, as written on the label' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 64)
  workstationCode?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Devices involved (an operator: their own)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  deviceIds?: string[];

  @ApiPropertyOptional({ description: 'Anything else worth knowing' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(5000)
  notes?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The caller check this report follows (its prefill)' })
  @IsOptional()
  @IsUUID()
  callerCheckId?: string;
}

export class LinksDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  deviceIds?: string[];
  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  holderIds?: string[];
  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  workstationIds?: string[];
}

export class CreateIncidentDto extends LinksDto {
  @ApiProperty({ enum: INCIDENT_TYPES }) @IsIn(INCIDENT_TYPES) type: IncidentType;
  @ApiProperty({ example: 'Smarrimento della smart card di Mario Rossi' }) @Transform(trim) @IsString() @Length(3, 300) title: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 10000) description: string;
  @ApiPropertyOptional({ description: 'When it happened, if known' }) @IsOptional() @IsISO8601({ strict: true }) occurredAt?: string;
  @ApiPropertyOptional({ description: 'When it was noticed (default: now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  detectedAt?: string;
  @ApiPropertyOptional({ description: 'When the Comune became aware (default: detectedAt): the GDPR 72 hours start here' })
  @IsOptional()
  @IsISO8601({ strict: true })
  awareAt?: string;
  @ApiPropertyOptional({ description: 'A possible personal-data breach: starts the GDPR clock' })
  @IsOptional()
  @IsBoolean()
  possibleBreach?: boolean;
}

export class UpdateIncidentDto {
  @ApiPropertyOptional({ enum: INCIDENT_TYPES }) @IsOptional() @IsIn(INCIDENT_TYPES) type?: IncidentType;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(3, 300) title?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 10000) description?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) occurredAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) detectedAt?: string;
  @BodyVersion()
  version?: number;
}

export class NoteDto {
  @ApiProperty({ example: 'Sentito il fornitore: nessun intervento previsto.' }) @Transform(trim) @IsString() @Length(1, 5000) text: string;
}

export class IncidentTransitionDto {
  @ApiProperty({ enum: INCIDENT_ACTIONS, description: 'contain (nothing to secure, or done outside Custode), mark_reported, close' })
  @IsIn(INCIDENT_ACTIONS)
  action: IncidentAction;

  @ApiPropertyOptional({ description: 'Required to contain by hand and to close' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(3, 5000)
  note?: string;
}

export const CONTAINMENT_ACTIONS = ['mark_compromised', 'report_lost', 'report_stolen', 'suspend', 'none'] as const;
export type ContainmentAction = (typeof CONTAINMENT_ACTIONS)[number];

export class ContainmentChoiceDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() deviceId: string;
  @ApiProperty({ enum: CONTAINMENT_ACTIONS, description: '"none" leaves the device as it is' })
  @IsIn(CONTAINMENT_ACTIONS)
  action: ContainmentAction;
}

export class ContainmentRequestDto {
  @ApiPropertyOptional({ type: [ContainmentChoiceDto], description: 'Overrides the proposed action of these linked devices' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ContainmentChoiceDto)
  devices?: ContainmentChoiceDto[];

  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(5000) note?: string;
}

export class PoliceReportDto {
  @ApiProperty({ example: 'Polizia Postale - Compartimento di Milano' }) @Transform(trim) @IsString() @Length(2, 200) office: string;
  @ApiProperty({ example: '2026-11-23' }) @IsDay() reportedOn: string;
  @ApiProperty({ example: '12345/2026' }) @Transform(trim) @IsString() @Length(1, 100) protocol: string;
}

export class DcsdCommunicationDto {
  @ApiProperty({ example: '2026-11-23' }) @IsDay() sentOn: string;
  @ApiProperty({ example: 'Prot. 6789/2026 (PEC)' }) @Transform(trim) @IsString() @Length(1, 100) protocol: string;
}

export class IncidentQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: INCIDENT_STATUSES }) @IsOptional() @IsIn(INCIDENT_STATUSES) status?: IncidentStatus;
  @ApiPropertyOptional({ enum: INCIDENT_TYPES }) @IsOptional() @IsIn(INCIDENT_TYPES) type?: IncidentType;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  possibleBreach?: boolean;
}

export class EvidenceFieldsDto {
  @ApiPropertyOptional({ example: 'Fotografia dello schermo con il numero chiamante' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  description?: string;
}
