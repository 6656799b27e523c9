import { Module, OnModuleInit } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { AuditModule } from '../audit/audit.module';
import { DevicesModule } from '../devices/devices.module';
import { HoldersModule } from '../holders/holders.module';
import { InterventionsModule } from '../interventions/interventions.module';
import { ReminderSubjects } from '../reminders/reminder-subjects';
import { RemindersModule } from '../reminders/reminders.module';
import { TasksModule } from '../tasks/tasks.module';
import { WorkstationsModule } from '../workstations/workstations.module';
import { AuthorityReportsService } from './authority-reports.service';
import { BreachController } from './breach.controller';
import { BreachRegisterService } from './breach-register.service';
import { BreachService } from './breach.service';
import { ContainmentService } from './containment.service';
import { IncidentActionsController } from './incident-actions.controller';
import { incidentClockProvider } from './incident-clock';
import { IncidentEvidenceService } from './incident-evidence.service';
import { IncidentNotifier } from './incident-notifier';
import { IncidentQueriesService } from './incident-queries.service';
import { IncidentReminderSubject } from './incident-reminder-subject';
import { IncidentTimeline } from './incident-timeline';
import { IncidentTransitionsService } from './incident-transitions.service';
import { IncidentViews } from './incident-views';
import { IncidentsController } from './incidents.controller';
import { IncidentsRepository } from './incidents.repository';
import { IncidentsService } from './incidents.service';
import { QuickReportService } from './quick-report.service';
import { RemindersIncidentNotifier } from './reminders-incident-notifier';

/** The incident register, the operator's quick report, containment, reports to the authorities, the GDPR clock (issue 7). */
@Module({
  imports: [
    AuditModule,
    AttachmentsModule,
    AttachmentsModule.uploads(),
    DevicesModule,
    HoldersModule,
    WorkstationsModule,
    TasksModule,
    InterventionsModule,
    // One-way: the reminders module never imports this one; it learns about incidents through ReminderSubjects.
    RemindersModule,
  ],
  controllers: [IncidentsController, IncidentActionsController, BreachController],
  providers: [
    IncidentsRepository,
    IncidentViews,
    IncidentTimeline,
    IncidentsService,
    IncidentTransitionsService,
    QuickReportService,
    IncidentQueriesService,
    ContainmentService,
    IncidentEvidenceService,
    AuthorityReportsService,
    BreachService,
    BreachRegisterService,
    incidentClockProvider,
    IncidentReminderSubject,
    { provide: IncidentNotifier, useClass: RemindersIncidentNotifier },
  ],
})
export class IncidentsModule implements OnModuleInit {
  constructor(
    private readonly subjects: ReminderSubjects,
    private readonly incidentSubject: IncidentReminderSubject,
  ) {}

  /** The composer and the worker's safety net ask this module about ledger rows whose subject is an incident. */
  onModuleInit(): void {
    this.subjects.register('incident', {
      compose: (em, row) => this.incidentSubject.compose(em, row),
      obsoleteReason: (em, row) => this.incidentSubject.obsoleteReason(em, row),
    });
  }
}
