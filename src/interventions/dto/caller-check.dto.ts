import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { CALLER_CHECK_OUTCOMES, CALLER_CHECK_REASONS, CallerCheckOutcome, CallerCheckReason } from '../caller-check.entity';
import { PHONE } from './provider.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CallerCheckRequestDto {
  @ApiProperty({ example: 'Alfa Informatica', description: 'The company the caller says they work for' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  company: string;

  @ApiProperty({ example: 'Mario Rossi', description: 'The name the caller gives' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  technicianName: string;

  @ApiPropertyOptional({ description: 'The verification phrase the caller says, if any' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  phrase?: string;

  @ApiPropertyOptional({ example: '+39 333 1234567', description: 'The number the phone shows (prefills the quick report)' })
  @IsOptional()
  @Transform(trim)
  @Matches(PHONE, { message: 'callerNumber must be a phone number' })
  callerNumber?: string;
}

export class CallerCheckProviderDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Verified by the ALS: call back this number, never one the caller gives' }) callbackPhone: string;
  @ApiProperty() callbackEmail: string;
}

export class CallerCheckInterventionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() windowLabel: string;
  @ApiProperty() startsAt: string;
  @ApiProperty() endsAt: string;
  @ApiProperty() channelLabel: string;
  @ApiProperty({ nullable: true, type: String }) remoteTool: string | null;
  @ApiProperty() purpose: string;
  @ApiProperty({ type: [String], description: 'Codes of the workstations concerned' }) workstations: string[];
}

export class QuickReportPrefillDto {
  @ApiProperty({ format: 'uuid' }) callerCheckId: string;
  @ApiProperty() calledAt: string;
  @ApiProperty({ nullable: true, type: String }) callerNumber: string | null;
  @ApiProperty() claimedCompany: string;
  @ApiProperty() claimedName: string;
}

export class QuickReportOfferDto {
  @ApiProperty({ example: 'Segnala subito la chiamata: i dati sono già compilati.' }) message: string;
  @ApiProperty({ example: '/api/v1/orgs/{orgId}/incidents/quick-report' }) path: string;
  @ApiProperty({ type: QuickReportPrefillDto }) prefill: QuickReportPrefillDto;
}

export class CallerCheckResultDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CALLER_CHECK_OUTCOMES }) outcome: CallerCheckOutcome;
  @ApiProperty({ enum: CALLER_CHECK_REASONS }) reason: CallerCheckReason;
  @ApiProperty({ example: 'Chiamata NON prevista' }) title: string;
  @ApiProperty({ description: 'What to do, in Italian, to read while the caller is on the line' }) message: string;
  @ApiProperty({ type: [String], description: 'The same advice as short steps' }) steps: string[];
  @ApiProperty() checkedAt: string;
  @ApiProperty({
    nullable: true,
    type: CallerCheckProviderDto,
    description: 'The registered provider the company matched, with its verified contacts',
  })
  provider: CallerCheckProviderDto | null;
  @ApiProperty({ nullable: true, type: CallerCheckInterventionDto, description: 'Only when expected' })
  intervention: CallerCheckInterventionDto | null;
  @ApiProperty({ nullable: true, type: QuickReportOfferDto, description: 'Offered unless expected' })
  quickReport: QuickReportOfferDto | null;
}

export class CallerCheckQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CALLER_CHECK_OUTCOMES }) @IsOptional() @IsIn(CALLER_CHECK_OUTCOMES) outcome?: CallerCheckOutcome;
}

export class CallerCheckLogDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() checkedAt: string;
  @ApiProperty() checkedBy: string;
  @ApiProperty() claimedCompany: string;
  @ApiProperty() claimedTechnician: string;
  @ApiProperty({ nullable: true, type: String }) callerNumber: string | null;
  @ApiProperty() phraseGiven: boolean;
  @ApiProperty({ enum: CALLER_CHECK_OUTCOMES }) outcome: CallerCheckOutcome;
  @ApiProperty({ enum: CALLER_CHECK_REASONS }) reason: CallerCheckReason;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) providerId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) interventionId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) incidentId: string | null;
}

export class CallerCheckPageDto {
  @ApiProperty({ type: [CallerCheckLogDto] }) items: CallerCheckLogDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
