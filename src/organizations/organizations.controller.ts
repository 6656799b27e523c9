import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal, Permission } from '../auth/access.decorators';
import { actorOf, OrgAccess, Principal } from '../auth/principal';
import { PageQueryDto } from '../common/http/pagination';
import { CreateOrganizationDto, OrganizationDto, OrganizationPageDto, UpdateOrganizationDto } from './dto/organization.dto';
import { OrganizationsService } from './organizations.service';

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('orgs')
export class OrganizationsController {
  constructor(private readonly service: OrganizationsService) {}

  @Post()
  @HttpCode(201)
  @Permission('org.create')
  @ApiOperation({ summary: 'Create a Comune (platform administrator)' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateOrganizationDto): Promise<OrganizationDto> {
    return this.service.create(actorOf(principal), dto);
  }

  @Get()
  @Permission('auth.self')
  @ApiOperation({ summary: 'List the Comuni you belong to (all of them for the platform administrator)' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: PageQueryDto): Promise<OrganizationPageDto> {
    const userId = principal.kind === 'user' ? principal.userId : null;
    return this.service.list({ userId, all: principal.kind === 'user' && principal.isSuperadmin }, query);
  }

  @Get(':orgId')
  @Permission('org.read')
  @ApiOperation({ summary: 'Read a Comune and its settings' })
  get(@Access() access: OrgAccess, @Param('orgId') _orgId: string): Promise<OrganizationDto> {
    return this.service.get(access.organizationId);
  }

  @Patch(':orgId')
  @Permission('org.update')
  @ApiOperation({ summary: 'Change the name, province or settings of a Comune' })
  update(@Access() access: OrgAccess, @Param('orgId') _orgId: string, @Body() dto: UpdateOrganizationDto): Promise<OrganizationDto> {
    return this.service.update(access.actor, access.organizationId, dto);
  }
}
