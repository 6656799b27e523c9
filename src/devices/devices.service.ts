import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service';
import { OrgAccess } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { assertVersion } from '../common/http/if-match';
import { Tx, UnitOfWork } from '../database/unit-of-work.service';
import { HoldersService } from '../holders/holders.service';
import { ReminderSweepService } from '../reminders/reminder-sweep.service';
import { TasksService } from '../tasks/tasks.service';
import { WorkstationsService } from '../workstations/workstations.service';
import { DeviceViews } from './device-views.service';
import { newDeviceRow } from './new-device-row';
import { DevicesRepository } from './devices.repository';
import { assertMayManage, custodyColumn, deviceEvent, isCertificateKind } from './device-support';
import { DeviceDto } from './dto/device.dto';
import { CreateCredentialDto, CreateSmartCardDto, CustodyDto, SuccessorDto, UpdateDeviceDto } from './dto/device-requests.dto';
import { DeviceEntity } from './entities/device.entity';
import { HandoverReceiptDto, HandoverService, mapReceipt } from './handover/handover.service';
import { DeviceKind, DeviceStatus, INITIAL_STATUS, isTerminal } from './lifecycle';
import { DeviceTransitionsService } from './transitions.service';
import { ParsedCertificate } from './certificates/x509';

export class CardCertificateResultDto {
  @ApiProperty({ type: DeviceDto }) device: DeviceDto;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The holder whose codice fiscale the certificate carries' })
  matchedHolderId: string | null;
  @ApiProperty({ nullable: true, type: String }) matchedHolderName: string | null;
  @ApiProperty({ type: [String] }) warnings: string[];
}

export class CustodyResultDto {
  @ApiProperty({ type: DeviceDto }) device: DeviceDto;
  @ApiProperty({ nullable: true, type: HandoverReceiptDto }) handoverReceipt: HandoverReceiptDto | null;
}

const family = (kind: DeviceKind): string => (isCertificateKind(kind) ? 'certificate' : kind);

