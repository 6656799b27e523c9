import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Actor } from '../../audit/actor';
import { AuditService } from '../../audit/audit.service';
import { OrgAccess } from '../../auth/principal';
import { DomainError } from '../../common/errors/domain-error';
import { romeDate } from '../../common/time';
import { Tx, UnitOfWork } from '../../database/unit-of-work.service';
import { HolderRef, HoldersService } from '../../holders/holders.service';
import { DevicesRepository, organizationHeader } from '../devices.repository';
import { deviceEvent } from '../device-support';
import { HandoverReceiptEntity } from '../entities/device-details.entity';
import { DeviceEntity } from '../entities/device.entity';
import { KIND_LABELS_IT } from '../lifecycle';
import { renderHandoverPdf } from './handover-pdf';

export class HandoverReceiptDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2026/0001' }) number: string;
  @ApiProperty({ enum: ['delivery', 'return'] }) direction: 'delivery' | 'return';
  @ApiProperty({ example: 'Verbale di consegna' }) directionLabel: string;
  @ApiProperty({ format: 'uuid' }) deviceId: string;
  @ApiProperty() deviceLabel: string;
  @ApiProperty({ format: 'uuid' }) holderId: string;
  @ApiProperty() holderName: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() createdBy: string;
  @ApiProperty({ nullable: true, type: String }) acknowledgedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) acknowledgedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) acknowledgementNote: string | null;
  @ApiProperty({ description: 'Where to download the PDF for signature' }) pdfPath: string;
}

export function mapReceipt(r: HandoverReceiptEntity): HandoverReceiptDto {
  return {
    id: r.id,
    number: r.number,
    direction: r.direction,
    directionLabel: r.direction === 'delivery' ? 'Verbale di consegna' : 'Verbale di restituzione',
    deviceId: r.deviceId,
    deviceLabel: r.content.deviceLabel,
    holderId: r.holderId,
    holderName: r.content.holderName,
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy,
    acknowledgedAt: r.acknowledgedAt ? r.acknowledgedAt.toISOString() : null,
    acknowledgedBy: r.acknowledgedBy,
    acknowledgementNote: r.acknowledgementNote,
    pdfPath: `/api/v1/orgs/${r.organizationId}/handover-receipts/${r.id}/pdf`,
  };
}

