import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { HoldersModule } from '../holders/holders.module';
import { WorkstationsController } from './workstations.controller';
import { WorkstationsRepository } from './workstations.repository';
import { WorkstationsService } from './workstations.service';

@Module({
  imports: [AuditModule, HoldersModule],
  controllers: [WorkstationsController],
  providers: [WorkstationsService, WorkstationsRepository],
  exports: [WorkstationsService],
})
export class WorkstationsModule {}