/** Registering smart cards and credentials, editing details, custody and successors. */
@Injectable()
export class DevicesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: DevicesRepository,
    private readonly views: DeviceViews,
    private readonly holders: HoldersService,
    private readonly workstations: WorkstationsService,
    private readonly transitions: DeviceTransitionsService,
    private readonly handover: HandoverService,
    private readonly tasks: TasksService,
    private readonly audit: AuditService,
    private readonly reminderSweep: ReminderSweepService,
  ) {}

  async createSmartCard(access: OrgAccess, dto: CreateSmartCardDto): Promise<DeviceDto> {
    assertMayManage(access.role, 'smart_card');
    return this.uow.run(async (tx) => {
      const existing = await this.repository.findSmartCardBySerial(tx.em, access.organizationId, dto.serialNumber);
      if (existing)
        throw new DomainError('SMART_CARD_SERIAL_TAKEN', `Smart card ${dto.serialNumber} is already registered`, {
          deviceId: existing.deviceId,
        });
      const device = await this.insertDevice(tx, access, 'smart_card', dto.initialStatus, {
        label: dto.serialNumber,
        holderId: dto.holderId ?? null,
        expiresAt: dto.expiresAt ? new Date(dto.expiresAt) : null,
        notes: dto.notes ?? null,
      });
      await this.repository.insertSmartCard(tx.em, {
        deviceId: device.id,
        organizationId: access.organizationId,
        serialNumber: dto.serialNumber,
        cardType: dto.cardType ?? null,
        generation: dto.generation ?? null,
        certificateFingerprintSha256: null,
        certificateFiscalCode: null,
      });
      return this.views.one(tx.em, access.organizationId, device);
    });
  }

  async createCredential(access: OrgAccess, dto: CreateCredentialDto): Promise<DeviceDto> {
    assertMayManage(access.role, 'credential');
    return this.uow.run(async (tx) => {
      const existing = await this.repository.findCredential(tx.em, access.organizationId, dto.system, dto.username);
      if (existing)
        throw new DomainError('CREDENTIAL_TAKEN', `Account ${dto.username} of ${dto.system} is already registered`, {
          deviceId: existing.deviceId,
        });
      const device = await this.insertDevice(tx, access, 'credential', dto.initialStatus, {
        label: dto.username,
        holderId: dto.holderId,
        expiresAt: dto.expiresAt ? new Date(dto.expiresAt) : null,
        notes: dto.notes ?? null,
      });
      await this.repository.insertCredential(tx.em, {
        deviceId: device.id,
        organizationId: access.organizationId,
        system: dto.system,
        username: dto.username,
        identityProvider: dto.system === 'digital_identity' ? (dto.identityProvider ?? null) : null,
        issuedOn: dto.issuedOn ?? null,
        lastRotatedOn: dto.lastRotatedOn ?? null,
        rotationDays: dto.rotationDays ?? null,
      });
      // Again, now that the account row exists: its password rotation ladder starts too.
      await this.reminderSweep.onDeviceChanged(tx, device.id);
      return this.views.one(tx.em, access.organizationId, device);
    });
  }

  async update(access: OrgAccess, id: string, expected: number, dto: UpdateDeviceDto): Promise<DeviceDto> {
    return this.uow.run(async (tx) => {
      const device = await this.requireManaged(tx, access, id, expected);
      const changed: Record<string, unknown> = {};
      if (dto.notes !== undefined) device.notes = changed.notes = dto.notes;
      if (dto.expiresAt !== undefined) {
        if (isCertificateKind(device.kind))
          throw new DomainError('VALIDATION_FAILED', "A certificate's expiry is its notAfter", {
            errors: [{ field: 'expiresAt', messages: ['expiresAt cannot be changed on a certificate'] }],
          });
        device.expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : null;
        changed.expiresAt = device.expiresAt?.toISOString() ?? null;
      }
      const details = await this.repository.details(tx.em, [device.id]);
      const card = details.smartCards.get(device.id);
      if (card && (dto.cardType !== undefined || dto.generation !== undefined)) {
        if (dto.cardType !== undefined) card.cardType = changed.cardType = dto.cardType;
        if (dto.generation !== undefined) card.generation = changed.generation = dto.generation;
        await this.repository.saveSmartCard(tx.em, card);
      }
      const credential = details.credentials.get(device.id);
      if (credential && (dto.username !== undefined || dto.lastRotatedOn !== undefined || dto.rotationDays !== undefined)) {
        if (dto.username !== undefined) device.label = credential.username = changed.username = dto.username;
        if (dto.lastRotatedOn !== undefined) credential.lastRotatedOn = changed.lastRotatedOn = dto.lastRotatedOn;
        if (dto.rotationDays !== undefined) credential.rotationDays = changed.rotationDays = dto.rotationDays;
        await this.repository.saveCredential(tx.em, credential);
      }
      await this.save(tx, device, expected);
      await this.repository.insertEvent(
        tx.em,
        deviceEvent({ organizationId: device.organizationId, deviceId: device.id, type: 'updated', actor: access.actor, data: changed }),
      );
      await this.audit.append(tx, {
        organizationId: device.organizationId,
        actor: access.actor,
        action: 'device.updated',
        entity: 'device',
        entityId: device.id,
        data: changed,
      });
      return this.views.one(tx.em, access.organizationId, device);
    });
  }

  /** Hands the device to another holder (custodian for a certificate): closes the previous assignment. */
  async assignCustody(access: OrgAccess, id: string, expected: number, dto: CustodyDto): Promise<CustodyResultDto> {
    return this.uow.run(async (tx) => {
      const device = await this.requireManaged(tx, access, id, expected);
      if (isTerminal(device.kind, device.status)) {
        throw new DomainError('TRANSITION_NOT_ALLOWED', `The device is ${device.status}: its custody is closed`, {
          currentStatus: device.status,
          terminal: true,
        });
      }
      const holder = await this.holders.requireInTx(tx.em, access.organizationId, dto.holderId);
      if (holder.employmentStatus === 'leaver')
        throw new DomainError('HOLDER_HAS_LEFT', `${holder.name} has left the Comune`, { holderId: holder.id });
      const previous = device[custodyColumn(device.kind)];
      const now = new Date();
      const assignmentId = await this.transitions.moveCustody(tx, access.actor, device, holder.id, now, 'reassigned');
      await this.save(tx, device, expected);
      await this.repository.insertEvent(
        tx.em,
        deviceEvent({
          organizationId: device.organizationId,
          deviceId: device.id,
          type: 'custody',
          actor: access.actor,
          at: now,
          reason: dto.note ?? null,
          data: { fromHolderId: previous, toHolderId: holder.id, role: custodyColumn(device.kind) === 'holderId' ? 'holder' : 'custodian' },
        }),
      );
      await this.audit.append(tx, {
        organizationId: device.organizationId,
        actor: access.actor,
        action: 'device.custody',
        entity: 'device',
        entityId: device.id,
        data: { fromHolderId: previous, toHolderId: holder.id },
      });
      await this.tasks.confirmPendingInTx(tx, access.actor, device.organizationId, device.id, ['custody_reassignment']);
      let receipt: HandoverReceiptDto | null = null;
      if (dto.receipt ?? true) {
        const details = await this.repository.details(tx.em, [device.id]);
        const serial = details.certificates.get(device.id)?.serialNumber ?? details.smartCards.get(device.id)?.serialNumber ?? null;
        const ws = device.workstationId ? await this.workstations.requireInTx(tx.em, device.organizationId, device.workstationId) : null;
        receipt = mapReceipt(
          await this.handover.createInTx(tx, access.actor, device, holder, {
            direction: 'delivery',
            assignmentId,
            note: dto.note ?? null,
            serial,
            workstationCode: ws?.code ?? null,
          }),
        );
      }
      return { device: await this.views.one(tx.em, access.organizationId, device), handoverReceipt: receipt };
    });
  }

  /**
   * Records the certificate read from a smart card (never a key: the card keeps it) and matches
   * the card to its holder by the codice fiscale in the certificate's subject. A card without a
   * holder is assigned to the matching holder; a card held by someone else is refused (409).
   */
  async attachCardCertificate(access: OrgAccess, id: string, expected: number, leaf: ParsedCertificate): Promise<CardCertificateResultDto> {
    if (!leaf.fiscalCode) {
      throw new DomainError(
        'CARD_CERTIFICATE_WITHOUT_FISCAL_CODE',
        'The certificate carries no codice fiscale: it is not a smart card certificate',
      );
    }
    const fiscalCode = leaf.fiscalCode;
    return this.uow.run(async (tx) => {
      const device = await this.requireManaged(tx, access, id, expected);
      if (device.kind !== 'smart_card') throw new DomainError('NOT_A_SMART_CARD', `This device is a ${device.kind}, not a smart card`);
      const holder = await this.holders.findByFiscalCodeInTx(tx.em, access.organizationId, fiscalCode);
      const current = device.holderId ? await this.holders.requireInTx(tx.em, access.organizationId, device.holderId) : null;
      if (current && current.fiscalCode !== fiscalCode) {
        throw new DomainError(
          'SMART_CARD_HOLDER_MISMATCH',
          `The certificate belongs to someone else than ${current.name}, who holds this card`,
          {
            holderId: current.id,
            certificateHolderId: holder?.id ?? null,
          },
        );
      }
      const warnings: string[] = [];
      const card = (await this.repository.details(tx.em, [device.id])).smartCards.get(device.id);
      if (!card) throw new DomainError('DEVICE_NOT_FOUND', 'Smart card details not found');
      card.certificateFingerprintSha256 = leaf.fingerprintSha256;
      card.certificateFiscalCode = fiscalCode;
      await this.repository.saveSmartCard(tx.em, card);
      if (device.expiresAt?.getTime() !== leaf.notAfter.getTime()) {
        if (device.expiresAt) warnings.push(`Expiry changed from ${device.expiresAt.toISOString()} to the certificate's notAfter`);
        device.expiresAt = leaf.notAfter;
      }
      if (!current && holder) {
        if (holder.employmentStatus === 'leaver')
          throw new DomainError('HOLDER_HAS_LEFT', `${holder.name} has left the Comune`, { holderId: holder.id });
        await this.transitions.moveCustody(tx, access.actor, device, holder.id, new Date(), 'matched by codice fiscale');
        device.holderId = holder.id;
      }
      if (!holder)
        warnings.push('No holder of this Comune has the codice fiscale of the certificate: register the holder, then assign the card');
      await this.save(tx, device, expected);
      const data = {
        fingerprintSha256: leaf.fingerprintSha256,
        notAfter: leaf.notAfter.toISOString(),
        matchedHolderId: holder?.id ?? null,
      };
      await this.repository.insertEvent(
        tx.em,
        deviceEvent({ organizationId: device.organizationId, deviceId: device.id, type: 'updated', actor: access.actor, data }),
      );
      await this.audit.append(tx, {
        organizationId: device.organizationId,
        actor: access.actor,
        action: 'device.card_certificate',
        entity: 'device',
        entityId: device.id,
        data,
      });
      return {
        device: await this.views.one(tx.em, access.organizationId, device),
        matchedHolderId: holder?.id ?? null,
        matchedHolderName: holder?.name ?? null,
        warnings,
      };
    });
  }

  /** Links `successorId` as the replacement of this device: it ends this one's reminders. */
  async linkSuccessor(access: OrgAccess, id: string, expected: number, dto: SuccessorDto): Promise<DeviceDto> {
    return this.uow.run(async (tx) => {
      const device = await this.requireManaged(tx, access, id, expected);
      const successor = await this.repository.findById(tx.em, access.organizationId, dto.successorId);
      if (!successor) throw new DomainError('DEVICE_NOT_FOUND', 'Successor device not found', { successorId: dto.successorId });
      if (successor.id === device.id || family(successor.kind) !== family(device.kind)) {
        throw new DomainError('SUCCESSOR_NOT_VALID', 'A successor must be another device of the same kind');
      }
      // No cycles: walking the successor's own successors must not come back here.
      for (let cur: DeviceEntity | null = successor, hops = 0; cur?.successorId && hops < 1000; hops++) {
        if (cur.successorId === device.id) throw new DomainError('SUCCESSOR_NOT_VALID', 'That device is already a predecessor of this one');
        cur = await this.repository.findById(tx.em, access.organizationId, cur.successorId);
      }
      await this.setSuccessorInTx(tx, access.actor, device, successor, expected);
      return this.views.one(tx.em, access.organizationId, device);
    });
  }

  async setSuccessorInTx(
    tx: Tx,
    actor: OrgAccess['actor'],
    device: DeviceEntity,
    successor: DeviceEntity,
    expected: number,
  ): Promise<void> {
    const previous = device.successorId;
    device.successorId = successor.id;
    await this.save(tx, device, expected);
    for (const [subject, data] of [
      [device.id, { successorId: successor.id, successorLabel: successor.label, previousSuccessorId: previous }],
      [successor.id, { predecessorId: device.id, predecessorLabel: device.label }],
    ] as const) {
      await this.repository.insertEvent(
        tx.em,
        deviceEvent({ organizationId: device.organizationId, deviceId: subject, type: 'successor', actor, data }),
      );
    }
    await this.audit.append(tx, {
      organizationId: device.organizationId,
      actor,
      action: 'device.successor',
      entity: 'device',
      entityId: device.id,
      data: { successorId: successor.id },
    });
  }

  private async insertDevice(
    tx: Tx,
    access: OrgAccess,
    kind: DeviceKind,
    initial: DeviceStatus | undefined,
    fields: { label: string; holderId: string | null; expiresAt: Date | null; notes: string | null },
  ): Promise<DeviceEntity> {
    const status = initial ?? INITIAL_STATUS[kind];
    if (isTerminal(kind, status))
      throw new DomainError('VALIDATION_FAILED', 'A new device cannot start in a final status', {
        errors: [{ field: 'initialStatus', messages: ['initialStatus must not be final'] }],
      });
    const holder = fields.holderId ? await this.holders.requireInTx(tx.em, access.organizationId, fields.holderId) : null;
    const now = new Date();
    const device = newDeviceRow(
      {
        organizationId: access.organizationId,
        kind,
        status,
        label: fields.label,
        holderId: holder?.id,
        expiresAt: fields.expiresAt,
        notes: fields.notes,
      },
      now,
    );
    await this.repository.insert(tx.em, device);
    if (holder) {
      await this.repository.insertAssignment(tx.em, {
        id: randomUUID(),
        organizationId: access.organizationId,
        deviceId: device.id,
        target: 'holder',
        holderId: holder.id,
        workstationId: null,
        startedAt: now,
        endedAt: null,
        assignedBy: access.actor.label,
        endReason: null,
      });
    }
    await this.repository.insertEvent(
      tx.em,
      deviceEvent({
        organizationId: access.organizationId,
        deviceId: device.id,
        type: 'created',
        actor: access.actor,
        at: now,
        toStatus: status,
        data: { holderId: holder?.id ?? null },
      }),
    );
    await this.audit.append(tx, {
      organizationId: access.organizationId,
      actor: access.actor,
      action: 'device.created',
      entity: 'device',
      entityId: device.id,
      data: { kind, status, label: device.label, holderId: device.holderId },
    });
    await this.reminderSweep.onDeviceChanged(tx, device.id);
    return device;
  }

  private async requireManaged(tx: Tx, access: OrgAccess, id: string, expected: number): Promise<DeviceEntity> {
    const device = await this.repository.findById(tx.em, access.organizationId, id);
    if (!device) throw new DomainError('DEVICE_NOT_FOUND', 'Device not found');
    assertMayManage(access.role, device.kind);
    assertVersion('device', device.version, expected);
    return device;
  }

  private async save(tx: Tx, device: DeviceEntity, expected: number): Promise<void> {
    device.updatedAt = new Date();
    if (!(await this.repository.updateIfVersion(tx.em, device, expected))) assertVersion('device', expected + 1, expected);
    device.version = expected + 1;
    // Expiry, custody, successor or card certificate changed: recompute its reminders in this transaction.
    await this.reminderSweep.onDeviceChanged(tx, device.id);
  }
}
