import { DynamicModule, Module } from '@nestjs/common';
import { AppModule } from '../app.module';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { AppConfig } from '../config/configuration';
import { DevicesModule } from '../devices/devices.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { RemindersModule } from '../reminders/reminders.module';
import { WorkstationsModule } from '../workstations/workstations.module';
import { CliProgram } from './cli-program';
import { CliSession } from './cli-session';
import { CLI_COMMANDS } from './commands';
import { OrganizationRefResolver } from './organization-ref';

/** The admin commands on top of the whole application (no queue processors: WORKERS does not apply). */
@Module({})
export class CliModule {
  static register(config: AppConfig, session: CliSession): DynamicModule {
    return {
      module: CliModule,
      imports: [
        AppModule.register({ config, workers: false }),
        AuditModule,
        AuthModule,
        OrganizationsModule,
        DevicesModule,
        WorkstationsModule,
        RemindersModule,
      ],
      providers: [{ provide: CliSession, useValue: session }, CliProgram, OrganizationRefResolver, ...CLI_COMMANDS],
    };
  }
}
