import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { HoldersModule } from '../holders/holders.module';
import { TasksController } from './tasks.controller';
import { TasksRepository } from './tasks.repository';
import { TasksService } from './tasks.service';

@Module({
  imports: [AuditModule, HoldersModule],
  controllers: [TasksController],
  providers: [TasksService, TasksRepository],
  exports: [TasksService],
})
export class TasksModule {}
