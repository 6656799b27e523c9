import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from './audit/audit.module';
import { AuthModule, accessGuardProvider } from './auth/auth.module';
import { loggerParams } from './common/logging';
import { ProblemFilter } from './common/http/problem.filter';
import { createValidationPipe } from './common/http/validation.pipe';
import { ConfigModule } from './config/config.module';
import { AppConfig } from './config/configuration';
import { DatabaseModule } from './database/database.module';
import { DevicesModule } from './devices/devices.module';
import { HealthModule } from './health/health.module';
import { NominationsModule } from './nominations/nominations.module';
import { HoldersModule } from './holders/holders.module';
import { IncidentsModule } from './incidents/incidents.module';
import { InterventionsModule } from './interventions/interventions.module';
import { OrganizationsModule } from './organizations/organizations.module';
import { QueueModule } from './queue/queue.module';
import { RemindersModule } from './reminders/reminders.module';
import { MetricsModule } from './metrics/metrics.module';
import { QueueDashboardModule } from './reminders/dashboard/queue-dashboard.module';
import { TasksModule } from './tasks/tasks.module';
import { WorkersModule } from './queue/workers.module';
import { WorkstationsModule } from './workstations/workstations.module';

export interface AppModuleOptions {
  config: AppConfig;
  /** Run the queue processors in this process (the worker, or the API with WORKERS=inline). */
  workers: boolean;
}

/**
 * The whole application. Global pipe, filter and guard are providers here, so a test that
 * imports AppModule is validated, guarded and answers errors exactly like production.
 */
@Module({})
export class AppModule {
  static register({ config, workers }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config)),
        DatabaseModule,
        QueueModule,
        AuditModule,
        AuthModule,
        OrganizationsModule,
        NominationsModule,
        HoldersModule,
        WorkstationsModule,
        TasksModule,
        DevicesModule,
        HealthModule,
        RemindersModule,
        InterventionsModule,
        IncidentsModule,
        MetricsModule,
        QueueDashboardModule,
        ...(workers ? [WorkersModule] : []),
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemFilter },
        accessGuardProvider,
      ],
    };
  }
}
