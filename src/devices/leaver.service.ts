import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { OrgAccess } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { romeDate } from '../common/time';
import { Tx, UnitOfWork } from '../database/unit-of-work.service';
import { HolderDto } from '../holders/dto/holder.dto';
import { HoldersService } from '../holders/holders.service';
import { TaskDto } from '../tasks/dto/task.dto';
import { TaskType } from '../tasks/task.entity';
import { TasksService } from '../tasks/tasks.service';
import { WorkstationsService } from '../workstations/workstations.service';
import { DevicesRepository } from './devices.repository';
import { LeaverDto } from './dto/device-requests.dto';
import { DeviceEntity } from './entities/device.entity';
import { LifecycleAction, isAcceptableReason, isLive, nextStatus } from './lifecycle';
import { DeviceTransitionsService } from './transitions.service';

export class LeaverResultDto {
  @ApiProperty({ type: HolderDto }) holder: HolderDto;
  @ApiProperty({ type: [TaskDto], description: 'What the ALS (and ALP) must now do, one task per device' }) tasks: TaskDto[];
  @ApiProperty({ type: [String], description: 'Devices whose transition was recorded at once (applyNow)' }) transitionedDeviceIds: string[];
}

interface Step {
  type: TaskType;
  assigneeRole: string;
  reason: string;
  /** The lifecycle action that fulfils the task, recorded at once with applyNow. */
  action: LifecycleAction | null;
}

const IN_SUPPLY = ['requested', 'in_production', 'at_prefecture'];

/**
 * The leaver flow (issue 4 point 1): the holder is marked as left, and each device they hold or
 * keep gets its next step as a task: credentials are deleted, smart cards suspended in this Comune
 * and recovered (a card belongs to the person and is not revoked), certificates get a new custodian.
 */
@Injectable()
export class LeaverService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: DevicesRepository,
    private readonly holders: HoldersService,
    private readonly workstations: WorkstationsService,
    private readonly tasks: TasksService,
    private readonly transitions: DeviceTransitionsService,
  ) {}

  async leave(access: OrgAccess, holderId: string, dto: LeaverDto & { applyNow?: boolean }): Promise<LeaverResultDto> {
    if (dto.reason === 'other' && !dto.note) {
      throw new DomainError('VALIDATION_FAILED', 'Describe the reason in "note" when it is "other"', {
        errors: [{ field: 'note', messages: ['note is required when reason is other'] }],
      });
    }
    const transitioned = await this.uow.run(async (tx) => {
      const holder = await this.holders.markLeaverInTx(tx, access.actor, access.organizationId, holderId, {
        reason: dto.reason,
        leftOn: dto.leftOn,
        note: dto.note ?? null,
      });
      const today = romeDate(new Date());
      const dueOn = dto.leftOn > today ? dto.leftOn : today;
      const done: string[] = [];
      for (const device of await this.repository.findOfHolder(tx.em, access.organizationId, holderId)) {
        const step = this.stepFor(device, holderId, holder.name);
        if (!step) continue;
        await this.tasks.openInTx(tx, access.actor, {
          organizationId: access.organizationId,
          type: step.type,
          deviceId: device.id,
          holderId,
          dueOn,
          assigneeRole: step.assigneeRole,
          reason: `${step.reason} (${holder.name}: ${dto.reason}${dto.note ? `, ${dto.note}` : ''})`,
          trigger: 'leaver',
        });
        if (dto.applyNow && step.action && (await this.applyNow(tx, access, device, step.action, dto.reason))) done.push(device.id);
      }
      for (const ws of await this.workstations.custodiedByInTx(tx.em, access.organizationId, holderId)) {
        await this.tasks.openInTx(tx, access.actor, {
          organizationId: access.organizationId,
          type: 'custody_reassignment',
          deviceId: null,
          holderId,
          dueOn,
          assigneeRole: 'workstation_admin',
          reason: `Nominare un nuovo responsabile della postazione ${ws.code} (${holder.name}: ${dto.reason})`,
          trigger: 'leaver',
        });
      }
      return done;
    });
    const [holder, tasks] = await Promise.all([
      this.holders.get(access.organizationId, holderId),
      this.tasks.list(access.organizationId, { holderId, limit: 200 }),
    ]);
    return { holder, tasks: tasks.items.filter((t) => t.trigger === 'leaver'), transitionedDeviceIds: transitioned };
  }

  private stepFor(device: DeviceEntity, holderId: string, name: string): Step | null {
    if (device.kind === 'credential' && device.holderId === holderId && isLive(device.kind, device.status)) {
      return {
        type: 'credential_deletion',
        assigneeRole: 'security_admin',
        reason: `Eliminare l'utenza ${device.label}`,
        action: 'delete',
      };
    }
    if (device.kind === 'smart_card' && device.holderId === holderId) {
      if (IN_SUPPLY.includes(device.status)) {
        return {
          type: 'smart_card_suspension',
          assigneeRole: 'security_admin',
          reason: `Annullare la richiesta della smart card ${device.label}`,
          action: 'cancel',
        };
      }
      if (device.status === 'delivered_to_comune') {
        return {
          type: 'smart_card_suspension',
          assigneeRole: 'security_admin',
          reason: `Non consegnare la smart card ${device.label}: restituirla o distruggerla`,
          action: null,
        };
      }
      if (nextStatus('smart_card', device.status, 'suspend_in_comune')) {
        return {
          type: 'smart_card_suspension',
          assigneeRole: 'security_admin',
          reason: `Sospendere nel Comune la smart card ${device.label} e ritirarla da ${name}`,
          action: 'suspend_in_comune',
        };
      }
      if (device.status === 'handed_to_holder') {
        return {
          type: 'smart_card_suspension',
          assigneeRole: 'security_admin',
          reason: `Ritirare la smart card ${device.label} non ancora attivata`,
          action: null,
        };
      }
    }
    if (
      (device.kind === 'workstation_certificate' || device.kind === 'server_certificate') &&
      device.custodianHolderId === holderId &&
      isLive(device.kind, device.status)
    ) {
      return {
        type: 'custody_reassignment',
        assigneeRole: 'workstation_admin',
        reason: `Assegnare un nuovo responsabile del certificato ${device.label}`,
        action: null,
      };
    }
    return null;
  }

  /** Records the step now (the ALS already did it in the console); false when the reason code does not fit. */
  private async applyNow(tx: Tx, access: OrgAccess, device: DeviceEntity, action: LifecycleAction, reason: string): Promise<boolean> {
    if (!isAcceptableReason(device.kind, action, reason)) return false;
    await this.transitions.applyInTx(tx, access.actor, device, { action, reason });
    return true;
  }
}
