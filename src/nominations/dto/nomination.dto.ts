import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { IsDay } from '../../common/validation/is-day.decorator';
import { ACT_TYPES, ActType } from '../nomination.entity';
import { NOMINATION_ROLES, NOMINATION_STATUSES, NominationAction, NominationRole, NominationStatus } from '../nomination-lifecycle';

export class NominationScopeDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Certificates (device ids) the custodian answers for' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  certificateIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Workstations whose certificates the custodian answers for' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  workstationIds?: string[];
}

export class CreateNominationDto {
  @ApiProperty({ enum: NOMINATION_ROLES })
  @IsIn(NOMINATION_ROLES)
  role: NominationRole;

  @ApiProperty({ format: 'uuid', description: 'The nominee (a holder of this Comune)' })
  @IsUUID()
  holderId: string;

  @ApiPropertyOptional({ enum: ACT_TYPES, default: 'decreto_sindacale' })
  @IsOptional()
  @IsIn(ACT_TYPES)
  actType?: ActType;

  @ApiProperty({ description: 'Decree or protocol number as written on the act', example: '12/2025' })
  @IsString()
  @Length(1, 64)
  actNumber: string;

  @ApiProperty({ example: '2025-10-01' })
  @IsDay()
  actDate: string;

  @ApiProperty({ example: '2025-10-01' })
  @IsDay()
  effectiveFrom: string;

  @ApiPropertyOptional({ example: '2026-09-30', description: 'Last day in force (inclusive); omit for "until revoked"' })
  @IsOptional()
  @IsDay()
  effectiveUntil?: string;

  @ApiProperty({ description: 'Name of the Mayor or delegate who signs the act', example: 'Il Sindaco, Anna Bianchi' })
  @IsString()
  @Length(2, 200)
  signedBy: string;

  @ApiPropertyOptional({ type: NominationScopeDto, description: 'Certificate custodians only (required for them)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => NominationScopeDto)
  scope?: NominationScopeDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class SignNominationDto {
  @ApiPropertyOptional({ description: 'The final act number, when it differs from the draft' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  actNumber?: string;

  @ApiPropertyOptional({ description: 'The final act date, when it differs from the draft' })
  @IsOptional()
  @IsDay()
  actDate?: string;
}

export class ActivateNominationDto {
  @ApiPropertyOptional({ description: 'Day it was registered in the ANPR security console (default: today, Europe/Rome)' })
  @IsOptional()
  @IsDay()
  registeredOn?: string;
}

export class RevokeNominationDto {
  @ApiProperty({ description: 'Why, and by which act', example: 'Revocata con decreto sindacale n. 20/2025' })
  @IsString()
  @Length(3, 1000)
  reason: string;
}

export class NominationQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: NOMINATION_ROLES })
  @IsOptional()
  @IsIn(NOMINATION_ROLES)
  role?: NominationRole;

  @ApiPropertyOptional({ enum: NOMINATION_STATUSES })
  @IsOptional()
  @IsIn(NOMINATION_STATUSES)
  status?: NominationStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  holderId?: string;
}

export class ExportQueryDto {
  @ApiPropertyOptional({ enum: ['pdf', 'csv'], default: 'pdf' })
  @IsOptional()
  @IsIn(['pdf', 'csv'])
  format?: 'pdf' | 'csv';
}

export class NomineeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['active', 'leaver'] }) employmentStatus: string;
}

export class ActDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() fileName: string;
  @ApiProperty() mediaType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty() sha256: string;
  @ApiProperty() uploadedAt: string;
  @ApiProperty() uploadedBy: string;
  @ApiProperty({ description: 'GET this path (with your token) to download the signed act' }) downloadPath: string;
}

export class NominationRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() nomineeName: string;
  @ApiProperty() actNumber: string;
}

export class ScopeItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Certificate label or workstation code' }) name: string;
}

export class NominationScopeViewDto {
  @ApiProperty({ type: [ScopeItemDto] }) certificates: ScopeItemDto[];
  @ApiProperty({ type: [ScopeItemDto] }) workstations: ScopeItemDto[];
}

export class NominationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: NOMINATION_ROLES }) role: NominationRole;
  @ApiProperty({ example: 'Amministratore locale della sicurezza (ALS)' }) roleLabel: string;
  @ApiProperty({ enum: NOMINATION_STATUSES }) status: NominationStatus;
  @ApiProperty({ example: 'In vigore' }) statusLabel: string;
  @ApiProperty({ description: 'In force now (status active)' }) current: boolean;
  @ApiProperty({ type: NomineeDto }) nominee: NomineeDto;
  @ApiProperty({ enum: ACT_TYPES }) actType: ActType;
  @ApiProperty() actTypeLabel: string;
  @ApiProperty() actNumber: string;
  @ApiProperty() actDate: string;
  @ApiProperty() effectiveFrom: string;
  @ApiProperty({ nullable: true, type: String }) effectiveUntil: string | null;
  @ApiProperty() signedBy: string;
  @ApiProperty({ nullable: true, type: NominationScopeViewDto }) scope: NominationScopeViewDto | null;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty({ nullable: true, type: ActDto }) act: ActDto | null;
  @ApiProperty({ nullable: true, type: String }) signedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Who recorded the signature in Custode' }) signedRecordedBy: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Registered in the ANPR console on' }) registeredOn: string | null;
  @ApiProperty({ nullable: true, type: String }) activatedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) activatedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) endedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) endedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) endReason: string | null;
  @ApiProperty({ nullable: true, type: NominationRefDto }) supersededBy: NominationRefDto | null;
  @ApiProperty({ type: [String], description: 'What the Mayor’s office can do next: sign, activate, revoke' })
  allowedActions: NominationAction[];
  @ApiProperty() createdAt: string;
  @ApiProperty() createdBy: string;
  @ApiProperty() version: number;
}

export class NominationPageDto {
  @ApiProperty({ type: [NominationDto] }) items: NominationDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
