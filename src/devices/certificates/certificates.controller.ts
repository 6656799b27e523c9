import { Body, Controller, HttpCode, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, Permission } from '../../auth/access.decorators';
import { OrgAccess } from '../../auth/principal';
import { DomainError } from '../../common/errors/domain-error';
import { ImportCertificateDto } from '../dto/device-requests.dto';
import { CertificateImportService, ImportResultDto } from './certificate-import.service';
import { UploadLimitInterceptor } from './upload-limit.interceptor';

function parsePasswordMap(raw: string | undefined): Record<string, string> | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let map: unknown;
  try {
    map = JSON.parse(raw);
  } catch {
    map = null;
  }
  if (typeof map !== 'object' || map === null || Array.isArray(map) || !Object.values(map).every((v) => typeof v === 'string')) {
    // Never quote the value: it holds passwords.
    throw new DomainError('VALIDATION_FAILED', 'passwordMap must be a JSON object of file name -> password', {
      errors: [{ field: 'passwordMap', messages: ['passwordMap must be a JSON object of strings'] }],
    });
  }
  return map as Record<string, string>;
}

@ApiTags('certificates')
@ApiBearerAuth()
@Controller('orgs/:orgId/certificates')
export class CertificatesController {
  constructor(private readonly service: CertificateImportService) {}

  @Post('import')
  @HttpCode(201)
  @Permission('certificate.import')
  @UseInterceptors(UploadLimitInterceptor, FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'PEM (one or a bundle), DER, PKCS#12 (.p12/.pfx) or a ZIP of them' },
        password: { type: 'string', description: 'PKCS#12 password (never stored, logged or echoed)' },
        passwordMap: { type: 'string', description: 'ZIP only: JSON object of entry name -> password' },
        kind: { type: 'string', enum: ['workstation_certificate', 'server_certificate'] },
        workstationId: { type: 'string', format: 'uuid' },
        custodianHolderId: { type: 'string', format: 'uuid' },
      },
    },
  })
  @ApiOperation({
    summary:
      'Import workstation or server certificates: 201 {imported, certificates, devices (up to 50 in full), warnings, errors, duplicates}, 409 duplicate, 422 bad file',
  })
  import(
    @Access() access: OrgAccess,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() dto: ImportCertificateDto,
  ): Promise<ImportResultDto> {
    if (!file) throw new DomainError('CERTIFICATE_FILE_REQUIRED', 'Send the certificate as the multipart field "file"');
    return this.service.import({
      organizationId: access.organizationId,
      actor: access.actor,
      role: access.role,
      data: file.buffer,
      fileName: file.originalname,
      password: dto.password,
      passwordMap: parsePasswordMap(dto.passwordMap),
      kind: dto.kind ?? 'workstation_certificate',
      workstationId: dto.workstationId,
      custodianHolderId: dto.custodianHolderId,
    });
  }
}
