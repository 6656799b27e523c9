import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Permission } from '../auth/access.decorators';
import { OrgAccess } from '../auth/principal';
import { etagOf, expectedVersion } from '../common/http/if-match';
import { CreateWorkstationDto, UpdateWorkstationDto, WorkstationDto, WorkstationPageDto, WorkstationQueryDto } from './dto/workstation.dto';
import { WorkstationsService } from './workstations.service';

@ApiTags('workstations')
@ApiBearerAuth()
@Controller('orgs/:orgId/workstations')
export class WorkstationsController {
  constructor(private readonly service: WorkstationsService) {}

  @Post()
  @HttpCode(201)
  @Permission('workstation.write')
  @ApiOperation({ summary: 'Register a workstation or server (AgID ABSC 1.4 fields)' })
  async create(
    @Access() access: OrgAccess,
    @Body() dto: CreateWorkstationDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WorkstationDto> {
    const w = await this.service.create(access.actor, access.organizationId, dto);
    res.setHeader('ETag', etagOf(w.version));
    return w;
  }

  @Get()
  @Permission('workstation.read')
  @ApiOperation({ summary: 'List and search workstations and servers' })
  list(@Access() access: OrgAccess, @Query() query: WorkstationQueryDto): Promise<WorkstationPageDto> {
    return this.service.list(access.organizationId, query);
  }

  @Get(':workstationId')
  @Permission('workstation.read')
  @ApiOperation({ summary: 'Read a workstation (ETag carries the version)' })
  async get(
    @Access() access: OrgAccess,
    @Param('workstationId', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WorkstationDto> {
    const w = await this.service.get(access.organizationId, id);
    res.setHeader('ETag', etagOf(w.version));
    return w;
  }

  @Patch(':workstationId')
  @Permission('workstation.write')
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from GET; or "version" in the body. One of them is required (428).' })
  @ApiOperation({ summary: 'Change a workstation; status "dismissed" retires it' })
  async update(
    @Access() access: OrgAccess,
    @Param('workstationId', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateWorkstationDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WorkstationDto> {
    const w = await this.service.update(access.actor, access.organizationId, id, expectedVersion(ifMatch, dto.version), dto);
    res.setHeader('ETag', etagOf(w.version));
    return w;
  }
}
