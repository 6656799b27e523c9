import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock, LocalDate, addDays, romeInstant } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { Tx, UnitOfWork } from '../database/unit-of-work.service';
import { DEVICE_KINDS, isLive } from '../devices/lifecycle';
import { TaskEntity } from '../tasks/task.entity';
import { DayLadder, DayCursor, LadderContext, loadLadderContext } from './day-ladder';
import { ReminderPauseEntity } from './entities/reminder-pause.entity';
import { OPEN_STATES, ReminderEntity } from './entities/reminder.entity';
import { REMINDER_CLOCK } from './reminder-clock';
import { ReminderDispatcher } from './reminder-dispatcher.service';
import { currentStep, dueExpiryDays, dueExpiryRanges } from './reminder-ladder';
import { NominationReminders } from './nomination-reminders.service';
import { Recipient, ledgerRows, personRecipient, recipientsFor } from './reminder-planner';
import { policyOf } from './reminder-policy';
import { DeviceForReminder, PersonRef, RemindersRepository } from './reminders.repository';
import { RotationReminders } from './rotation-reminders.service';

const BATCH = 500;

export interface SweepResult {
  organizationId: string;
  /** 'YYYY-MM-DD' in Europe/Rome: the day swept. */
  today: LocalDate;
  /** Steps fell due in (since, today]. */
  since: LocalDate;
  devicesExamined: number;
  created: number;
  /** Ids of the ledger rows created (at most 1,000 listed). */
  reminderIds: string[];
}

type SweepContext = LadderContext;

/**
 * The sweep: finds the reminder steps that have fallen due and writes them to the ledger as
 * `pending` rows (insert-or-ignore on the ledger's unique key), in short transactions. It reads
 * devices only through the (organization_id, expires_at) index, in the bands where a step can
 * have fallen due since the last sweep.
 */
