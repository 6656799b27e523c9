import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { TaskEntity, TaskStatus, TaskType } from './task.entity';

export interface TaskFilter {
  status?: TaskStatus;
  type?: TaskType;
  holderId?: string;
  deviceId?: string;
}

@Injectable()
export class TasksRepository {
  async insert(em: EntityManager, task: TaskEntity): Promise<void> {
    await em.getRepository(TaskEntity).insert(task);
  }

  findPending(em: EntityManager, organizationId: string, deviceId: string, types: readonly TaskType[]): Promise<TaskEntity[]> {
    return em.getRepository(TaskEntity).findBy({ organizationId, deviceId, type: In([...types]), status: In(['open', 'requested']) });
  }

  async close(em: EntityManager, ids: string[], status: 'confirmed' | 'cancelled', by: string, at: Date): Promise<void> {
    if (ids.length === 0) return;
    await em
      .createQueryBuilder()
      .update(TaskEntity)
      .set({ status, closedAt: at, closedBy: by, updatedAt: at, version: () => 'version + 1' })
      .where('id IN (:...ids)', { ids })
      .execute();
  }

  /** Newest first; the cursor is the last task seen, so pages stay stable while tasks are added. */
  findPage(em: EntityManager, organizationId: string, filter: TaskFilter, afterId: string | null, limit: number): Promise<TaskEntity[]> {
    const qb = em
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where('t.organization_id = :organizationId', { organizationId })
      .orderBy('t.created_at', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .limit(limit);
    if (filter.status) qb.andWhere('t.status = :status', { status: filter.status });
    if (filter.type) qb.andWhere('t.type = :type', { type: filter.type });
    if (filter.holderId) qb.andWhere('t.holder_id = :holderId', { holderId: filter.holderId });
    if (filter.deviceId) qb.andWhere('t.device_id = :deviceId', { deviceId: filter.deviceId });
    if (afterId) {
      qb.andWhere(
        '(t.created_at < (SELECT c.created_at FROM tasks c WHERE c.id = :afterId) OR (t.created_at = (SELECT c.created_at FROM tasks c WHERE c.id = :afterId) AND t.id < :afterId))',
        { afterId },
      );
    }
    return qb.getMany();
  }

  async deviceLabels(em: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await em
      .createQueryBuilder()
      .select('d.id', 'id')
      .addSelect('d.label', 'label')
      .from('devices', 'd')
      .where('d.id IN (:...ids)', { ids })
      .getRawMany<{ id: string; label: string }>();
    return new Map(rows.map((r) => [r.id, r.label]));
  }
}
