import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { HoldersModule } from '../holders/holders.module';
import { TasksController } from './tasks.controller';
import { TasksRepository } from './tasks.repository';
import { TasksService } from './tasks.service';
import { TasksWorkflowModule } from './tasks-workflow.module';

@Module({
  imports: [AuditModule, HoldersModule, TasksWorkflowModule],
  controllers: [TasksController],
  providers: [TasksService, TasksRepository],
  exports: [TasksService],
})
export class TasksModule {}
