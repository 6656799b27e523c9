import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { COVERAGE_CODES, CoverageCode, CoverageSeverity, SEVERITIES } from '../coverage-checks';

export class CoverageQueryDto {
  @ApiPropertyOptional({ description: 'Days ahead in which an expiring nomination is reported', default: 90, minimum: 1, maximum: 366 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(366)
  windowDays?: number;
}

export class CoverageCheckDto {
  @ApiProperty({ enum: COVERAGE_CODES }) code: CoverageCode;
  @ApiProperty({ enum: SEVERITIES }) severity: CoverageSeverity;
  @ApiProperty({ description: 'Italian, for the Mayor’s office' }) message: string;
  @ApiPropertyOptional({ format: 'uuid' }) nominationId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) holderId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) deviceId?: string;
}

export class CoverageDto {
  @ApiProperty({ type: [CoverageCheckDto], description: 'Empty when nothing is missing' }) checks: CoverageCheckDto[];
  @ApiProperty({ description: "Day the checks were computed for ('YYYY-MM-DD', Europe/Rome)" }) asOf: string;
  @ApiProperty() windowDays: number;
}
