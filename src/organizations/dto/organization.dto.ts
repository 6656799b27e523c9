import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { OrganizationEntity } from '../organization.entity';

export class OrganizationSettingsDto {
  @ApiPropertyOptional({ description: "Patron saint day as 'MM-DD' (a local holiday for reminders)", example: '12-07' })
  @IsOptional()
  @Matches(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'patronSaintDay must be MM-DD' })
  patronSaintDay?: string;

  @ApiPropertyOptional({ description: 'Certified e-mail (PEC) of the Comune' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  pec?: string;

  @ApiPropertyOptional({ description: 'Data protection officer (RPD/DPO) e-mail' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  dpoEmail?: string;

  @ApiPropertyOptional({ description: "Mayor's office e-mail, for escalations" })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  mayorOfficeEmail?: string;
}

export class CreateOrganizationDto {
  @ApiProperty({ description: 'ISTAT code: 6 digits', example: '015146' })
  @Matches(/^\d{6}$/, { message: 'istatCode must be 6 digits' })
  istatCode: string;

  @ApiProperty({ example: 'Comune di Milano' })
  @IsString()
  @Length(2, 200)
  name: string;

  @ApiPropertyOptional({ description: 'Province abbreviation (sigla)', example: 'MI' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/, { message: 'province must be a two-letter abbreviation' })
  province?: string;

  @ApiPropertyOptional({ type: OrganizationSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => OrganizationSettingsDto)
  settings?: OrganizationSettingsDto;
}

export class UpdateOrganizationDto {
  @ApiPropertyOptional({ example: 'Comune di Milano' })
  @IsOptional()
  @IsString()
  @Length(2, 200)
  name?: string;

  @ApiPropertyOptional({ example: 'MI' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/, { message: 'province must be a two-letter abbreviation' })
  province?: string;

  @ApiPropertyOptional({ type: OrganizationSettingsDto, description: 'Replaces the given settings; others are kept' })
  @IsOptional()
  @ValidateNested()
  @Type(() => OrganizationSettingsDto)
  settings?: OrganizationSettingsDto;
}

export class OrganizationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '015146' }) istatCode: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) province: string | null;
  @ApiProperty({ type: OrganizationSettingsDto }) settings: OrganizationSettingsDto;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class OrganizationPageDto {
  @ApiProperty({ type: [OrganizationDto] }) items: OrganizationDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export function mapOrganization(org: OrganizationEntity): OrganizationDto {
  return {
    id: org.id,
    istatCode: org.istatCode,
    name: org.name,
    province: org.province,
    settings: org.settings,
    version: org.version,
    createdAt: org.createdAt.toISOString(),
    updatedAt: org.updatedAt.toISOString(),
  };
}
