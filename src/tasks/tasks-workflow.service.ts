import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AttachmentContent, AttachmentsService, CheckedUpload, UploadedFileLike } from '../attachments/attachments.service';
import { AuditService } from '../audit/audit.service';
import { OrgAccess } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { Clock, WorkingDayCalendar, addDays, isLocalDate, romeDate, romeInstant } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { Tx, UnitOfWork } from '../database/unit-of-work.service';
import { JobQueueService } from '../queue/job-queue.service';
import { JobName } from '../queue/jobs';
import { OPEN_STATES } from '../reminders/entities/reminder.entity';
import { REMINDER_CLOCK } from '../reminders/reminder-clock';
import { DEFAULT_SEND_HOUR } from '../reminders/reminder-ladder';
import { RemindersRepository } from '../reminders/reminders.repository';
import { CancelTaskDto, ConfirmTaskDto, RequestTaskDto, TaskWorkflowDto, mapWorkflowEvent } from './dto/task-workflow.dto';
import { TaskWorkflowAction } from './task-workflow-event.entity';
import { TaskEntity, TaskStatus } from './task.entity';
import { TasksWorkflowRepository } from './tasks-workflow.repository';

/** open -> requested -> confirmed, and open|requested -> cancelled. */
const MOVES: Record<TaskWorkflowAction, { from: readonly TaskStatus[]; to: TaskStatus }> = {
  requested: { from: ['open'], to: 'requested' },
  confirmed: { from: ['open', 'requested'], to: 'confirmed' },
  cancelled: { from: ['open', 'requested'], to: 'cancelled' },
};

/** Task types that follow a lost, stolen or compromised device: the tight deadline applies. */
const URGENT_TYPES: readonly string[] = ['revocation', 'incident_report', 'replacement_request'];

/**
 * The workflow of revocation and leaver tasks (issue 6) on the inventory's `tasks` table: request
 * to the ANPR console or the Ministry, confirmation with evidence, cancellation; deadlines in
 * working days; delayed jobs that remind before the deadline and escalate after it.
 */