/** Handover receipts (verbali di consegna): made with a custody change, printed, acknowledged. */
@Injectable()
export class HandoverService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: DevicesRepository,
    private readonly holders: HoldersService,
    private readonly audit: AuditService,
  ) {}

  async createInTx(
    tx: Tx,
    actor: Actor,
    device: DeviceEntity,
    holder: HolderRef,
    options: {
      direction: 'delivery' | 'return';
      assignmentId: string | null;
      note: string | null;
      serial: string | null;
      workstationCode: string | null;
    },
  ): Promise<HandoverReceiptEntity> {
    const org = await organizationHeader(tx.em, device.organizationId);
    const now = new Date();
    const issuedOn = romeDate(now);
    const receipt: HandoverReceiptEntity = {
      id: randomUUID(),
      organizationId: device.organizationId,
      deviceId: device.id,
      assignmentId: options.assignmentId,
      holderId: holder.id,
      number: await this.repository.nextReceiptNumber(tx.em, device.organizationId, issuedOn.slice(0, 4)),
      direction: options.direction,
      content: {
        organizationName: org.name,
        istatCode: org.istatCode,
        holderName: holder.name,
        holderFiscalCode: holder.fiscalCode,
        holderOffice: holder.office,
        deviceKind: device.kind,
        deviceKindLabel: KIND_LABELS_IT[device.kind],
        deviceLabel: device.label,
        deviceSerial: options.serial,
        expiresAt: device.expiresAt ? device.expiresAt.toISOString() : null,
        workstationCode: options.workstationCode,
        issuedBy: actor.label,
        issuedAt: now.toISOString(),
        issuedOn,
        note: options.note,
      },
      createdBy: actor.label,
      acknowledgedAt: null,
      acknowledgedBy: null,
      acknowledgementNote: null,
      createdAt: now,
    };
    await this.repository.insertReceipt(tx.em, receipt);
    await this.repository.insertEvent(
      tx.em,
      deviceEvent({
        organizationId: device.organizationId,
        deviceId: device.id,
        type: 'handover_receipt',
        actor,
        at: now,
        data: { receiptId: receipt.id, number: receipt.number, direction: receipt.direction, holderId: holder.id },
      }),
    );
    await this.audit.append(tx, {
      organizationId: device.organizationId,
      actor,
      action: 'handover.created',
      entity: 'handover_receipt',
      entityId: receipt.id,
      data: { number: receipt.number, deviceId: device.id, holderId: holder.id, direction: receipt.direction },
    });
    return receipt;
  }

  async get(access: OrgAccess, id: string): Promise<HandoverReceiptDto> {
    return mapReceipt(await this.uow.read((em) => this.findVisible(em, access, id)));
  }

  async pdf(access: OrgAccess, id: string): Promise<{ fileName: string; pdf: Buffer }> {
    const receipt = await this.uow.read((em) => this.findVisible(em, access, id));
    return { fileName: `verbale-${receipt.number.replace('/', '-')}.pdf`, pdf: await renderHandoverPdf(receipt) };
  }

  /** The holder's acknowledgement: by the holder (operator) or recorded by an administrator. */
  async acknowledge(access: OrgAccess, id: string, note: string | null): Promise<HandoverReceiptDto> {
    return this.uow.run(async (tx) => {
      const receipt = await this.findVisible(tx.em, access, id);
      if (receipt.acknowledgedAt) {
        throw new DomainError(
          'HANDOVER_ALREADY_ACKNOWLEDGED',
          `Receipt ${receipt.number} was acknowledged on ${receipt.acknowledgedAt.toISOString()}`,
          {
            acknowledgedAt: receipt.acknowledgedAt.toISOString(),
            acknowledgedBy: receipt.acknowledgedBy,
          },
        );
      }
      const now = new Date();
      if (!(await this.repository.acknowledgeReceipt(tx.em, id, now, access.actor.label, note))) {
        throw new DomainError('HANDOVER_ALREADY_ACKNOWLEDGED', `Receipt ${receipt.number} was acknowledged meanwhile`);
      }
      await this.repository.insertEvent(
        tx.em,
        deviceEvent({
          organizationId: receipt.organizationId,
          deviceId: receipt.deviceId,
          type: 'handover_acknowledged',
          actor: access.actor,
          at: now,
          data: { receiptId: id, number: receipt.number, byHolder: access.role === 'operator' },
        }),
      );
      await this.audit.append(tx, {
        organizationId: receipt.organizationId,
        actor: access.actor,
        action: 'handover.acknowledged',
        entity: 'handover_receipt',
        entityId: id,
        data: { number: receipt.number, deviceId: receipt.deviceId, byHolder: access.role === 'operator' },
      });
      return mapReceipt({ ...receipt, acknowledgedAt: now, acknowledgedBy: access.actor.label, acknowledgementNote: note });
    });
  }

  /** Operators reach only the receipts made out to them; others answer 404, like a missing one. */
  private async findVisible(em: Tx['em'], access: OrgAccess, id: string): Promise<HandoverReceiptEntity> {
    const receipt = await this.repository.findReceipt(em, access.organizationId, id);
    if (receipt && access.role === 'operator') {
      const own = await this.holders.holderIdOfUserInTx(em, access.organizationId, access.userId);
      if (own !== receipt.holderId) throw new DomainError('HANDOVER_RECEIPT_NOT_FOUND', 'Handover receipt not found');
    }
    if (!receipt) throw new DomainError('HANDOVER_RECEIPT_NOT_FOUND', 'Handover receipt not found');
    return receipt;
  }
}
