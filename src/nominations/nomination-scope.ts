import { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { NominationRole } from './nomination-lifecycle';
import { NominationScope } from './nomination.entity';
import { NominationsRepository } from './nominations.repository';

/**
 * A certificate custodian names what they answer for (certificates of this Comune, or its
 * workstations); the other roles have no scope.
 */
export async function checkedScope(
  em: EntityManager,
  repository: NominationsRepository,
  organizationId: string,
  role: NominationRole,
  scope: NominationScope | undefined,
): Promise<NominationScope | null> {
  const certificateIds = [...new Set(scope?.certificateIds ?? [])];
  const workstationIds = [...new Set(scope?.workstationIds ?? [])];
  if (role !== 'certificate_custodian') {
    if (certificateIds.length + workstationIds.length > 0) {
      throw new DomainError('NOMINATION_SCOPE_INVALID', 'Only a certificate custodian nomination has a scope');
    }
    return null;
  }
  if (certificateIds.length + workstationIds.length === 0) {
    throw new DomainError('NOMINATION_SCOPE_INVALID', 'Name the certificates or workstations the custodian answers for');
  }
  const certificates = await repository.certificateLabels(em, organizationId, certificateIds);
  const workstations = await repository.workstationCodes(em, organizationId, workstationIds);
  const unknown = [...certificateIds.filter((c) => !certificates.has(c)), ...workstationIds.filter((w) => !workstations.has(w))];
  if (unknown.length > 0) {
    throw new DomainError('NOMINATION_SCOPE_INVALID', 'Some certificates or workstations are not in this Comune', { unknown });
  }
  return { certificateIds, workstationIds };
}
