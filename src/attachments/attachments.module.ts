import { DynamicModule, Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AuditModule } from '../audit/audit.module';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';

/**
 * Stored evidence files. A feature with an upload route imports `AttachmentsModule.uploads()`: its
 * `FileInterceptor('file')` then buffers one file in memory, refused (413) above
 * `http.uploadLimitBytes`, and only after the guard has let the caller in.
 */
@Module({
  imports: [AuditModule],
  providers: [AttachmentsService, AttachmentsRepository],
  exports: [AttachmentsService],
})
export class AttachmentsModule {
  static uploads(): DynamicModule {
    return MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // No storage and no dest: multer keeps the file in memory (file.buffer).
        limits: { fileSize: config.http.uploadLimitBytes, files: 1, fields: 20, parts: 25 },
      }),
    });
  }
}
