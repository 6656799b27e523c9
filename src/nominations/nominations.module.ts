import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { AuditModule } from '../audit/audit.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { RemindersModule } from '../reminders/reminders.module';
import { TasksModule } from '../tasks/tasks.module';
import { CoverageService } from './coverage.service';
import { nominationClockProvider } from './nomination-clock';
import { NominationViews } from './nomination-views';
import { NominationsController } from './nominations.controller';
import { NominationsQueryService } from './nominations-query.service';
import { NominationsRepository } from './nominations.repository';
import { NominationsService } from './nominations.service';
import { PrivilegeRemovalTasks } from './privilege-removal-tasks.service';
import { RegisterService } from './register.service';

@Module({
  // RemindersModule one-way: the reminders read nominations, never import this module.
  imports: [AuditModule, AttachmentsModule, AttachmentsModule.uploads(), OrganizationsModule, TasksModule, RemindersModule],
  controllers: [NominationsController],
  providers: [
    NominationsService,
    NominationsQueryService,
    CoverageService,
    RegisterService,
    NominationViews,
    PrivilegeRemovalTasks,
    NominationsRepository,
    nominationClockProvider,
  ],
  exports: [NominationsService, CoverageService],
})
export class NominationsModule {}
