import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { OrgAccess } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { assertVersion } from '../common/http/if-match';
import { addDays, romeDate } from '../common/time';
import { Tx, UnitOfWork } from '../database/unit-of-work.service';
import { HoldersService } from '../holders/holders.service';
import { ReminderSweepService } from '../reminders/reminder-sweep.service';
import { TaskType } from '../tasks/task.entity';
import { TasksService } from '../tasks/tasks.service';
import { WorkstationsService } from '../workstations/workstations.service';
import { DeviceViews } from './device-views.service';
import { DevicesRepository } from './devices.repository';
import { assertMayManage, custodyColumn, deviceEvent, isCertificateKind } from './device-support';
import { DeviceDto } from './dto/device.dto';
import { TransitionDto } from './dto/device-requests.dto';
import { DeviceEntity } from './entities/device.entity';
import { HandoverService, HandoverReceiptDto, mapReceipt } from './handover/handover.service';
import {
  DeviceKind,
  LifecycleAction,
  LifecycleSideEffect,
  SIDE_EFFECTS,
  allowedActions,
  isAcceptableReason,
  isTerminal,
  nextStatus,
  reasonCodes,
  sideEffectsOf,
  statusLabelIt,
} from './lifecycle';

export class TransitionResultDto {
  @ApiProperty({ type: DeviceDto }) device: DeviceDto;
  @ApiProperty({ enum: SIDE_EFFECTS, isArray: true, description: 'What else this step starts (docs/lifecycle.md)' })
  sideEffects: LifecycleSideEffect[];
  @ApiProperty({ type: [String], description: 'Tasks opened by this step' }) openedTaskIds: string[];
  @ApiProperty({ type: [String], description: 'Pending tasks this step fulfils' }) confirmedTaskIds: string[];
  @ApiProperty({ nullable: true, type: HandoverReceiptDto }) handoverReceipt: HandoverReceiptDto | null;
}

/** Tasks a recorded action fulfils. */
const FULFILS: Partial<Record<DeviceKind, Partial<Record<LifecycleAction, TaskType[]>>>> = {
  workstation_certificate: { revoke: ['revocation'] },
  server_certificate: { revoke: ['revocation'] },
  smart_card: {
    block_and_replace: ['revocation'],
    suspend_in_comune: ['smart_card_suspension'],
    return: ['smart_card_suspension'],
    destroy: ['smart_card_suspension'],
    cancel: ['smart_card_suspension'],
  },
  credential: { delete: ['credential_deletion'] },
};

const EFFECT_TASK: Partial<Record<LifecycleSideEffect, { type: TaskType; days: number; reason: string }>> = {
  revocation_task: {
    type: 'revocation',
    days: 2,
    reason: 'Chiedere alla consolle ANPR o al Ministero la revoca o il blocco del dispositivo',
  },
  replacement_request: { type: 'replacement_request', days: 5, reason: 'Richiedere il dispositivo sostitutivo' },
  incident: {
    type: 'incident_report',
    days: 1,
    reason: 'Aprire un incidente, valutare la violazione dei dati (72 ore) e informare la DCSD',
  },
};

