import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, Permission } from '../auth/access.decorators';
import { OrgAccess } from '../auth/principal';
import { AuditService } from './audit.service';
import { AuditPageDto, AuditQueryDto, AuditVerificationDto } from './dto/audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('orgs/:orgId/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Permission('audit.read')
  @ApiOperation({ summary: 'The audit trail of this Comune, newest first' })
  list(@Access() access: OrgAccess, @Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.audit.list(access.organizationId, query);
  }

  @Get('verify')
  @Permission('audit.verify')
  @ApiOperation({ summary: 'Recompute the hash chain and name the first broken row' })
  verify(@Access() access: OrgAccess): Promise<AuditVerificationDto> {
    return this.audit.verify(access.organizationId);
  }
}
