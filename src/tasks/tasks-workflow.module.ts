import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { AuditModule } from '../audit/audit.module';
import { QueueModule } from '../queue/queue.module';
import { RemindersModule } from '../reminders/reminders.module';
import { TasksWorkflowController } from './tasks-workflow.controller';
import { TasksWorkflowRepository } from './tasks-workflow.repository';
import { TasksWorkflowService } from './tasks-workflow.service';

/**
 * The task workflow (issue 6), beside the inventory's TasksModule, which stores and lists tasks.
 * TasksService.openInTx calls `TasksWorkflowService.onTaskOpened(tx, id)`.
 */
@Module({
  imports: [AttachmentsModule, AttachmentsModule.uploads(), AuditModule, QueueModule, RemindersModule],
  controllers: [TasksWorkflowController],
  providers: [TasksWorkflowService, TasksWorkflowRepository],
  exports: [TasksWorkflowService],
})
export class TasksWorkflowModule {}
