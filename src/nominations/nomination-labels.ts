import type { ActType, NominationEntity } from './nomination.entity';
import type { NominationRole, NominationStatus } from './nomination-lifecycle';

/** Italian labels shown to the Mayor's office and printed in the register. */
export const NOMINATION_ROLE_LABELS_IT: Record<NominationRole, string> = {
  als: 'Amministratore locale della sicurezza (ALS)',
  als_deputy: 'Vice amministratore locale della sicurezza (ALS vicario)',
  alp: 'Amministratore locale delle postazioni (ALP)',
  certificate_custodian: 'Responsabile del certificato di postazione',
};

export const NOMINATION_ROLE_SHORT_IT: Record<NominationRole, string> = {
  als: 'ALS',
  als_deputy: 'ALS vicario',
  alp: 'ALP',
  certificate_custodian: 'Responsabile certificato',
};

export const NOMINATION_STATUS_LABELS_IT: Record<NominationStatus, string> = {
  draft: 'Bozza',
  signed: 'Firmata',
  active: 'In vigore',
  revoked: 'Revocata',
  superseded: 'Sostituita',
  expired: 'Scaduta',
};

export const ACT_TYPE_LABELS_IT: Record<ActType, string> = {
  decreto_sindacale: 'Decreto sindacale',
  protocollo: 'Atto protocollato',
  determina: 'Determina',
  altro: 'Altro atto',
};

/** 'YYYY-MM-DD' as the Italian 'DD/MM/YYYY'. */
export function italianDate(day: string | null): string {
  if (!day) return '';
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

/** e.g. "Decreto sindacale n. 12/2025 del 01/10/2025" */
export const actLabel = (n: Pick<NominationEntity, 'actType' | 'actNumber' | 'actDate'>): string =>
  `${ACT_TYPE_LABELS_IT[n.actType]} n. ${n.actNumber} del ${italianDate(n.actDate)}`;
