import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIP, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { BodyVersion } from '../../common/http/if-match';
import { PageQueryDto } from '../../common/http/pagination';
import { WORKSTATION_KINDS, WORKSTATION_STATUSES, WorkstationEntity, WorkstationKind, WorkstationStatus } from '../workstation.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class CreateWorkstationDto {
  @ApiPropertyOptional({ enum: WORKSTATION_KINDS, default: 'workstation' })
  @IsOptional()
  @IsIn(WORKSTATION_KINDS)
  kind?: WorkstationKind;

  @ApiProperty({ example: '015146-PC-1', description: 'Inventory code, unique in the Comune' })
  @Transform(trim)
  @IsString()
  @Length(1, 64)
  code: string;

  @ApiPropertyOptional({ example: 'anagrafe-pc01' })
  @IsOptional()
  @Transform(trim)
  @Matches(HOSTNAME, { message: 'hostname must be a valid host name' })
  hostname?: string;

  @ApiPropertyOptional({ example: '10.0.0.21' })
  @IsOptional()
  @IsIP()
  ipAddress?: string;

  @ApiPropertyOptional({ example: 'Ufficio anagrafe' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  office?: string;

  @ApiPropertyOptional({ example: 'Postazione ANPR sportello 1', description: 'Function (ABSC 1.4)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  function?: string;

  @ApiPropertyOptional({ default: false }) @IsOptional() @Transform(bool) @IsBoolean() isPortable?: boolean;
  @ApiPropertyOptional({ default: false, description: 'Assigned to one person (ABSC 1.4 "personal")' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  isPersonal?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'The holder responsible for the workstation' })
  @IsOptional()
  @IsUUID()
  custodianHolderId?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) notes?: string;
}

export class UpdateWorkstationDto {
  @ApiPropertyOptional({ enum: WORKSTATION_KINDS }) @IsOptional() @IsIn(WORKSTATION_KINDS) kind?: WorkstationKind;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 64) code?: string;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @Transform(trim)
  @Matches(HOSTNAME, { message: 'hostname must be a valid host name' })
  hostname?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsIP() ipAddress?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @Transform(trim) @IsString() @MaxLength(200) office?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @Transform(trim) @IsString() @MaxLength(200) function?:
    string | null;
  @ApiPropertyOptional() @IsOptional() @Transform(bool) @IsBoolean() isPortable?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(bool) @IsBoolean() isPersonal?: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) @IsOptional() @IsUUID() custodianHolderId?: string | null;
  @ApiPropertyOptional({ enum: WORKSTATION_STATUSES }) @IsOptional() @IsIn(WORKSTATION_STATUSES) status?: WorkstationStatus;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(2000) notes?: string | null;
  @BodyVersion()
  version?: number;
}

export class WorkstationQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Search in code, hostname, IP address' }) @IsOptional() @IsString() @MaxLength(100) q?: string;
  @ApiPropertyOptional({ enum: WORKSTATION_KINDS }) @IsOptional() @IsIn(WORKSTATION_KINDS) kind?: WorkstationKind;
  @ApiPropertyOptional({ enum: WORKSTATION_STATUSES }) @IsOptional() @IsIn(WORKSTATION_STATUSES) status?: WorkstationStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) office?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() custodianHolderId?: string;
}

export class PersonRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export const WORKSTATION_KIND_LABELS_IT: Record<WorkstationKind, string> = { workstation: 'Postazione', server: 'Server' };
export const WORKSTATION_STATUS_LABELS_IT: Record<WorkstationStatus, string> = { active: 'In uso', dismissed: 'Dismessa' };

export class WorkstationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: WORKSTATION_KINDS }) kind: WorkstationKind;
  @ApiProperty({ example: 'Postazione' }) kindLabel: string;
  @ApiProperty() code: string;
  @ApiProperty({ nullable: true, type: String }) hostname: string | null;
  @ApiProperty({ nullable: true, type: String }) ipAddress: string | null;
  @ApiProperty({ nullable: true, type: String }) office: string | null;
  @ApiProperty({ nullable: true, type: String }) function: string | null;
  @ApiProperty() isPortable: boolean;
  @ApiProperty() isPersonal: boolean;
  @ApiProperty({ nullable: true, type: PersonRefDto }) custodian: PersonRefDto | null;
  @ApiProperty({ enum: WORKSTATION_STATUSES }) status: WorkstationStatus;
  @ApiProperty() statusLabel: string;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class WorkstationPageDto {
  @ApiProperty({ type: [WorkstationDto] }) items: WorkstationDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export function mapWorkstation(w: WorkstationEntity, custodianName: string | null): WorkstationDto {
  return {
    id: w.id,
    kind: w.kind,
    kindLabel: WORKSTATION_KIND_LABELS_IT[w.kind],
    code: w.code,
    hostname: w.hostname,
    ipAddress: w.ipAddress,
    office: w.office,
    function: w.function,
    isPortable: w.isPortable,
    isPersonal: w.isPersonal,
    custodian: w.custodianHolderId ? { id: w.custodianHolderId, name: custodianName ?? '' } : null,
    status: w.status,
    statusLabel: WORKSTATION_STATUS_LABELS_IT[w.status],
    notes: w.notes,
    version: w.version,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}
