import { randomUUID } from 'node:crypto';
import { DeviceEntity } from './entities/device.entity';

/** The parts of a new device row the caller chooses; the rest is a new row at version 1, with no successor. */
export type NewDeviceFields = Pick<DeviceEntity, 'organizationId' | 'kind' | 'status' | 'label'> &
  Partial<Pick<DeviceEntity, 'id' | 'holderId' | 'workstationId' | 'custodianHolderId' | 'expiresAt' | 'notes'>>;

/** A complete `devices` row for a device that starts now (the API's create, a certificate import, bulk test data). */
export function newDeviceRow(fields: NewDeviceFields, now: Date = new Date()): DeviceEntity {
  return {
    id: fields.id ?? randomUUID(),
    organizationId: fields.organizationId,
    kind: fields.kind,
    status: fields.status,
    label: fields.label,
    holderId: fields.holderId ?? null,
    workstationId: fields.workstationId ?? null,
    custodianHolderId: fields.custodianHolderId ?? null,
    expiresAt: fields.expiresAt ?? null,
    successorId: null,
    statusChangedAt: now,
    notes: fields.notes ?? null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}
