import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DEFAULT_PAGE_SIZE, Page, decodeCursor, toPage } from '../common/http/pagination';
import { Tx, UnitOfWork } from '../database/unit-of-work.service';
import { HoldersService } from '../holders/holders.service';
import { TaskDto, TaskQueryDto, mapTask } from './dto/task.dto';
import { TaskEntity, TaskTrigger, TaskType } from './task.entity';
import { TasksRepository } from './tasks.repository';
import { TasksWorkflowService } from './tasks-workflow.service';

export interface NewTask {
  organizationId: string;
  type: TaskType;
  deviceId: string | null;
  holderId: string | null;
  dueOn: string | null;
  assigneeRole: string;
  reason: string;
  trigger: TaskTrigger;
}

/**
 * Leaver and revocation tasks: stored and listed here. The reminders issue adds the workflow
 * (requested -> acknowledged -> confirmed, deadlines, escalation) on the same table.
 */
@Injectable()
export class TasksService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: TasksRepository,
    private readonly holders: HoldersService,
    private readonly audit: AuditService,
    private readonly workflow: TasksWorkflowService,
  ) {}

  async openInTx(tx: Tx, actor: Actor, task: NewTask): Promise<TaskEntity> {
    const now = new Date();
    const row: TaskEntity = {
      id: randomUUID(),
      status: 'open',
      closedAt: null,
      closedBy: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
      ...task,
    };
    await this.repository.insert(tx.em, row);
    await this.workflow.onTaskOpened(tx, row.id);
    await this.audit.append(tx, {
      organizationId: task.organizationId,
      actor,
      action: 'task.opened',
      entity: 'task',
      entityId: row.id,
      data: { type: task.type, deviceId: task.deviceId, holderId: task.holderId, dueOn: task.dueOn, trigger: task.trigger },
    });
    return row;
  }

  /** Confirms the device's pending tasks of these types: what they asked for has been recorded. */
  async confirmPendingInTx(tx: Tx, actor: Actor, organizationId: string, deviceId: string, types: readonly TaskType[]): Promise<string[]> {
    const pending = await this.repository.findPending(tx.em, organizationId, deviceId, types);
    const ids = pending.map((t) => t.id);
    await this.repository.close(tx.em, ids, 'confirmed', actor.label, new Date());
    for (const t of pending) {
      await this.audit.append(tx, {
        organizationId,
        actor,
        action: 'task.confirmed',
        entity: 'task',
        entityId: t.id,
        data: { type: t.type, deviceId },
      });
    }
    return ids;
  }

  async list(organizationId: string, query: TaskQueryDto): Promise<Page<TaskDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor);
    return this.uow.read(async (em) => {
      const rows = await this.repository.findPage(em, organizationId, query, cursor?.id ?? null, limit + 1);
      const holders = await this.holders.refsInTx(
        em,
        organizationId,
        rows.map((t) => t.holderId),
      );
      const devices = await this.repository.deviceLabels(em, [
        ...new Set(rows.map((t) => t.deviceId).filter((id): id is string => id !== null)),
      ]);
      const names = { device: devices, holder: new Map([...holders].map(([id, h]) => [id, h.name])) };
      return toPage(
        rows,
        limit,
        (t) => ({ k: t.createdAt.toISOString(), id: t.id }),
        (t) => mapTask(t, names),
      );
    });
  }

  async forDevice(organizationId: string, deviceId: string): Promise<TaskDto[]> {
    return (await this.list(organizationId, { deviceId, limit: 200 })).items;
  }
}
