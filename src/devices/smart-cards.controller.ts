import { Controller, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, Permission } from '../auth/access.decorators';
import { OrgAccess } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { expectedVersion } from '../common/http/if-match';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { UploadLimitInterceptor } from './certificates/upload-limit.interceptor';
import { CertificateParseError, ParsedCertificate, parseCertificateUpload } from './certificates/x509';
import { CardCertificateResultDto, DevicesService } from './devices.service';

@ApiTags('devices')
@ApiBearerAuth()
@Controller('orgs/:orgId/smart-cards')
export class SmartCardsController {
  constructor(
    private readonly devices: DevicesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post(':id/certificate')
  @HttpCode(200)
  @Permission('device.update')
  @UseInterceptors(UploadLimitInterceptor, FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag (version) of the smart card you read' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', description: "The card's certificate, PEM or DER" } },
    },
  })
  @ApiOperation({ summary: "Record a smart card's certificate and match the card to its holder by the codice fiscale it carries" })
  async attachCertificate(
    @Access() access: OrgAccess,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @UploadedFile() file: Express.Multer.File | undefined,
  ): Promise<CardCertificateResultDto> {
    const expected = expectedVersion(ifMatch);
    if (!file) throw new DomainError('CERTIFICATE_FILE_REQUIRED', 'Send the certificate as the multipart field "file"');
    return this.devices.attachCardCertificate(access, id, expected, await this.leafOf(file));
  }

  private async leafOf(file: Express.Multer.File): Promise<ParsedCertificate> {
    try {
      const { bundles } = await parseCertificateUpload(
        { data: file.buffer, fileName: file.originalname },
        { maxFileBytes: this.config.http.uploadLimitBytes },
      );
      const leaf = bundles.length === 1 ? bundles[0]?.leaf : undefined;
      if (!leaf) throw new DomainError('UNPROCESSABLE', 'Send exactly one certificate: the one read from the card');
      return leaf;
    } catch (error) {
      if (error instanceof CertificateParseError) throw new DomainError(error.code, error.message);
      throw error;
    }
  }
}
