import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { UploadedFileLike } from '../attachments/attachments.service';
import { Access, Permission } from '../auth/access.decorators';
import { OrgAccess } from '../auth/principal';
import { asDownload } from '../common/http/download';
import { AuthorityReportsService } from './authority-reports.service';
import { ContainmentService } from './containment.service';
import { ContainmentProposalDto, ContainmentResultDto, IncidentAttachmentDto, IncidentDto } from './dto/incident.dto';
import { ContainmentRequestDto, DcsdCommunicationDto, EvidenceFieldsDto, PoliceReportDto } from './dto/incident-requests.dto';
import { IncidentEvidenceService } from './incident-evidence.service';

/** Containment, evidence and the reports to the authorities of one incident. */
@ApiTags('incidents')
@ApiBearerAuth()
@Controller('orgs/:orgId/incidents/:incidentId')
export class IncidentActionsController {
  constructor(
    private readonly containment: ContainmentService,
    private readonly evidence: IncidentEvidenceService,
    private readonly reports: AuthorityReportsService,
  ) {}

  @Get('containment')
  @Permission('incident.contain')
  @ApiOperation({ summary: 'What containment would do to the linked devices' })
  proposal(@Access() access: OrgAccess, @Param('incidentId', ParseUUIDPipe) id: string): Promise<ContainmentProposalDto> {
    return this.containment.propose(access, id);
  }

  @Post('containment')
  @HttpCode(200)
  @Permission('incident.contain')
  @ApiOperation({ summary: 'Contain: mark linked devices compromised/lost/stolen, suspend credentials, open revocation tasks' })
  contain(
    @Access() access: OrgAccess,
    @Param('incidentId', ParseUUIDPipe) id: string,
    @Body() dto: ContainmentRequestDto,
  ): Promise<ContainmentResultDto> {
    return this.containment.contain(access, id, dto);
  }

  @Post('attachments')
  @HttpCode(201)
  @Permission('incident.evidence')
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' }, description: { type: 'string', maxLength: 500 } },
    },
  })
  @ApiOperation({ summary: 'Attach evidence (PDF, PNG, JPEG or text), stored with its SHA-256; reporters on their own reports' })
  addEvidence(
    @Access() access: OrgAccess,
    @Param('incidentId', ParseUUIDPipe) id: string,
    @UploadedFile() file: UploadedFileLike | undefined,
    @Body() fields: EvidenceFieldsDto,
  ): Promise<IncidentAttachmentDto> {
    return this.evidence.add(access, id, file, fields.description);
  }

  @Get('attachments/:attachmentId')
  @Permission('incident.read')
  @ApiOperation({ summary: 'Download an evidence file' })
  async downloadEvidence(
    @Access() access: OrgAccess,
    @Param('incidentId', ParseUUIDPipe) id: string,
    @Param('attachmentId', ParseUUIDPipe) attachmentId: string,
  ): Promise<StreamableFile> {
    return asDownload(await this.evidence.download(access, id, attachmentId));
  }

  @Post('police-report')
  @HttpCode(200)
  @Permission('incident.authorities')
  @ApiOperation({ summary: 'Record the report to the police (office, date, protocol)' })
  police(@Access() access: OrgAccess, @Param('incidentId', ParseUUIDPipe) id: string, @Body() dto: PoliceReportDto): Promise<IncidentDto> {
    return this.reports.recordPolice(access, id, dto);
  }

  @Post('dcsd-communication')
  @HttpCode(200)
  @Permission('incident.authorities')
  @ApiOperation({ summary: 'Record the communication to the DCSD (date, protocol)' })
  dcsd(
    @Access() access: OrgAccess,
    @Param('incidentId', ParseUUIDPipe) id: string,
    @Body() dto: DcsdCommunicationDto,
  ): Promise<IncidentDto> {
    return this.reports.recordDcsd(access, id, dto);
  }

  @Get('dcsd-report')
  @Permission('incident.export')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'The detailed report for the DCSD, a PDF in Italian with everything the incident holds' })
  async dcsdReport(@Access() access: OrgAccess, @Param('incidentId', ParseUUIDPipe) id: string): Promise<StreamableFile> {
    return asDownload(await this.reports.dcsdReport(access, id));
  }
}
