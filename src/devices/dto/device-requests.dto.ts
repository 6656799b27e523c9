import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { BodyVersion } from '../../common/http/if-match';
import { PageQueryDto } from '../../common/http/pagination';
import { IsDay } from '../../common/validation/is-day.decorator';
import { CREDENTIAL_SYSTEMS, CredentialSystem, IDENTITY_PROVIDERS, IdentityProvider } from '../entities/device-details.entity';
import {
  CREDENTIAL_STATUSES,
  CredentialStatus,
  DEVICE_KINDS,
  DEVICE_STATUSES,
  DeviceKind,
  DeviceStatus,
  LEAVER_REASONS,
  LIFECYCLE_ACTIONS,
  LifecycleAction,
  SMART_CARD_STATUSES,
  SmartCardStatus,
} from '../lifecycle';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export const DEVICE_SORTS = ['expiresAt', '-expiresAt', 'createdAt', '-createdAt', 'label', '-label'] as const;
export type DeviceSortParam = (typeof DEVICE_SORTS)[number];

export class DeviceQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DEVICE_KINDS }) @IsOptional() @IsIn(DEVICE_KINDS) kind?: DeviceKind;
  @ApiPropertyOptional({ enum: DEVICE_STATUSES }) @IsOptional() @IsIn(DEVICE_STATUSES) status?: DeviceStatus;
  @ApiPropertyOptional({ format: 'uuid', description: 'Held or kept by this holder' }) @IsOptional() @IsUUID() holderId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() workstationId?: string;
  @ApiPropertyOptional({ description: 'Office of the holder, custodian or workstation' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  office?: string;
  @ApiPropertyOptional({ description: 'Search in the label (CN, card serial, account name)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 3650, description: 'Expiring between now and now + N days' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  expiringWithinDays?: number;

  @ApiPropertyOptional({ description: 'true: expiry in the past; false: not expired' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  expired?: boolean;

  @ApiPropertyOptional({ enum: DEVICE_SORTS, default: 'expiresAt', description: 'A leading "-" sorts descending; no expiry sorts last' })
  @IsOptional()
  @IsIn(DEVICE_SORTS)
  sort?: DeviceSortParam;
}

export class EvidenceDto {
  @ApiPropertyOptional({ description: 'Protocol number, ticket, console reference', example: 'Prot. 1234/2026' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
}

export class TransitionDto {
  @ApiProperty({ enum: LIFECYCLE_ACTIONS }) @IsIn(LIFECYCLE_ACTIONS) action: LifecycleAction;
  @ApiPropertyOptional({
    description: 'Required by some actions: a code (revoke, suspend_in_comune, delete) or free text (docs/lifecycle.md)',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ type: EvidenceDto }) @IsOptional() @ValidateNested() @Type(() => EvidenceDto) evidence?: EvidenceDto;
  @ApiPropertyOptional({ format: 'uuid', description: 'install: the workstation (default: the one the certificate is assigned to)' })
  @IsOptional()
  @IsUUID()
  workstationId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'hand_to_holder: the holder (default: the card holder)' })
  @IsOptional()
  @IsUUID()
  holderId?: string;
  @BodyVersion()
  version?: number;
}

export class CreateSmartCardDto {
  @ApiProperty({ example: '1234567890' }) @Transform(trim) @IsString() @Length(1, 64) serialNumber: string;
  @ApiPropertyOptional({ example: 'CNS' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(64) cardType?: string;
  @ApiPropertyOptional({ example: '2' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(32) generation?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() holderId?: string;
  @ApiPropertyOptional({ example: '2029-05-31T22:00:00Z' }) @IsOptional() @IsISO8601({ strict: true }) expiresAt?: string;
  @ApiPropertyOptional({ enum: SMART_CARD_STATUSES, default: 'requested', description: 'To register a card already in use' })
  @IsOptional()
  @IsIn(SMART_CARD_STATUSES)
  initialStatus?: SmartCardStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) notes?: string;
}

/** Deliberately no password, PIN or secret: Custode never stores one. */
export class CreateCredentialDto {
  @ApiProperty({ enum: CREDENTIAL_SYSTEMS }) @IsIn(CREDENTIAL_SYSTEMS) system: CredentialSystem;
  @ApiProperty({ example: 'mrossi' }) @Transform(trim) @IsString() @Length(1, 200) username: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() holderId: string;
  @ApiPropertyOptional({ enum: IDENTITY_PROVIDERS, description: 'digital_identity only' })
  @IsOptional()
  @IsIn(IDENTITY_PROVIDERS)
  identityProvider?: IdentityProvider;
  @ApiPropertyOptional({ example: '2026-01-15' }) @IsOptional() @IsDay() issuedOn?: string;
  @ApiPropertyOptional({ example: '2026-01-15' })
  @IsOptional()
  @IsDay()
  lastRotatedOn?: string;
  @ApiPropertyOptional({ example: 90 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(3650) rotationDays?: number;
  @ApiPropertyOptional({ description: 'When the account expires, if it does' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;
  @ApiPropertyOptional({ enum: CREDENTIAL_STATUSES, default: 'enabled' })
  @IsOptional()
  @IsIn(CREDENTIAL_STATUSES)
  initialStatus?: CredentialStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) notes?: string;
}

export class UpdateDeviceDto {
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(2000) notes?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Smart cards and credentials (a certificate expires at its notAfter)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string | null;
  @ApiPropertyOptional({ description: 'Smart cards' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(64) cardType?: string;
  @ApiPropertyOptional({ description: 'Smart cards' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(32) generation?: string;
  @ApiPropertyOptional({ description: 'Credentials' }) @IsOptional() @Transform(trim) @IsString() @Length(1, 200) username?: string;
  @ApiPropertyOptional({ description: 'Credentials' })
  @IsOptional()
  @IsDay()
  lastRotatedOn?: string;
  @ApiPropertyOptional({ description: 'Credentials' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(3650) rotationDays?: number;
  @BodyVersion()
  version?: number;
}

export class CustodyDto {
  @ApiProperty({ format: 'uuid', description: 'The new holder (smart card, credential) or custodian (certificate)' })
  @IsUUID()
  holderId: string;
  @ApiPropertyOptional({ description: 'Make a handover receipt (verbale di consegna); default true' })
  @IsOptional()
  @IsBoolean()
  receipt?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
  @BodyVersion()
  version?: number;
}

export class SuccessorDto {
  @ApiProperty({ format: 'uuid', description: 'The device that replaces this one' }) @IsUUID() successorId: string;
  @BodyVersion()
  version?: number;
}

export const LEAVER_REASON_CODES = LEAVER_REASONS;

export class LeaverDto {
  @ApiProperty({ enum: LEAVER_REASON_CODES }) @IsIn(LEAVER_REASON_CODES) reason: (typeof LEAVER_REASON_CODES)[number];
  @ApiProperty({ example: '2026-03-31', description: 'Last working day (Europe/Rome)' })
  @IsDay()
  leftOn: string;
  @ApiPropertyOptional({ description: 'Required when reason is "other"' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  note?: string;
  @ApiPropertyOptional({
    default: false,
    description: 'Also record now the steps already done in the console (credential deleted, card suspended or request cancelled)',
  })
  @IsOptional()
  @IsBoolean()
  applyNow?: boolean;
}

export class AcknowledgeDto {
  @ApiPropertyOptional({ example: 'Firmato in originale, protocollo 55/2026' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class ImportCertificateDto {
  @ApiPropertyOptional({ description: 'PKCS#12 password: used in memory only, never stored, logged or echoed' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;
  @ApiPropertyOptional({ description: 'ZIP only: JSON object of entry name -> PKCS#12 password' })
  @IsOptional()
  @IsString()
  @MaxLength(1_000_000)
  passwordMap?: string;
  @ApiPropertyOptional({ enum: ['workstation_certificate', 'server_certificate'], default: 'workstation_certificate' })
  @IsOptional()
  @IsIn(['workstation_certificate', 'server_certificate'])
  kind?: 'workstation_certificate' | 'server_certificate';
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Assign to this workstation; a live certificate already there gets this one as successor',
  })
  @IsOptional()
  @IsUUID()
  workstationId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Custodian (responsabile); default: the workstation custodian' })
  @IsOptional()
  @IsUUID()
  custodianHolderId?: string;
}
