import { randomUUID } from 'node:crypto';
import { DeviceEntity } from '../../src/devices/entities/device.entity';

/** The parts of a device row a test chooses; the rest is a new, unlinked row at version 1. */
export type DeviceRowFields = Pick<DeviceEntity, 'organizationId' | 'kind' | 'status' | 'label'> &
  Partial<Pick<DeviceEntity, 'id' | 'holderId' | 'workstationId' | 'custodianHolderId' | 'expiresAt'>>;

/** A complete `devices` row for inserting test data directly (bulk sizes the API would make slow). */
export function deviceRow(fields: DeviceRowFields, now: Date = new Date()): DeviceEntity {
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
    notes: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}
