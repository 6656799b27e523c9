import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { WorkstationsModule } from '../workstations/workstations.module';
import { CallerCheckService } from './caller-check.service';
import { interventionClockProvider } from './intervention-clock';
import { InterventionViews } from './intervention-views';
import { CallerChecksController, InterventionsController } from './interventions.controller';
import { InterventionsRepository } from './interventions.repository';
import { InterventionsService } from './interventions.service';
import { ProvidersController } from './providers.controller';
import { ProvidersService } from './providers.service';

/** Maintenance providers, interventions agreed in advance and the caller check (issue 7). */
@Module({
  imports: [AuditModule, WorkstationsModule],
  controllers: [ProvidersController, InterventionsController, CallerChecksController],
  providers: [
    InterventionsRepository,
    ProvidersService,
    InterventionsService,
    InterventionViews,
    CallerCheckService,
    interventionClockProvider,
  ],
  exports: [CallerCheckService],
})
export class InterventionsModule {}