@Injectable()
export class TasksWorkflowService {
  private readonly logger = new Logger(TasksWorkflowService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: TasksWorkflowRepository,
    private readonly reminders: RemindersRepository,
    private readonly jobs: JobQueueService,
    private readonly audit: AuditService,
    private readonly attachments: AttachmentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REMINDER_CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Call in the transaction that opened a task (TasksService.openInTx): sets the deadline in
   * working days (TASK_DUE_DAYS_*) and, after commit, schedules the reminder and escalation jobs.
   */
  async onTaskOpened(tx: Tx, taskId: string): Promise<void> {
    const task = await this.repository.findById(tx.em, taskId);
    if (!task) return;
    const calendar = await this.calendarOf(tx, task.organizationId);
    // Working days from today; a leaver's from the leaving day when it is still ahead.
    const today = romeDate(this.clock.now());
    const base = task.trigger === 'leaver' && task.dueOn !== null && task.dueOn > today ? task.dueOn : today;
    const dueOn = calendar.addWorkingDays(base, this.dueDaysFor(task));
    if (dueOn !== task.dueOn) await this.repository.setDueOn(tx.em, task.id, dueOn);
    tx.afterCommit(() => this.scheduleDeadlineJobs(task.organizationId, task.id, dueOn, calendar));
  }

  /** Working days a new task gets: TASK_DUE_DAYS_COMPROMISED, _LEAVER or _OTHER. */
  dueDaysFor(task: Pick<TaskEntity, 'type' | 'trigger'>): number {
    const days = this.config.reminders.taskDueWorkingDays;
    if (task.trigger === 'leaver') return days.leaver;
    return URGENT_TYPES.includes(task.type) ? days.compromised : days.other;
  }

  async request(access: OrgAccess, taskId: string, dto: RequestTaskDto): Promise<TaskWorkflowDto> {
    if (!isLocalDate(dto.requestedOn) || dto.requestedOn > romeDate(this.clock.now())) {
      throw new DomainError('VALIDATION_FAILED', 'requestedOn must be a real day, not in the future', {
        errors: [{ field: 'requestedOn', messages: ['requestedOn must be a real day, not in the future'] }],
      });
    }
    return this.move(access, taskId, 'requested', {
      requestedOn: dto.requestedOn,
      reference: dto.reference.trim(),
      note: dto.note?.trim() ?? null,
    });
  }

  /** The evidence is a file sent with the request (multipart) or the id of one already stored, not both. */
  async confirm(access: OrgAccess, taskId: string, dto: ConfirmTaskDto, file?: UploadedFileLike): Promise<TaskWorkflowDto> {
    if (file && dto.attachmentId) {
      throw new DomainError('VALIDATION_FAILED', 'Send either the file or attachmentId, not both', {
        errors: [{ field: 'attachmentId', messages: ['attachmentId must be absent when a file is sent'] }],
      });
    }
    // Checked (type, size, content) before the transaction: a refused file leaves the task as it was.
    const upload = file ? await this.attachments.checkEvidenceUpload(file) : null;
    return this.move(access, taskId, 'confirmed', { note: dto.note.trim(), attachmentId: dto.attachmentId ?? null }, upload);
  }

  /** An evidence file the task's history cites; any other id, even of this Comune, is not found here. */
  async evidenceContent(access: OrgAccess, taskId: string, attachmentId: string): Promise<AttachmentContent> {
    return this.uow.read(async (em) => {
      const task = await this.repository.find(em, access.organizationId, taskId);
      if (!task) throw new DomainError('TASK_NOT_FOUND', 'Task not found');
      const events = await this.repository.events(em, task.id);
      if (!events.some((e) => e.attachmentId === attachmentId)) throw new DomainError('ATTACHMENT_NOT_FOUND', 'Attachment not found');
      return this.attachments.content(em, task.organizationId, attachmentId);
    });
  }

  cancel(access: OrgAccess, taskId: string, dto: CancelTaskDto): Promise<TaskWorkflowDto> {
    return this.move(access, taskId, 'cancelled', { note: dto.reason.trim() });
  }

  async get(access: OrgAccess, taskId: string): Promise<TaskWorkflowDto> {
    return this.uow.read(async (em) => {
      const task = await this.repository.find(em, access.organizationId, taskId);
      if (!task) throw new DomainError('TASK_NOT_FOUND', 'Task not found');
      const events = await this.repository.events(em, task.id);
      const files = await this.attachments.describe(
        em,
        task.organizationId,
        events.flatMap((e) => (e.attachmentId ? [e.attachmentId] : [])),
      );
      return {
        id: task.id,
        status: task.status,
        dueOn: task.dueOn,
        version: task.version,
        history: events.map((e) => mapWorkflowEvent(e, files)),
      };
    });
  }

  private async move(
    access: OrgAccess,
    taskId: string,
    action: TaskWorkflowAction,
    details: { requestedOn?: string; reference?: string; note?: string | null; attachmentId?: string | null },
    upload: CheckedUpload | null = null,
  ): Promise<TaskWorkflowDto> {
    const { to, from } = MOVES[action];
    await this.uow.run(async (tx) => {
      const task = await this.repository.find(tx.em, access.organizationId, taskId);
      if (!task) throw new DomainError('TASK_NOT_FOUND', 'Task not found');
      if (access.role === 'workstation_admin' && task.assigneeRole !== 'workstation_admin') {
        throw new DomainError('FORBIDDEN', 'This task is assigned to the ALS');
      }
      if (!from.includes(task.status)) {
        throw new DomainError('TASK_TRANSITION_NOT_ALLOWED', `A task that is ${task.status} cannot be ${action}`, {
          current: task.status,
          action,
        });
      }
      // Checked before anything is written: a refused evidence file leaves the task as it was.
      const evidence = upload
        ? await this.attachments.store(tx, task.organizationId, access.actor, upload, `task:${task.id}`)
        : details.attachmentId
          ? await this.attachments.evidence(tx.em, task.organizationId, details.attachmentId)
          : null;
      if (evidence) details = { ...details, attachmentId: evidence.id };
      const at = new Date();
      const closed = to === 'confirmed' || to === 'cancelled' ? { at, by: access.actor.label } : null;
      if (!(await this.repository.move(tx.em, task, to, closed))) {
        throw new DomainError('VERSION_MISMATCH', 'The task changed meanwhile: read it again');
      }
      await this.repository.insertEvent(tx.em, {
        id: randomUUID(),
        organizationId: task.organizationId,
        taskId: task.id,
        action,
        fromStatus: task.status,
        toStatus: to,
        at,
        actorLabel: access.actor.label,
        requestedOn: details.requestedOn ?? null,
        reference: details.reference ?? null,
        note: details.note ?? null,
        attachmentId: details.attachmentId ?? null,
      });
      if (closed) {
        // Closed: its reminders and escalations stop.
        const open = await this.reminders.openRowsOf(tx.em, 'task', task.id);
        await this.reminders.transition(
          tx.em,
          open.map((r) => r.id),
          OPEN_STATES,
          'cancelled',
          { closedReason: `task ${to}` },
        );
      }
      await this.audit.append(tx, {
        organizationId: task.organizationId,
        actor: access.actor,
        action: `task.${action}`,
        entity: 'task',
        entityId: task.id,
        data: { from: task.status, to, ...details, ...(evidence ? { attachmentSha256: evidence.sha256 } : {}) },
      });
    });
    return this.get(access, taskId);
  }

  private async calendarOf(tx: Tx, organizationId: string): Promise<WorkingDayCalendar> {
    const org = await this.reminders.organization(tx.em, organizationId);
    return new WorkingDayCalendar({ patronSaintDay: org?.settings.patronSaintDay });
  }

  /**
   * Two delayed jobs per task: the working day before the deadline, and the working day after it.
   * Their ids are fixed per task, so scheduling twice adds nothing; the daily sweep covers them
   * anyway if Redis loses them.
   */
  private async scheduleDeadlineJobs(organizationId: string, taskId: string, dueOn: string, calendar: WorkingDayCalendar): Promise<void> {
    const now = this.clock.now().getTime();
    const moments = [
      ['before', romeInstant(calendar.previousWorkingDay(addDays(dueOn, -1)), DEFAULT_SEND_HOUR)],
      ['after', romeInstant(calendar.addWorkingDays(dueOn, 1), DEFAULT_SEND_HOUR)],
    ] as const;
    for (const [when, at] of moments) {
      this.jobs
        .enqueue(
          JobName.TaskDeadline,
          { organizationId, taskId },
          { jobId: `task-${taskId}-${when}`, delay: Math.max(0, at.getTime() - now) },
        )
        .catch((error: unknown) => this.logger.warn({ err: String(error), taskId }, 'task deadline job not enqueued'));
    }
  }
}
