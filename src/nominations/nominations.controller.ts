import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { UploadedFileLike } from '../attachments/attachments.service';
import { Access, Permission } from '../auth/access.decorators';
import { OrgAccess } from '../auth/principal';
import { CoverageService } from './coverage.service';
import { CoverageDto, CoverageQueryDto } from './dto/coverage.dto';
import {
  ActivateNominationDto,
  CreateNominationDto,
  ExportQueryDto,
  NominationDto,
  NominationPageDto,
  NominationQueryDto,
  RevokeNominationDto,
  SignNominationDto,
} from './dto/nomination.dto';
import { asDownload } from '../common/http/download';
import { NominationsQueryService } from './nominations-query.service';
import { NominationsService } from './nominations.service';
import { RegisterService } from './register.service';

@ApiTags('nominations')
@ApiBearerAuth()
@Controller('orgs/:orgId/nominations')
export class NominationsController {
  constructor(
    private readonly nominations: NominationsService,
    private readonly queries: NominationsQueryService,
    private readonly coverage: CoverageService,
    private readonly register: RegisterService,
  ) {}

  @Post()
  @HttpCode(201)
  @Permission('nomination.create')
  @ApiOperation({ summary: "Record a nomination as a draft (Mayor's office)" })
  create(@Access() access: OrgAccess, @Body() dto: CreateNominationDto): Promise<NominationDto> {
    return this.nominations.create(access, dto);
  }

  @Get()
  @Permission('nomination.read')
  @ApiOperation({ summary: 'Nominations, current and past, newest act first; filter by role, status, holder' })
  list(@Access() access: OrgAccess, @Query() query: NominationQueryDto): Promise<NominationPageDto> {
    return this.queries.list(access.organizationId, query);
  }

  @Get('coverage')
  @Permission('nomination.read')
  @ApiOperation({ summary: 'What is missing: vacant roles, too few ALS, leavers, cards, custodians, expiries' })
  checkCoverage(@Access() access: OrgAccess, @Query() query: CoverageQueryDto): Promise<CoverageDto> {
    return this.coverage.check(access.organizationId, query.windowDays);
  }

  @Get('export')
  @Permission('nomination.export')
  @ApiProduces('application/pdf', 'text/csv')
  @ApiOperation({ summary: 'The register of nominations: PDF in Italian (default) or CSV' })
  async export(@Access() access: OrgAccess, @Query() query: ExportQueryDto): Promise<StreamableFile> {
    return asDownload(await this.register.export(access, query.format ?? 'pdf'));
  }

  @Get(':id')
  @Permission('nomination.read')
  @ApiOperation({ summary: "One nomination, with its act's download path" })
  get(@Access() access: OrgAccess, @Param('id', ParseUUIDPipe) id: string): Promise<NominationDto> {
    return this.queries.get(access.organizationId, id);
  }

  @Get(':id/act')
  @Permission('nomination.read')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'Download the signed act (PDF)' })
  async downloadAct(@Access() access: OrgAccess, @Param('id', ParseUUIDPipe) id: string): Promise<StreamableFile> {
    return asDownload(await this.queries.act(access.organizationId, id));
  }

  @Post(':id/act')
  @HttpCode(201)
  @Permission('nomination.attach_act')
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: 'Attach the signed act: a PDF, checked by content, within the upload size limit' })
  attachAct(
    @Access() access: OrgAccess,
    @Param('id', ParseUUIDPipe) id: string,
    @UploadedFile() file: UploadedFileLike | undefined,
  ): Promise<NominationDto> {
    return this.nominations.attachAct(access, id, file);
  }

  @Post(':id/sign')
  @HttpCode(200)
  @Permission('nomination.sign')
  @ApiOperation({ summary: 'Record that the act was signed (draft -> signed); the act must be attached' })
  sign(@Access() access: OrgAccess, @Param('id', ParseUUIDPipe) id: string, @Body() dto: SignNominationDto): Promise<NominationDto> {
    return this.nominations.sign(access, id, dto);
  }

  @Post(':id/activate')
  @HttpCode(200)
  @Permission('nomination.activate')
  @ApiOperation({ summary: 'Registered in the ANPR console (signed -> active); supersedes the ALS/ALP in force' })
  activate(
    @Access() access: OrgAccess,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ActivateNominationDto,
  ): Promise<NominationDto> {
    return this.nominations.activate(access, id, dto);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Permission('nomination.revoke')
  @ApiOperation({ summary: 'Revoke (or withdraw a draft/signed act), with the reason' })
  revoke(@Access() access: OrgAccess, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RevokeNominationDto): Promise<NominationDto> {
    return this.nominations.revoke(access, id, dto);
  }
}
