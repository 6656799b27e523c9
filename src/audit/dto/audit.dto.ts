import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'device' })
  @IsOptional()
  @Matches(/^[a-z_]{1,64}$/)
  entity?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityId?: string;

  @ApiPropertyOptional({ example: 'member.added' })
  @IsOptional()
  @Matches(/^[a-z_.]{1,64}$/)
  action?: string;
}

export class AuditActorDto {
  @ApiProperty({ enum: ['user', 'api_token', 'job', 'system'] }) type: string;
  @ApiProperty({ nullable: true, type: String }) id: string | null;
  @ApiProperty() label: string;
}

export class AuditEventDto {
  @ApiProperty() seq: number;
  @ApiProperty() at: string;
  @ApiProperty({ type: AuditActorDto }) actor: AuditActorDto;
  @ApiProperty() action: string;
  @ApiProperty() entity: string;
  @ApiProperty({ nullable: true, type: String }) entityId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: unknown;
  @ApiProperty() hash: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEventDto] }) items: AuditEventDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class AuditVerificationDto {
  @ApiProperty() valid: boolean;
  @ApiProperty({ description: 'Rows checked' }) checked: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Sequence number of the first broken row' }) firstBrokenSeq: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Hash of the last row when the chain is valid' }) headHash: string | null;
}
