import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Permission } from '../auth/access.decorators';
import { OrgAccess } from '../auth/principal';
import { etagOf, expectedVersion } from '../common/http/if-match';
import { AddTechnicianDto, CreateProviderDto, ProviderDto, ProviderPageDto, ProviderQueryDto, UpdateProviderDto } from './dto/provider.dto';
import { ProvidersService } from './providers.service';

@ApiTags('interventions')
@ApiBearerAuth()
@Controller('orgs/:orgId/providers')
export class ProvidersController {
  constructor(private readonly service: ProvidersService) {}

  @Post()
  @HttpCode(201)
  @Permission('provider.write')
  @ApiOperation({ summary: 'Register a maintenance provider with the phone and e-mail you verified, and its named technicians' })
  async create(
    @Access() access: OrgAccess,
    @Body() dto: CreateProviderDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProviderDto> {
    const provider = await this.service.create(access.actor, access.organizationId, dto);
    res.setHeader('ETag', etagOf(provider.version));
    return provider;
  }

  @Get()
  @Permission('provider.read')
  @ApiOperation({ summary: 'Providers and their verified call-back contacts (everyone: the numbers to call back)' })
  list(@Access() access: OrgAccess, @Query() query: ProviderQueryDto): Promise<ProviderPageDto> {
    return this.service.list(access.organizationId, query);
  }

  @Get(':providerId')
  @Permission('provider.read')
  @ApiOperation({ summary: 'One provider with its technicians' })
  async get(
    @Access() access: OrgAccess,
    @Param('providerId', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProviderDto> {
    const provider = await this.service.get(access.organizationId, id);
    res.setHeader('ETag', etagOf(provider.version));
    return provider;
  }

  @Patch(':providerId')
  @Permission('provider.write')
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETag from GET; or send "version" in the body. One of them is required (428).',
  })
  @ApiOperation({ summary: 'Change a provider; a new phone or e-mail needs verificationSource' })
  async update(
    @Access() access: OrgAccess,
    @Param('providerId', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateProviderDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProviderDto> {
    const provider = await this.service.update(access.actor, access.organizationId, id, expectedVersion(ifMatch, dto.version), dto);
    res.setHeader('ETag', etagOf(provider.version));
    return provider;
  }

  @Post(':providerId/technicians')
  @HttpCode(201)
  @Permission('provider.write')
  @ApiOperation({ summary: 'Name a technician of the provider' })
  addTechnician(
    @Access() access: OrgAccess,
    @Param('providerId', ParseUUIDPipe) id: string,
    @Body() dto: AddTechnicianDto,
  ): Promise<ProviderDto> {
    return this.service.addTechnician(access.actor, access.organizationId, id, dto);
  }

  @Post(':providerId/technicians/:technicianId/deactivate')
  @HttpCode(200)
  @Permission('provider.write')
  @ApiOperation({ summary: 'A technician who left the provider: never expected again' })
  deactivateTechnician(
    @Access() access: OrgAccess,
    @Param('providerId', ParseUUIDPipe) id: string,
    @Param('technicianId', ParseUUIDPipe) technicianId: string,
  ): Promise<ProviderDto> {
    return this.service.deactivateTechnician(access.actor, access.organizationId, id, technicianId);
  }
}
