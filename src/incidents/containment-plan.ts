import { DeviceKind, DeviceStatus, KIND_LABELS_IT, LifecycleAction, nextStatus, sideEffectsOf, statusLabelIt } from '../devices/lifecycle';
import type { ContainmentStepDto } from './dto/incident.dto';
import type { ContainmentAction } from './dto/incident-requests.dto';
import type { IncidentType } from './incident.entity';

/** What can be disclosed or copied in these incidents: credentials are compromised, certificates too. */
const COMPROMISING: readonly IncidentType[] = [
  'credentials_disclosed',
  'remote_session_granted',
  'unauthorized_access_attempt',
  'certificate_exported',
  'other',
];
const LOSS: readonly IncidentType[] = ['device_lost', 'device_stolen'];

export interface PlannedDevice {
  id: string;
  kind: DeviceKind;
  status: DeviceStatus;
  label: string;
}

const isCertificate = (kind: DeviceKind) => kind === 'workstation_certificate' || kind === 'server_certificate';

/**
 * The action containment proposes for a linked device, by the kind of incident:
 * - a certificate exposed in any way but a mere call is compromised (a revocation task follows);
 * - a smart card lost or stolen is reported so (revocation and replacement tasks follow); a card
 *   never leaves its holder's hands on a call, so nothing is proposed otherwise;
 * - a credential disclosed or exposed is compromised (immediate suspension); on a lost or stolen
 *   device it is suspended.
 */
export function proposedAction(type: IncidentType, kind: DeviceKind): LifecycleAction | null {
  if (type === 'suspicious_call') return null;
  if (isCertificate(kind)) return 'mark_compromised';
  if (kind === 'smart_card') return type === 'device_lost' ? 'report_lost' : type === 'device_stolen' ? 'report_stolen' : null;
  if (COMPROMISING.includes(type)) return 'mark_compromised';
  return LOSS.includes(type) ? 'suspend' : null;
}

const EFFECT_IT: Record<string, string> = {
  revocation_task: 'richiesta di revoca o blocco da inoltrare',
  replacement_request: 'richiesta di un dispositivo sostitutivo',
  immediate_suspension: 'da sospendere subito nella consolle o nel sistema',
};

/** One step of the plan: the action (the proposed one, or the ALS's choice) if the lifecycle allows it. */
export function planStep(type: IncidentType, device: PlannedDevice, choice: ContainmentAction | undefined): ContainmentStepDto {
  const base = {
    deviceId: device.id,
    label: device.label,
    kind: device.kind,
    kindLabel: KIND_LABELS_IT[device.kind],
    status: device.status,
    statusLabel: statusLabelIt(device.kind, device.status),
  };
  const wanted: LifecycleAction | null = choice === undefined ? proposedAction(type, device.kind) : choice === 'none' ? null : choice;
  const to = wanted ? nextStatus(device.kind, device.status, wanted) : null;
  const name = `${base.kindLabel} «${device.label}»`;
  if (!wanted) {
    return {
      ...base,
      action: null,
      toStatus: null,
      summary: `${name}: nessuna modifica (stato attuale: ${base.statusLabel.toLowerCase()})`,
    };
  }
  if (!to) {
    return {
      ...base,
      action: null,
      toStatus: null,
      summary: `${name}: nessuna modifica possibile dallo stato «${base.statusLabel.toLowerCase()}»`,
    };
  }
  const effects = sideEffectsOf(device.kind, wanted)
    .map((e) => EFFECT_IT[e])
    .filter((e): e is string => e !== undefined);
  const after = statusLabelIt(device.kind, to).toLowerCase();
  return {
    ...base,
    action: wanted,
    toStatus: to,
    summary: `${name}: da «${base.statusLabel.toLowerCase()}» a «${after}»${effects.length ? ` (${effects.join('; ')})` : ''}`,
  };
}
