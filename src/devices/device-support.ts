import { randomUUID } from 'node:crypto';
import { Actor } from '../audit/actor';
import { OrgRole } from '../auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { DeviceEventEntity, DeviceEventType, Evidence } from './entities/device-details.entity';
import { DeviceKind, KIND_LABELS_IT } from './lifecycle';

export const CERTIFICATE_KINDS: readonly DeviceKind[] = ['workstation_certificate', 'server_certificate'];
export const isCertificateKind = (kind: DeviceKind): boolean => CERTIFICATE_KINDS.includes(kind);

/**
 * Who manages which kind (domain.md section 2): the ALP workstations and their certificates, the
 * ALS everything (cards, credentials, and certificates in Comuni where one person does both jobs).
 */
export function assertMayManage(role: OrgRole | 'superadmin', kind: DeviceKind): void {
  if (role === 'security_admin') return;
  if (role === 'workstation_admin' && isCertificateKind(kind)) return;
  throw new DomainError('DEVICE_KIND_NOT_ALLOWED', `Your role does not manage ${KIND_LABELS_IT[kind].toLowerCase()} devices`, { kind });
}

/** The holder column that answers for the device: the custodian of a certificate, the holder of the rest. */
export const custodyColumn = (kind: DeviceKind): 'custodianHolderId' | 'holderId' =>
  isCertificateKind(kind) ? 'custodianHolderId' : 'holderId';

export function deviceEvent(
  e: { organizationId: string; deviceId: string; type: DeviceEventType; actor: Actor; at?: Date } & Partial<
    Pick<DeviceEventEntity, 'action' | 'fromStatus' | 'toStatus' | 'reason' | 'evidence' | 'data'>
  >,
): DeviceEventEntity {
  const evidence: Evidence | null = e.evidence && (e.evidence.reference || e.evidence.description) ? e.evidence : null;
  return {
    id: randomUUID(),
    organizationId: e.organizationId,
    deviceId: e.deviceId,
    at: e.at ?? new Date(),
    type: e.type,
    action: e.action ?? null,
    fromStatus: e.fromStatus ?? null,
    toStatus: e.toStatus ?? null,
    actorType: e.actor.type,
    actorId: e.actor.id,
    actorLabel: e.actor.label,
    reason: e.reason ?? null,
    evidence,
    data: e.data ?? {},
  };
}
