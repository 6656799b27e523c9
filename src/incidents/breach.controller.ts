import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Access, Permission } from '../auth/access.decorators';
import { OrgAccess } from '../auth/principal';
import { asDownload } from '../common/http/download';
import { expectedVersion } from '../common/http/if-match';
import { PageQueryDto } from '../common/http/pagination';
import { BreachRegisterService } from './breach-register.service';
import { BreachService } from './breach.service';
import {
  BreachAssessmentDto,
  BreachDto,
  BreachRegisterPageDto,
  DataSubjectsDto,
  FlagBreachDto,
  GaranteNotificationDto,
  UpdateBreachDto,
} from './dto/breach.dto';

/** The GDPR side of incidents (ALS and DPO) and the art. 33(5) breach register. */
@ApiTags('incidents')
@ApiBearerAuth()
@Controller('orgs/:orgId')
export class BreachController {
  constructor(
    private readonly breaches: BreachService,
    private readonly register: BreachRegisterService,
  ) {}

  @Post('incidents/:incidentId/breach')
  @HttpCode(201)
  @Permission('breach.manage')
  @ApiOperation({ summary: 'Flag a possible personal-data breach: 72-hour clock, reminders at 24/48/66 h, register entry' })
  flag(@Access() access: OrgAccess, @Param('incidentId', ParseUUIDPipe) id: string, @Body() dto: FlagBreachDto): Promise<BreachDto> {
    return this.breaches.flag(access, id, dto);
  }

  @Patch('incidents/:incidentId/breach')
  @Permission('breach.manage')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The breach record version; or "version" in the body (428 without either)' })
  @ApiOperation({ summary: 'Complete the facts (nature, categories, numbers, consequences, measures) or correct awareness' })
  update(
    @Access() access: OrgAccess,
    @Param('incidentId', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateBreachDto,
  ): Promise<BreachDto> {
    return this.breaches.update(access, id, expectedVersion(ifMatch, dto.version), dto);
  }

  @Post('incidents/:incidentId/breach/assessment')
  @HttpCode(200)
  @Permission('breach.manage')
  @ApiOperation({ summary: 'Record the assessment (notify or not, with reasons): the GDPR reminders stop' })
  assess(
    @Access() access: OrgAccess,
    @Param('incidentId', ParseUUIDPipe) id: string,
    @Body() dto: BreachAssessmentDto,
  ): Promise<BreachDto> {
    return this.breaches.assess(access, id, dto);
  }

  @Post('incidents/:incidentId/breach/garante-notification')
  @HttpCode(200)
  @Permission('breach.manage')
  @ApiOperation({ summary: 'Record the preliminary or complete notification to the Garante (date, reference)' })
  notifyGarante(
    @Access() access: OrgAccess,
    @Param('incidentId', ParseUUIDPipe) id: string,
    @Body() dto: GaranteNotificationDto,
  ): Promise<BreachDto> {
    return this.breaches.notifyGarante(access, id, dto);
  }

  @Post('incidents/:incidentId/breach/data-subjects')
  @HttpCode(200)
  @Permission('breach.manage')
  @ApiOperation({ summary: 'Record whether the people concerned were informed (art. 34) or the exemption' })
  dataSubjects(
    @Access() access: OrgAccess,
    @Param('incidentId', ParseUUIDPipe) id: string,
    @Body() dto: DataSubjectsDto,
  ): Promise<BreachDto> {
    return this.breaches.dataSubjects(access, id, dto);
  }

  @Get('breach-register')
  @Permission('breach.read')
  @ApiOperation({ summary: 'The art. 33(5) register: every possible breach, notified or not' })
  list(@Access() access: OrgAccess, @Query() query: PageQueryDto): Promise<BreachRegisterPageDto> {
    return this.register.list(access.organizationId, query);
  }

  @Get('breach-register/export.csv')
  @Permission('breach.read')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The register as CSV (Italian headers)' })
  async export(@Access() access: OrgAccess): Promise<StreamableFile> {
    return asDownload(await this.register.exportCsv(access));
  }
}
