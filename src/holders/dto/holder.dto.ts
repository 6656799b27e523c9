import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { BodyVersion } from '../../common/http/if-match';
import { PageQueryDto } from '../../common/http/pagination';
import { IsFiscalCode } from '../../common/validation/is-fiscal-code.decorator';
import { EMPLOYMENT_STATUSES, EmploymentStatus, HolderEntity } from '../holder.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class CreateHolderDto {
  @ApiProperty({ example: 'Mario' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  firstName: string;

  @ApiProperty({ example: 'Rossi' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  lastName: string;

  @IsFiscalCode()
  fiscalCode: string;

  @ApiPropertyOptional({
    example: 'mario.rossi@comune.example.it',
    description: 'Also links the holder to the Custode user with this sign-in e-mail',
  })
  @IsOptional()
  @Transform(lower)
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: 'Ufficio anagrafe' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  office?: string;

  @ApiPropertyOptional({ example: "Ufficiale d'anagrafe" })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  roleDescription?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The Custode user who is this person (a member of the Comune)' })
  @IsOptional()
  @IsUUID()
  userId?: string;
}

export class UpdateHolderDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 100) firstName?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 100) lastName?: string;
  @IsFiscalCode({ optional: true }) fiscalCode?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @Transform(lower) @IsEmail() @MaxLength(254) email?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @Transform(trim) @IsString() @MaxLength(200) office?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @Transform(trim) @IsString() @MaxLength(200) roleDescription?:
    string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) @IsOptional() @IsUUID() userId?: string | null;

  @BodyVersion()
  version?: number;
}

export class HolderQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Search in first name, last name, e-mail' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  office?: string;

  @ApiPropertyOptional({ enum: EMPLOYMENT_STATUSES })
  @IsOptional()
  @IsIn(EMPLOYMENT_STATUSES)
  employmentStatus?: EmploymentStatus;

  @ApiPropertyOptional({ description: 'Exact codice fiscale' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString()
  @Length(16, 16)
  fiscalCode?: string;
}

export const EMPLOYMENT_STATUS_LABELS_IT: Record<EmploymentStatus, string> = { active: 'In servizio', leaver: 'Cessato' };

export class HolderDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty({ description: 'First and last name' }) name: string;
  @ApiProperty() fiscalCode: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) office: string | null;
  @ApiProperty({ nullable: true, type: String }) roleDescription: string | null;
  @ApiProperty({ enum: EMPLOYMENT_STATUSES }) employmentStatus: EmploymentStatus;
  @ApiProperty({ example: 'In servizio' }) employmentStatusLabel: string;
  @ApiProperty({ nullable: true, type: String }) leaverReason: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-03-31' }) leftOn: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) userId: string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class HolderPageDto {
  @ApiProperty({ type: [HolderDto] }) items: HolderDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export function mapHolder(h: HolderEntity): HolderDto {
  return {
    id: h.id,
    firstName: h.firstName,
    lastName: h.lastName,
    name: `${h.firstName} ${h.lastName}`,
    fiscalCode: h.fiscalCode,
    email: h.email,
    office: h.office,
    roleDescription: h.roleDescription,
    employmentStatus: h.employmentStatus,
    employmentStatusLabel: EMPLOYMENT_STATUS_LABELS_IT[h.employmentStatus],
    leaverReason: h.leaverReason,
    leftOn: h.leftOn,
    userId: h.userId,
    version: h.version,
    createdAt: h.createdAt.toISOString(),
    updatedAt: h.updatedAt.toISOString(),
  };
}
