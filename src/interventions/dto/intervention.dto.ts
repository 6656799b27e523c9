import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { INTERVENTION_CHANNELS, INTERVENTION_STATUSES, InterventionChannel, InterventionStatus } from '../intervention.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const INTERVENTION_CHANNEL_LABELS_IT: Record<InterventionChannel, string> = { on_site: 'In presenza', remote: 'Da remoto' };

/** Where an intervention stands now: derived from its status and window. */
export const INTERVENTION_STATES = ['upcoming', 'in_progress', 'ended', 'cancelled'] as const;
export type InterventionState = (typeof INTERVENTION_STATES)[number];
export const INTERVENTION_STATE_LABELS_IT: Record<InterventionState, string> = {
  upcoming: 'Programmato',
  in_progress: 'In corso',
  ended: 'Concluso',
  cancelled: 'Annullato',
};

export class CreateInterventionDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() providerId: string;

  @ApiProperty({ type: [String], format: 'uuid', description: 'Named technicians of the provider who may call or come' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  technicianIds: string[];

  @ApiProperty({ example: '2026-11-23T13:00:00Z' }) @IsISO8601({ strict: true }) startsAt: string;
  @ApiProperty({ example: '2026-11-23T17:00:00Z' }) @IsISO8601({ strict: true }) endsAt: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Workstations concerned' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  workstationIds?: string[];

  @ApiProperty({ enum: INTERVENTION_CHANNELS }) @IsIn(INTERVENTION_CHANNELS) channel: InterventionChannel;

  @ApiPropertyOptional({ example: 'AnyDesk', description: 'Remote only, and then required: the one remote-access tool allowed' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  remoteTool?: string;

  @ApiProperty({ example: 'Aggiornamento del software di anagrafe alla versione 5.2' })
  @Transform(trim)
  @IsString()
  @Length(3, 2000)
  purpose: string;

  @ApiProperty({ example: 'Laura Bianchi, responsabile assistenza', description: 'Who at the provider agreed it' })
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  agreedWith: string;

  @ApiPropertyOptional({ description: 'When it was agreed (default: now); not in the future' })
  @IsOptional()
  @IsISO8601({ strict: true })
  agreedAt?: string;
}

export class CancelInterventionDto {
  @ApiProperty({ example: 'Rinviato dal fornitore' }) @Transform(trim) @IsString() @Length(3, 2000) reason: string;
}

export class InterventionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() providerId?: string;
  @ApiPropertyOptional({ enum: INTERVENTION_STATUSES }) @IsOptional() @IsIn(INTERVENTION_STATUSES) status?: InterventionStatus;
  @ApiPropertyOptional({ description: 'Windows ending at or after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  endsAfter?: string;
}

export class InterventionRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class InterventionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: InterventionRefDto }) provider: InterventionRefDto;
  @ApiProperty({ type: [InterventionRefDto] }) technicians: InterventionRefDto[];
  @ApiProperty() startsAt: string;
  @ApiProperty() endsAt: string;
  @ApiProperty({ example: 'dalle 14:00 alle 18:00 del 23/11/2026', description: 'The window in Europe/Rome time' }) windowLabel: string;
  @ApiProperty({ enum: INTERVENTION_CHANNELS }) channel: InterventionChannel;
  @ApiProperty() channelLabel: string;
  @ApiProperty({ nullable: true, type: String }) remoteTool: string | null;
  @ApiProperty() purpose: string;
  @ApiProperty({ type: [InterventionRefDto], description: 'Workstations concerned (name = code)' }) workstations: InterventionRefDto[];
  @ApiProperty() agreedWith: string;
  @ApiProperty() agreedBy: string;
  @ApiProperty() agreedAt: string;
  @ApiProperty({ enum: INTERVENTION_STATUSES }) status: InterventionStatus;
  @ApiProperty({ enum: INTERVENTION_STATES }) state: InterventionState;
  @ApiProperty() stateLabel: string;
  @ApiProperty() phraseIssuedAt: string;
  @ApiProperty({ description: 'Too many wrong phrases: checks answer "unverifiable" until a new phrase is issued' }) phraseBlocked: boolean;
  @ApiProperty({ nullable: true, type: String }) cancelledAt: string | null;
  @ApiProperty({ nullable: true, type: String }) cancelReason: string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
}

export class IssuedInterventionDto extends InterventionDto {
  @ApiProperty({ example: 'mela-fiume-treno-42', description: 'Shown only in this response: Custode keeps only its hash' })
  verificationPhrase: string;
  @ApiProperty() verificationPhraseNote: string;
}

export class InterventionPageDto {
  @ApiProperty({ type: [InterventionDto] }) items: InterventionDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