/** The one lifecycle engine: applies the declarative table (src/devices/lifecycle) to stored devices. */
@Injectable()
export class DeviceTransitionsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: DevicesRepository,
    private readonly views: DeviceViews,
    private readonly holders: HoldersService,
    private readonly workstations: WorkstationsService,
    private readonly tasks: TasksService,
    private readonly handover: HandoverService,
    private readonly audit: AuditService,
    private readonly reminderSweep: ReminderSweepService,
  ) {}

  async transition(access: OrgAccess, deviceId: string, expected: number, dto: TransitionDto): Promise<TransitionResultDto> {
    return this.uow.run(async (tx) => {
      const device = await this.repository.findById(tx.em, access.organizationId, deviceId);
      if (!device) throw new DomainError('DEVICE_NOT_FOUND', 'Device not found');
      assertMayManage(access.role, device.kind);
      assertVersion('device', device.version, expected);
      const result = await this.applyInTx(tx, access.actor, device, dto);
      return { ...result, device: await this.views.one(tx.em, access.organizationId, result.device) };
    });
  }

  /** Applies one action inside the caller's unit of work (also used by the leaver flow and imports). */
  async applyInTx(
    tx: Tx,
    actor: Actor,
    device: DeviceEntity,
    dto: Pick<TransitionDto, 'action' | 'reason' | 'evidence' | 'workstationId' | 'holderId'>,
  ): Promise<Omit<TransitionResultDto, 'device'> & { device: DeviceEntity }> {
    const from = device.status;
    const to = nextStatus(device.kind, from, dto.action);
    if (to === null) {
      const terminal = isTerminal(device.kind, from);
      throw new DomainError(
        'TRANSITION_NOT_ALLOWED',
        `Cannot ${dto.action} a device that is ${from} (${statusLabelIt(device.kind, from)})${terminal ? ': the status is final' : ''}`,
        {
          currentStatus: from,
          currentStatusLabel: statusLabelIt(device.kind, from),
          action: dto.action,
          terminal,
          allowedActions: allowedActions(device.kind, from),
        },
      );
    }
    if (!isAcceptableReason(device.kind, dto.action, dto.reason)) {
      const codes = reasonCodes(device.kind, dto.action);
      throw new DomainError(
        'TRANSITION_REASON_REQUIRED',
        codes ? `${dto.action} needs a reason, one of: ${codes.join(', ')}` : `${dto.action} needs a reason`,
        {
          action: dto.action,
          reasonCodes: codes,
        },
      );
    }
    const now = new Date();
    const version = device.version;
    const data: Record<string, unknown> = {};
    let serial: string | null = null;
    let workstationCode: string | null = null;

    if (dto.action === 'install') {
      const workstationId = dto.workstationId ?? device.workstationId;
      if (!workstationId)
        throw new DomainError('TRANSITION_TARGET_REQUIRED', 'install needs workstationId: the workstation the certificate goes on');
      const ws = await this.workstations.requireInTx(tx.em, device.organizationId, workstationId);
      workstationCode = ws.code;
      if (device.workstationId !== ws.id) {
        await this.repository.endOpenAssignment(tx.em, device.id, 'workstation', now, 'moved');
        await this.repository.insertAssignment(tx.em, {
          id: randomUUID(),
          organizationId: device.organizationId,
          deviceId: device.id,
          target: 'workstation',
          holderId: null,
          workstationId: ws.id,
          startedAt: now,
          endedAt: null,
          assignedBy: actor.label,
          endReason: null,
        });
      }
      device.workstationId = ws.id;
      data.workstationId = ws.id;
      data.workstationCode = ws.code;
    }
    if (dto.action === 'uninstall') {
      await this.repository.endOpenAssignment(tx.em, device.id, 'workstation', now, 'uninstalled');
      data.workstationId = device.workstationId;
      device.workstationId = null;
    }
    if (dto.action === 'hand_to_holder') {
      const holderId = dto.holderId ?? device.holderId;
      if (!holderId) throw new DomainError('TRANSITION_TARGET_REQUIRED', 'hand_to_holder needs holderId: the person receiving the card');
      const holder = await this.holders.requireInTx(tx.em, device.organizationId, holderId);
      if (holder.employmentStatus === 'leaver')
        throw new DomainError('HOLDER_HAS_LEFT', `${holder.name} has left the Comune`, { holderId });
      if (device.holderId !== holder.id) await this.moveCustody(tx, actor, device, holder.id, now, 'handed over');
      else await this.ensureOpenAssignment(tx, actor, device, holder.id, now);
      device.holderId = holder.id;
      data.holderId = holder.id;
    }

    device.status = to;
    device.statusChangedAt = now;
    device.updatedAt = now;
    if (!(await this.repository.updateIfVersion(tx.em, device, version))) assertVersion('device', version + 1, version);
    device.version = version + 1;
    await this.repository.insertEvent(
      tx.em,
      deviceEvent({
        organizationId: device.organizationId,
        deviceId: device.id,
        type: 'transition',
        actor,
        at: now,
        action: dto.action,
        fromStatus: from,
        toStatus: to,
        reason: dto.reason ?? null,
        evidence: dto.evidence ?? null,
        data,
      }),
    );
    await this.audit.append(tx, {
      organizationId: device.organizationId,
      actor,
      action: 'device.transition',
      entity: 'device',
      entityId: device.id,
      data: { kind: device.kind, action: dto.action, from, to, reason: dto.reason ?? null, ...data },
    });

    const sideEffects = [...sideEffectsOf(device.kind, dto.action)];
    const openedTaskIds: string[] = [];
    let receipt: HandoverReceiptDto | null = null;
    for (const effect of sideEffects) {
      const task = EFFECT_TASK[effect];
      if (task) {
        const opened = await this.tasks.openInTx(tx, actor, {
          organizationId: device.organizationId,
          type: task.type,
          deviceId: device.id,
          holderId: device.holderId ?? device.custodianHolderId,
          dueOn: addDays(romeDate(now), task.days),
          assigneeRole: isCertificateKind(device.kind) && task.type === 'revocation' ? 'workstation_admin' : 'security_admin',
          reason: `${task.reason} (${device.label}: ${dto.reason ?? dto.action})`,
          trigger: 'transition',
        });
        openedTaskIds.push(opened.id);
      }
      if (effect === 'handover_receipt' && device.holderId) {
        const holder = await this.holders.requireInTx(tx.em, device.organizationId, device.holderId);
        if (serial === null) serial = (await this.repository.details(tx.em, [device.id])).smartCards.get(device.id)?.serialNumber ?? null;
        const made = await this.handover.createInTx(tx, actor, device, holder, {
          direction: dto.action === 'return' ? 'return' : 'delivery',
          assignmentId: null,
          note: dto.reason ?? null,
          serial,
          workstationCode,
        });
        receipt = mapReceipt(made);
      }
    }
    if (dto.action === 'return' && device.holderId) await this.repository.endOpenAssignment(tx.em, device.id, 'holder', now, 'returned');
    const fulfils = FULFILS[device.kind]?.[dto.action] ?? [];
    const confirmedTaskIds = fulfils.length
      ? await this.tasks.confirmPendingInTx(tx, actor, device.organizationId, device.id, fulfils)
      : [];
    // A final status cancels open reminders; a new holder or workstation moves them.
    await this.reminderSweep.onDeviceChanged(tx, device.id);
    return { device, sideEffects, openedTaskIds, confirmedTaskIds, handoverReceipt: receipt };
  }

  /** Ends the current holder assignment and opens one for `holderId`; sets the custody column. */
  async moveCustody(tx: Tx, actor: Actor, device: DeviceEntity, holderId: string, at: Date, reason: string): Promise<string> {
    await this.repository.endOpenAssignment(tx.em, device.id, 'holder', at, reason);
    const id = randomUUID();
    await this.repository.insertAssignment(tx.em, {
      id,
      organizationId: device.organizationId,
      deviceId: device.id,
      target: 'holder',
      holderId,
      workstationId: null,
      startedAt: at,
      endedAt: null,
      assignedBy: actor.label,
      endReason: null,
    });
    device[custodyColumn(device.kind)] = holderId;
    return id;
  }

  private async ensureOpenAssignment(tx: Tx, actor: Actor, device: DeviceEntity, holderId: string, at: Date): Promise<void> {
    const open = (await this.repository.findAssignments(tx.em, device.id)).find((a) => a.target === 'holder' && a.endedAt === null);
    if (!open || open.holderId !== holderId) await this.moveCustody(tx, actor, device, holderId, at, 'handed over');
  }
}
