import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TaskWorkflowEventEntity } from './task-workflow-event.entity';
import { TaskEntity, TaskStatus } from './task.entity';

/** The workflow's writes on the inventory's `tasks` table, and its own history table. */
@Injectable()
export class TasksWorkflowRepository {
  find(em: EntityManager, organizationId: string, id: string): Promise<TaskEntity | null> {
    return em.getRepository(TaskEntity).findOneBy({ id, organizationId });
  }

  findById(em: EntityManager, id: string): Promise<TaskEntity | null> {
    return em.getRepository(TaskEntity).findOneBy({ id });
  }

  /** Compare-and-set on status and version: a concurrent change makes this return false. */
  async move(em: EntityManager, task: TaskEntity, to: TaskStatus, closed: { at: Date; by: string } | null): Promise<boolean> {
    const result = await em
      .createQueryBuilder()
      .update(TaskEntity)
      .set({ status: to, closedAt: closed?.at ?? null, closedBy: closed?.by ?? null, updatedAt: new Date(), version: () => 'version + 1' })
      .where('id = :id AND status = :status AND version = :version', { id: task.id, status: task.status, version: task.version })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  async setDueOn(em: EntityManager, id: string, dueOn: string): Promise<void> {
    await em.getRepository(TaskEntity).update({ id }, { dueOn });
  }

  async insertEvent(em: EntityManager, row: TaskWorkflowEventEntity): Promise<void> {
    await em.getRepository(TaskWorkflowEventEntity).insert(row);
  }

  events(em: EntityManager, taskId: string): Promise<TaskWorkflowEventEntity[]> {
    return em.getRepository(TaskWorkflowEventEntity).find({ where: { taskId }, order: { at: 'ASC', id: 'ASC' } });
  }
}
