import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AuditModule } from '../audit/audit.module';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { HoldersModule } from '../holders/holders.module';
import { RemindersModule } from '../reminders/reminders.module';
import { TasksModule } from '../tasks/tasks.module';
import { WorkstationsModule } from '../workstations/workstations.module';
import { CertificateImportService } from './certificates/certificate-import.service';
import { CertificatesController } from './certificates/certificates.controller';
import { DeviceQueriesService } from './device-queries.service';
import { DeviceViews } from './device-views.service';
import { DevicesController } from './devices.controller';
import { DevicesRepository } from './devices.repository';
import { DevicesService } from './devices.service';
import { SmartCardsController } from './smart-cards.controller';
import { HandoverController } from './handover/handover.controller';
import { HandoverService } from './handover/handover.service';
import { LeaverController } from './leaver.controller';
import { LeaverService } from './leaver.service';
import { DeviceTransitionsService } from './transitions.service';

@Module({
  imports: [
    AuditModule,
    HoldersModule,
    WorkstationsModule,
    TasksModule,
    // Reminders imports no devices module: the sweep's device hook runs in our transactions.
    RemindersModule,
    // Uploads stay in memory (never on disk) and are bounded by UPLOAD_LIMIT_BYTES.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        limits: { fileSize: config.http.uploadLimitBytes, files: 1, fields: 10, fieldSize: 1024 * 1024, parts: 16 },
      }),
    }),
  ],
  controllers: [DevicesController, SmartCardsController, CertificatesController, HandoverController, LeaverController],
  providers: [
    DevicesRepository,
    DeviceViews,
    DeviceQueriesService,
    DevicesService,
    DeviceTransitionsService,
    HandoverService,
    CertificateImportService,
    LeaverService,
  ],
  exports: [CertificateImportService, DeviceQueriesService, DeviceTransitionsService],
})
export class DevicesModule {}