@Injectable()
export class ReminderSweepService {
  private readonly logger = new Logger(ReminderSweepService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: RemindersRepository,
    private readonly audit: AuditService,
    private readonly dispatcher: ReminderDispatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REMINDER_CLOCK) private readonly clock: Clock,
    private readonly nominations: NominationReminders,
    private readonly rotations: RotationReminders,
  ) {}

  /**
   * Every Comune in this process, one after the other, each from where its last sweep stopped
   * (`npm run cli -- sweep` without --org). The daily job does not come here: it adds one job per
   * Comune (ReminderSweepFanOut) that the workers share.
   */
  async sweepAll(actor: Actor): Promise<{ organizations: number; created: number }> {
    let after: string | null = null;
    let organizations = 0;
    let created = 0;
    for (;;) {
      const ids: string[] = await this.uow.read((em) => this.repository.organizationIds(em, after, 200));
      if (ids.length === 0) break;
      for (const id of ids) {
        try {
          created += (await this.sweepOrganization(actor, id, 'daily')).created;
          organizations += 1;
        } catch (error) {
          // One Comune's failure must not stop the others; its next run catches up.
          this.logger.error({ organizationId: id, err: error instanceof Error ? error.message : String(error) }, 'sweep failed');
        }
      }
      after = ids[ids.length - 1]!;
    }
    return { organizations, created };
  }

  /**
   * `daily` reads what fell due since the Comune's last sweep; `full` (on demand) looks back
   * REMINDER_CATCH_UP_DAYS. Both are idempotent: a step already in the ledger is not added again.
   */
  async sweepOrganization(actor: Actor, organizationId: string, mode: 'daily' | 'full'): Promise<SweepResult> {
    const ctx = await this.uow.read((em) => this.context(em, organizationId));
    const floor = addDays(ctx.today, -this.config.reminders.catchUpDays);
    const state = mode === 'daily' ? await this.uow.read((em) => this.repository.sweepState(em, organizationId)) : null;
    // A last sweep in the future (the clock was set back) is ignored: look back the whole window.
    const since = state && state.lastSweptOn > floor && state.lastSweptOn <= ctx.today ? state.lastSweptOn : floor;
    const result: SweepResult = { organizationId, today: ctx.today, since, devicesExamined: 0, created: 0, reminderIds: [] };

    const steps = [...new Set(DEVICE_KINDS.flatMap((kind) => policyOf(ctx.policies, kind).steps))];
    const ranges = since < ctx.today ? dueExpiryRanges(steps, since, ctx.today, ctx.calendar) : [];
    for (const range of ranges) {
      let cursor: { expiresAt: Date; id: string } | null = null;
      for (;;) {
        const devices = await this.uow.read((em) => this.repository.findDevicesExpiringIn(em, organizationId, range, cursor, BATCH));
        if (devices.length === 0) break;
        result.devicesExamined += devices.length;
        await this.writeBatch(actor, ctx, devices, since, result);
        const last = devices[devices.length - 1]!;
        cursor = { expiresAt: last.expiresAt as Date, id: last.id };
        if (devices.length < BATCH) break;
      }
    }
    // Ladders whose pause ended since the last sweep resume with their current step.
    const resumed = await this.uow.read((em) => this.repository.pausesEndingBetween(em, organizationId, since, ctx.today));
    const resumedIds = [...new Set(resumed.filter((p) => p.subjectType === 'device').map((p) => p.subjectId))];
    if (resumedIds.length > 0) {
      const devices = await this.uow.read((em) => this.repository.findDevicesByIds(em, organizationId, resumedIds));
      await this.writeBatch(actor, ctx, devices, null, result);
    }
    // Ladders that count down to a day: nominations with an end date, password rotations.
    await this.sweepDayLadder(actor, ctx, this.nominations, since, result);
    await this.sweepDayLadder(actor, ctx, this.rotations, since, result);
    await this.sweepTasks(actor, ctx, result);
    await this.uow.run(async (tx) => {
      await this.repository.saveSweepState(tx.em, { organizationId, lastSweptOn: ctx.today, lastRunAt: ctx.now });
      if (result.created > 0) tx.afterCommit(() => this.dispatcher.kick());
    });
    return result;
  }

  /**
   * Call in the transaction that changed a device's expiry, status, holder, custodian, workstation
   * or successor (and after creating one): open rows that no longer apply are cancelled and the
   * current step is written for the right people. Runs in the caller's transaction.
   */
  async onDeviceChanged(tx: Tx, deviceId: string): Promise<void> {
    const device = await this.repository.findDeviceById(tx.em, deviceId);
    if (!device) return;
    const ctx = await this.context(tx.em, device.organizationId);
    const planned = await this.planDevices(tx.em, ctx, [device], null);
    const open = await this.repository.openRowsOf(tx.em, 'device', device.id);
    const applies = device.expiresAt !== null && !device.successorId && isLive(device.kind, device.status);
    const keep = new Set(planned.map((r) => `${r.channel}|${r.recipient}`));
    const stale = open.filter(
      (row) =>
        !applies ||
        row.expiresAt.getTime() !== device.expiresAt?.getTime() ||
        // Same expiry: the holder or custodian changed, so the former one's rows go.
        ((row.audience === 'holder' || row.audience === 'custodian') && !keep.has(`${row.channel}|${row.recipient}`)),
    );
    const reason = cancelReason(device);
    await this.repository.transition(
      tx.em,
      stale.map((r) => r.id),
      OPEN_STATES,
      'cancelled',
      { closedReason: reason },
    );
    const created = await this.repository.insertOrIgnore(tx.em, planned);
    if (stale.length > 0 || created.length > 0) {
      await this.audit.append(tx, {
        organizationId: device.organizationId,
        actor: { type: 'system', id: 'reminders', label: 'custode:reminders' },
        action: 'reminders.recomputed',
        entity: 'device',
        entityId: device.id,
        data: { cancelled: stale.length, created: created.length, reason: stale.length > 0 ? reason : null },
      });
    }
    if (created.length > 0) tx.afterCommit(() => this.dispatcher.kick());
    // A credential's password rotation is a ladder of its own (subject type `rotation`).
    if (device.kind === 'credential') await this.rotations.onCredentialChanged(tx, device.id, ctx);
  }

  /**
   * For devices just created in the caller's transaction (a bulk import): they have no open rows,
   * so only their current step is written. The Comune's context is read once and devices are
   * planned in batches of 500 (a handful of queries per batch, not per device).
   */
  async onDevicesCreated(tx: Tx, organizationId: string, devices: readonly DeviceForReminder[]): Promise<void> {
    if (devices.length === 0) return;
    if (devices.some((d) => d.organizationId !== organizationId)) throw new Error('onDevicesCreated: a device of another Comune');
    const ctx = await this.context(tx.em, organizationId);
    let created = 0;
    for (let i = 0; i < devices.length; i += BATCH) {
      // The rows the caller has just inserted in this transaction: planned from memory, not read back.
      const planned = await this.planDevices(tx.em, ctx, devices.slice(i, i + BATCH), null);
      if (planned.length > 0) created += (await this.repository.insertOrIgnore(tx.em, planned)).length;
    }
    if (created === 0) return;
    await this.audit.append(tx, {
      organizationId,
      actor: { type: 'system', id: 'reminders', label: 'custode:reminders' },
      action: 'reminders.recomputed',
      entity: 'device',
      entityId: null,
      data: { devices: devices.length, cancelled: 0, created, reason: null },
    });
    tx.afterCommit(() => this.dispatcher.kick());
  }

  /** Writes the current step of one task (reminder before the deadline, escalation after it). */
  async sweepTask(actor: Actor, organizationId: string, taskId: string): Promise<number> {
    const ctx = await this.uow.read((em) => this.context(em, organizationId));
    const task = await this.uow.read((em) => this.repository.task(em, organizationId, taskId));
    if (!task) return 0;
    const result: SweepResult = { organizationId, today: ctx.today, since: ctx.today, devicesExamined: 0, created: 0, reminderIds: [] };
    await this.writeTasks(actor, ctx, [task], result);
    return result.created;
  }

  // ----- planning -----

  private context(em: EntityManager, organizationId: string): Promise<SweepContext> {
    return loadLadderContext(em, this.repository, organizationId, this.clock.now());
  }

  /**
   * A ladder counting down to a day: the subjects whose day lies in the bands where a step can
   * have fallen due since `since`, read through the ladder's index in keyset batches, each batch
   * written in one short transaction.
   */
  private async sweepDayLadder<T>(
    actor: Actor,
    ctx: SweepContext,
    ladder: DayLadder<T>,
    since: LocalDate,
    result: SweepResult,
  ): Promise<void> {
    if (since >= ctx.today) return;
    const organizationId = ctx.org.organization.id;
    for (const band of dueExpiryDays(policyOf(ctx.policies, ladder.policy).steps, since, ctx.today, ctx.calendar)) {
      let cursor: DayCursor | null = null;
      for (;;) {
        const items: T[] = await this.uow.read((em) => ladder.dueIn(em, organizationId, band, cursor, BATCH));
        if (items.length === 0) break;
        await this.uow.run(async (tx) => {
          const rows = await ladder.plan(tx.em, ctx, items, since);
          if (rows.length === 0) return;
          await this.record(tx, actor, ctx, rows, await this.repository.insertOrIgnore(tx.em, rows), result);
        });
        cursor = ladder.cursorOf(items[items.length - 1]!);
        if (items.length < BATCH) break;
      }
    }
  }

  private async writeBatch(
    actor: Actor,
    ctx: SweepContext,
    devices: DeviceForReminder[],
    since: LocalDate | null,
    result: SweepResult,
  ): Promise<void> {
    await this.uow.run(async (tx) => {
      const rows = await this.planDevices(tx.em, ctx, devices, since);
      if (rows.length === 0) return;
      const created = await this.repository.insertOrIgnore(tx.em, rows);
      await this.record(tx, actor, ctx, rows, created, result);
    });
  }

  private async record(
    tx: Tx,
    actor: Actor,
    ctx: SweepContext,
    rows: ReminderEntity[],
    created: string[],
    result: SweepResult,
  ): Promise<void> {
    if (created.length === 0) return;
    const ids = new Set(created);
    const subjects = [...new Set(rows.filter((r) => ids.has(r.id)).map((r) => r.subjectId))];
    await this.audit.append(tx, {
      organizationId: ctx.org.organization.id,
      actor,
      action: 'reminders.scheduled',
      entity: 'reminder',
      entityId: null,
      data: { created: created.length, day: ctx.today, subjects },
    });
    result.created += created.length;
    for (const id of created) if (result.reminderIds.length < 1000) result.reminderIds.push(id);
  }

  private async planDevices(
    em: EntityManager,
    ctx: SweepContext,
    devices: DeviceForReminder[],
    since: LocalDate | null,
  ): Promise<ReminderEntity[]> {
    const holderIds = new Set<string>();
    const workstationIds = new Set<string>();
    for (const d of devices) {
      if (d.holderId) holderIds.add(d.holderId);
      if (d.custodianHolderId) holderIds.add(d.custodianHolderId);
      if (!d.custodianHolderId && d.workstationId) workstationIds.add(d.workstationId);
    }
    const wsCustodians = await this.repository.workstationCustodians(em, ctx.org.organization.id, [...workstationIds]);
    for (const id of wsCustodians.values()) holderIds.add(id);
    const people = await this.repository.people(em, ctx.org.organization.id, [...holderIds]);
    const pauses = await this.repository.pauses(
      em,
      ctx.org.organization.id,
      devices.map((d) => d.id),
    );
    return devices.flatMap((d) => this.planDevice(ctx, d, people, wsCustodians, pauses, since));
  }

  private planDevice(
    ctx: SweepContext,
    device: DeviceForReminder,
    people: Map<string, PersonRef>,
    wsCustodians: Map<string, string>,
    pauses: ReminderPauseEntity[],
    since: LocalDate | null,
  ): ReminderEntity[] {
    if (!device.expiresAt || device.successorId || !isLive(device.kind, device.status)) return [];
    const policy = policyOf(ctx.policies, device.kind);
    const step = currentStep(device.expiresAt, policy.steps, ctx.today, ctx.calendar);
    if (!step || (since !== null && step.dueOn <= since)) return [];
    if (this.paused(ctx, pauses, device.id, device.expiresAt)) return [];
    const custodian = device.custodianHolderId ?? (device.workstationId ? (wsCustodians.get(device.workstationId) ?? null) : null);
    const recipients = recipientsFor(
      ctx.org,
      [
        device.holderId ? personRecipient(people.get(device.holderId), 'holder') : null,
        custodian ? personRecipient(people.get(custodian), 'custodian') : null,
      ],
      policy.escalateSteps.includes(step.step),
    );
    return ledgerRows(
      {
        organizationId: device.organizationId,
        subjectType: 'device',
        subjectId: device.id,
        deviceId: device.id,
        expiresAt: device.expiresAt,
        stepDays: step.step,
        dueOn: step.dueOn,
        sendHour: policy.sendHour,
        escalation: policy.escalateSteps.includes(step.step),
        channels: policy.channels,
      },
      recipients,
      ctx.org.webhookIds,
      ctx.now,
    );
  }

  private paused(ctx: SweepContext, pauses: ReminderPauseEntity[], subjectId: string, expiresAt: Date): boolean {
    return pauses.some(
      (p) =>
        p.subjectId === subjectId && p.expiresAt.getTime() === expiresAt.getTime() && (p.pausedUntil === null || ctx.today < p.pausedUntil),
    );
  }

  // ----- tasks -----

  private async sweepTasks(actor: Actor, ctx: SweepContext, result: SweepResult): Promise<void> {
    const tasks = await this.uow.read((em) => this.repository.tasksDueBy(em, ctx.org.organization.id, addDays(ctx.today, 10)));
    if (tasks.length > 0) await this.writeTasks(actor, ctx, tasks, result);
  }

  private async writeTasks(actor: Actor, ctx: SweepContext, tasks: TaskEntity[], result: SweepResult): Promise<void> {
    await this.uow.run(async (tx) => {
      const rows: ReminderEntity[] = [];
      const assignees = new Map<string, string[]>();
      for (const task of tasks) {
        if (!task.dueOn || (task.status !== 'open' && task.status !== 'requested')) continue;
        const policy = policyOf(ctx.policies, 'task');
        const reminderDay = ctx.calendar.previousWorkingDay(addDays(task.dueOn, -1));
        const escalationDay = ctx.fullCalendar.addWorkingDays(task.dueOn, 1);
        const step = ctx.today >= escalationDay ? -1 : ctx.today >= reminderDay ? 1 : null;
        if (step === null || !policy.steps.includes(step)) continue;
        if (!assignees.has(task.assigneeRole))
          assignees.set(task.assigneeRole, await this.repository.memberIds(tx.em, task.organizationId, task.assigneeRole));
        const people = (assignees.get(task.assigneeRole) ?? []).map((id): Recipient => ({
          key: `user:${id}`,
          audience: 'assignee',
          email: true,
        }));
        const escalate = policy.escalateSteps.includes(step);
        rows.push(
          ...ledgerRows(
            {
              organizationId: task.organizationId,
              subjectType: 'task',
              subjectId: task.id,
              deviceId: task.deviceId,
              expiresAt: romeInstant(task.dueOn, 0),
              stepDays: step,
              dueOn: step === 1 ? reminderDay : escalationDay,
              sendHour: policy.sendHour,
              escalation: escalate,
              channels: policy.channels,
            },
            recipientsFor(ctx.org, people, escalate),
            ctx.org.webhookIds,
            ctx.now,
          ),
        );
      }
      if (rows.length === 0) return;
      const created = await this.repository.insertOrIgnore(tx.em, rows);
      await this.record(tx, actor, ctx, rows, created, result);
      if (created.length > 0) tx.afterCommit(() => this.dispatcher.kick());
    });
  }
}

function cancelReason(device: DeviceForReminder): string {
  if (device.successorId) return 'successor';
  if (!isLive(device.kind, device.status)) return `status:${device.status}`;
  if (!device.expiresAt) return 'no expiry';
  return 'recomputed: expiry, holder or custodian changed';
}
