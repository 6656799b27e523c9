import { OrgAccess } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { assertVersion } from '../common/http/if-match';
import { Tx } from '../database/unit-of-work.service';
import type { IncidentEntity } from './incident.entity';

/**
 * Who reads the whole register: the ALS (owns incidents), the auditor/DPO and the Mayor's office.
 * Every other member (operators, the ALP) reads only the incidents they reported.
 */
const SEES_ALL: readonly OrgAccess['role'][] = ['security_admin', 'auditor', 'mayor_office'];

export const seesAllIncidents = (access: OrgAccess): boolean => SEES_ALL.includes(access.role);

/** The list filter: undefined for everything, else the caller's own reports (null: none). */
export const reporterFilter = (access: OrgAccess): string | null | undefined => (seesAllIncidents(access) ? undefined : access.userId);

/** Another member's incident answers 404, exactly like a missing one. */
export function assertVisible(access: OrgAccess, incident: IncidentEntity | null): asserts incident is IncidentEntity {
  if (!incident || (!seesAllIncidents(access) && (access.userId === null || incident.reportedByUserId !== access.userId))) {
    throw new DomainError('INCIDENT_NOT_FOUND', 'Incident not found');
  }
}

export function assertNotClosed(incident: IncidentEntity): void {
  if (incident.status === 'closed') {
    throw new DomainError('INCIDENT_CLOSED', `Incident ${incident.number} is closed: its record can no longer change`, {
      closedAt: incident.closedAt?.toISOString(),
    });
  }
}

/** Writes the incident guarded by its version (412 if another request changed it meanwhile) and bumps it. */
export async function saveIncident(
  repository: { updateIncidentIfVersion(em: Tx['em'], row: IncidentEntity, version: number): Promise<boolean> },
  tx: Tx,
  incident: IncidentEntity,
): Promise<void> {
  const version = incident.version;
  incident.updatedAt = new Date();
  if (!(await repository.updateIncidentIfVersion(tx.em, incident, version))) assertVersion('incident', version + 1, version);
  incident.version = version + 1;
}
