import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Access, Permission } from '../auth/access.decorators';
import { OrgAccess } from '../auth/principal';
import { CallerCheckThrottleGuard } from './caller-check-throttle.guard';
import { CallerCheckService } from './caller-check.service';
import { CallerCheckPageDto, CallerCheckQueryDto, CallerCheckRequestDto, CallerCheckResultDto } from './dto/caller-check.dto';
import {
  CancelInterventionDto,
  CreateInterventionDto,
  InterventionDto,
  InterventionPageDto,
  InterventionQueryDto,
  IssuedInterventionDto,
} from './dto/intervention.dto';
import { InterventionsService } from './interventions.service';

@ApiTags('interventions')
@ApiBearerAuth()
@Controller('orgs/:orgId/interventions')
export class InterventionsController {
  constructor(private readonly service: InterventionsService) {}

  @Post()
  @HttpCode(201)
  @Permission('intervention.write')
  @ApiOperation({ summary: 'Record an intervention agreed in advance; the answer shows its verification phrase, once' })
  create(@Access() access: OrgAccess, @Body() dto: CreateInterventionDto): Promise<IssuedInterventionDto> {
    return this.service.create(access.actor, access.organizationId, dto);
  }

  @Get()
  @Permission('intervention.read')
  @ApiOperation({ summary: 'Interventions, latest window first' })
  list(@Access() access: OrgAccess, @Query() query: InterventionQueryDto): Promise<InterventionPageDto> {
    return this.service.list(access.organizationId, query);
  }

  @Get(':interventionId')
  @Permission('intervention.read')
  @ApiOperation({ summary: 'One intervention (never its phrase)' })
  get(@Access() access: OrgAccess, @Param('interventionId', ParseUUIDPipe) id: string): Promise<InterventionDto> {
    return this.service.get(access.organizationId, id);
  }

  @Post(':interventionId/phrase')
  @HttpCode(200)
  @Permission('intervention.write')
  @ApiOperation({ summary: 'Issue a new verification phrase (the old one stops working); shown once' })
  reissuePhrase(@Access() access: OrgAccess, @Param('interventionId', ParseUUIDPipe) id: string): Promise<IssuedInterventionDto> {
    return this.service.reissuePhrase(access.actor, access.organizationId, id);
  }

  @Post(':interventionId/cancel')
  @HttpCode(200)
  @Permission('intervention.write')
  @ApiOperation({ summary: 'Cancel an intervention: its technicians are no longer expected' })
  cancel(
    @Access() access: OrgAccess,
    @Param('interventionId', ParseUUIDPipe) id: string,
    @Body() dto: CancelInterventionDto,
  ): Promise<InterventionDto> {
    return this.service.cancel(access.actor, access.organizationId, id, dto);
  }
}

@ApiTags('interventions')
@ApiBearerAuth()
@Controller('orgs/:orgId/caller-checks')
export class CallerChecksController {
  constructor(private readonly service: CallerCheckService) {}

  @Post()
  @HttpCode(200)
  @Permission('caller_check.run')
  @UseGuards(CallerCheckThrottleGuard)
  @ApiTooManyRequestsResponse({ description: 'CALLER_CHECK_RATE_LIMITED: too many checks by this member or in this Comune' })
  @ApiOperation({ summary: 'Is this caller expected? Answers expected, not_expected or unverifiable, in Italian; every check is recorded' })
  check(@Access() access: OrgAccess, @Body() dto: CallerCheckRequestDto): Promise<CallerCheckResultDto> {
    return this.service.check(access, dto);
  }

  @Get()
  @Permission('caller_check.read')
  @ApiOperation({ summary: 'The log of caller checks, newest first' })
  list(@Access() access: OrgAccess, @Query() query: CallerCheckQueryDto): Promise<CallerCheckPageDto> {
    return this.service.list(access.organizationId, query);
  }
}
