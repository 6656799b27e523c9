import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Permission } from '../auth/access.decorators';
import { OrgAccess } from '../auth/principal';
import { etagOf, expectedVersion } from '../common/http/if-match';
import { IncidentDto, IncidentPageDto, QuickReportResultDto } from './dto/incident.dto';
import {
  CreateIncidentDto,
  IncidentQueryDto,
  IncidentTransitionDto,
  LinksDto,
  NoteDto,
  QuickReportDto,
  UpdateIncidentDto,
} from './dto/incident-requests.dto';
import { IncidentQueriesService } from './incident-queries.service';
import { IncidentTransitionsService } from './incident-transitions.service';
import { IncidentsService } from './incidents.service';
import { QuickReportService } from './quick-report.service';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('orgs/:orgId/incidents')
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly quick: QuickReportService,
    private readonly queries: IncidentQueriesService,
    private readonly transitions: IncidentTransitionsService,
  ) {}

  @Post('quick-report')
  @HttpCode(201)
  @Permission('incident.report')
  @ApiOperation({ summary: 'Report a suspicious call (any member): opens an incident and alerts the ALS at once' })
  quickReport(@Access() access: OrgAccess, @Body() dto: QuickReportDto): Promise<QuickReportResultDto> {
    return this.quick.report(access, dto);
  }

  @Post()
  @HttpCode(201)
  @Permission('incident.create')
  @ApiOperation({ summary: 'Record an incident (lost or stolen device, exported certificate, ...)' })
  create(@Access() access: OrgAccess, @Body() dto: CreateIncidentDto): Promise<IncidentDto> {
    return this.incidents.create(access, dto);
  }

  @Get()
  @Permission('incident.read')
  @ApiOperation({ summary: 'The incident register, newest first (operators: the incidents they reported)' })
  list(@Access() access: OrgAccess, @Query() query: IncidentQueryDto): Promise<IncidentPageDto> {
    return this.queries.list(access, query);
  }

  @Get(':incidentId')
  @Permission('incident.read')
  @ApiOperation({ summary: 'One incident with links, evidence, reports, GDPR clock and timeline' })
  async get(
    @Access() access: OrgAccess,
    @Param('incidentId', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IncidentDto> {
    const incident = await this.queries.get(access, id);
    res.setHeader('ETag', etagOf(incident.version));
    return incident;
  }

  @Patch(':incidentId')
  @Permission('incident.update')
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETag from GET; or send "version" in the body. One of them is required (428).',
  })
  @ApiOperation({ summary: 'Correct type, title, description or times' })
  update(
    @Access() access: OrgAccess,
    @Param('incidentId', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateIncidentDto,
  ): Promise<IncidentDto> {
    return this.incidents.update(access, id, expectedVersion(ifMatch, dto.version), dto);
  }

  @Post(':incidentId/links')
  @HttpCode(200)
  @Permission('incident.update')
  @ApiOperation({ summary: 'Link devices, people and workstations involved' })
  link(@Access() access: OrgAccess, @Param('incidentId', ParseUUIDPipe) id: string, @Body() dto: LinksDto): Promise<IncidentDto> {
    return this.incidents.link(access, id, dto);
  }

  @Post(':incidentId/notes')
  @HttpCode(200)
  @Permission('incident.update')
  @ApiOperation({ summary: 'Add an action or a remark to the timeline' })
  addNote(@Access() access: OrgAccess, @Param('incidentId', ParseUUIDPipe) id: string, @Body() dto: NoteDto): Promise<IncidentDto> {
    return this.incidents.addNote(access, id, dto);
  }

  @Post(':incidentId/transitions')
  @HttpCode(200)
  @Permission('incident.update')
  @ApiOperation({ summary: 'open -> contained -> reported (police and DCSD recorded) -> closed (breach assessed)' })
  transition(
    @Access() access: OrgAccess,
    @Param('incidentId', ParseUUIDPipe) id: string,
    @Body() dto: IncidentTransitionDto,
  ): Promise<IncidentDto> {
    return this.transitions.apply(access, id, dto);
  }
}
