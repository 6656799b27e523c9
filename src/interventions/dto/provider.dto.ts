import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { BodyVersion } from '../../common/http/if-match';
import { PageQueryDto } from '../../common/http/pagination';
import { ProviderEntity, TechnicianEntity } from '../provider.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimAll = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value;
const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** A phone number as people write it: digits, spaces, +, ( ) . / - */
export const PHONE = /^\+?[0-9][0-9 ()./-]{4,38}$/;

export class CreateProviderDto {
  @ApiProperty({ example: 'Alfa Informatica S.r.l.' }) @Transform(trim) @IsString() @Length(1, 200) name: string;

  @ApiPropertyOptional({ type: [String], example: ['Alfa'], description: 'Other names callers may use (brand, former name)' })
  @IsOptional()
  @Transform(trimAll)
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  aliases?: string[];

  @ApiPropertyOptional({ example: 'Contratto di assistenza prot. 1234/2025' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  contractReference?: string;

  @ApiProperty({ example: '+39 02 1234567', description: 'The verified number operators call back' })
  @Transform(trim)
  @Matches(PHONE, { message: 'callbackPhone must be a phone number' })
  callbackPhone: string;

  @ApiProperty({ example: 'assistenza@alfa.example.it', description: 'The verified e-mail address' })
  @Transform(lower)
  @IsEmail()
  @MaxLength(254)
  callbackEmail: string;

  @ApiProperty({
    example: 'Numero e indirizzo letti nel contratto firmato e confermati via PEC',
    description: 'How you verified phone and e-mail',
  })
  @Transform(trim)
  @IsString()
  @Length(3, 500)
  verificationSource: string;

  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(2000) notes?: string;

  @ApiPropertyOptional({ type: [String], example: ['Mario Rossi'], description: 'Technicians the provider named' })
  @IsOptional()
  @Transform(trimAll)
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(3, 200, { each: true })
  technicians?: string[];
}

export class UpdateProviderDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 200) name?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @Transform(trimAll)
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  aliases?: string[];

  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @Transform(trim) @IsString() @MaxLength(200) contractReference?:
    string | null;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @Matches(PHONE, { message: 'callbackPhone must be a phone number' })
  callbackPhone?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(lower) @IsEmail() @MaxLength(254) callbackEmail?: string;

  @ApiPropertyOptional({ description: 'Required when phone or e-mail change: how you verified the new ones' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(3, 500)
  verificationSource?: string;

  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @Transform(trim) @IsString() @MaxLength(2000) notes?: string | null;
  @ApiPropertyOptional({ description: 'false: the provider no longer matches any caller' }) @IsOptional() @IsBoolean() active?: boolean;

  @BodyVersion()
  version?: number;
}

export class AddTechnicianDto {
  @ApiProperty({ example: 'Mario Rossi' }) @Transform(trim) @IsString() @Length(3, 200) fullName: string;
}

export class ProviderQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'true: only active providers' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

export class TechnicianDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() fullName: string;
  @ApiProperty() active: boolean;
}

export class ProviderVerificationDto {
  @ApiProperty() source: string;
  @ApiProperty() verifiedBy: string;
  @ApiProperty() verifiedAt: string;
}

export class ProviderDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) aliases: string[];
  @ApiProperty({ nullable: true, type: String }) contractReference: string | null;
  @ApiProperty({ description: 'The verified number to call back' }) callbackPhone: string;
  @ApiProperty() callbackEmail: string;
  @ApiProperty({ type: ProviderVerificationDto }) verification: ProviderVerificationDto;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: [TechnicianDto] }) technicians: TechnicianDto[];
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class ProviderPageDto {
  @ApiProperty({ type: [ProviderDto] }) items: ProviderDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export function mapTechnician(t: TechnicianEntity): TechnicianDto {
  return { id: t.id, fullName: t.fullName, active: t.active };
}

export function mapProvider(p: ProviderEntity, technicians: TechnicianEntity[]): ProviderDto {
  return {
    id: p.id,
    name: p.name,
    aliases: p.aliases,
    contractReference: p.contractReference,
    callbackPhone: p.callbackPhone,
    callbackEmail: p.callbackEmail,
    verification: { source: p.verificationSource, verifiedBy: p.verifiedBy, verifiedAt: p.verifiedAt.toISOString() },
    notes: p.notes,
    active: p.active,
    technicians: technicians.filter((t) => t.providerId === p.id).map(mapTechnician),
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
