import { daysBetween } from '../common/time';
import { NOMINATION_ROLE_SHORT_IT, italianDate } from './nomination-labels';
import { ALS_CAPABLE_ROLES, CONSOLE_ADMIN_ROLES, NominationRole } from './nomination-lifecycle';
import type { NominationScope } from './nomination.entity';

/** Stable codes: clients switch on them; docs/nominations.md describes each. */
export const COVERAGE_CODES = [
  'ALS_VACANT',
  'ALS_FEWER_THAN_TWO',
  'ALP_VACANT',
  'NOMINEE_LEAVER',
  'NOMINEE_WITHOUT_SMART_CARD',
  'CERTIFICATE_WITHOUT_CUSTODIAN',
  'CERTIFICATE_CUSTODIAN_WITHOUT_ACT',
  'NOMINATION_EXPIRING',
] as const;
export type CoverageCode = (typeof COVERAGE_CODES)[number];

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type CoverageSeverity = (typeof SEVERITIES)[number];

export const DEFAULT_COVERAGE_WINDOW_DAYS = 90;

export interface CoverageCheck {
  code: CoverageCode;
  severity: CoverageSeverity;
  message: string;
  nominationId?: string;
  holderId?: string;
  deviceId?: string;
}

export interface ActiveNominationFact {
  id: string;
  role: NominationRole;
  holderId: string;
  holderName: string;
  holderLeft: boolean;
  hasActiveSmartCard: boolean;
  /** e.g. "Decreto sindacale n. 12/2025" */
  act: string;
  effectiveUntil: string | null;
  scope: NominationScope | null;
}

export interface CertificateFact {
  id: string;
  label: string;
  workstationId: string | null;
  inventoryCustodianId: string | null;
}

export interface CoverageFacts {
  today: string;
  windowDays: number;
  active: ActiveNominationFact[];
  certificates: CertificateFact[];
}

const SEVERITY_ORDER: Record<CoverageSeverity, number> = { critical: 0, warning: 1, info: 2 };

/** What is missing in the Comune's security roles, from facts read in one snapshot. */
export function computeCoverage(facts: CoverageFacts): CoverageCheck[] {
  const checks: CoverageCheck[] = [];
  const { active } = facts;
  const roleOf = (n: ActiveNominationFact) => NOMINATION_ROLE_SHORT_IT[n.role];

  if (!active.some((n) => n.role === 'als')) {
    checks.push({
      code: 'ALS_VACANT',
      severity: 'critical',
      message: 'Il ruolo di Amministratore locale della sicurezza (ALS) è vacante: nessuna nomina è in vigore.',
    });
  }
  const alsCapable = new Set(active.filter((n) => ALS_CAPABLE_ROLES.includes(n.role) && !n.holderLeft).map((n) => n.holderId));
  if (alsCapable.size < 2) {
    const who = alsCapable.size === 0 ? 'Nessuna persona può' : 'Una sola persona può';
    checks.push({
      code: 'ALS_FEWER_THAN_TWO',
      severity: 'warning',
      message: `${who} operare come ALS (titolare e vicari in vigore, in servizio): ne servono almeno due, perché la perdita della smart card di uno non blocchi il Comune.`,
    });
  }
  if (!active.some((n) => n.role === 'alp')) {
    checks.push({
      code: 'ALP_VACANT',
      severity: 'warning',
      message: 'Il ruolo di Amministratore locale delle postazioni (ALP) è vacante: nessuna nomina è in vigore.',
    });
  }

  for (const n of active) {
    if (n.holderLeft) {
      checks.push({
        code: 'NOMINEE_LEAVER',
        severity: 'critical',
        message: `${n.holderName}, nominato ${roleOf(n)} (${n.act}), risulta cessato dal servizio: revocare la nomina e nominare un sostituto.`,
        nominationId: n.id,
        holderId: n.holderId,
      });
    } else if (CONSOLE_ADMIN_ROLES.includes(n.role) && !n.hasActiveSmartCard) {
      checks.push({
        code: 'NOMINEE_WITHOUT_SMART_CARD',
        severity: 'warning',
        message: `${n.holderName}, nominato ${roleOf(n)} (${n.act}), non ha una smart card attiva: non può operare nella consolle ANPR.`,
        nominationId: n.id,
        holderId: n.holderId,
      });
    }
    if (n.effectiveUntil !== null) {
      const days = daysBetween(facts.today, n.effectiveUntil);
      if (days >= 0 && days <= facts.windowDays) {
        const when = days === 0 ? 'oggi' : days === 1 ? 'domani' : `tra ${days} giorni`;
        checks.push({
          code: 'NOMINATION_EXPIRING',
          severity: 'warning',
          message: `La nomina di ${n.holderName} come ${roleOf(n)} (${n.act}) scade il ${italianDate(n.effectiveUntil)} (${when}).`,
          nominationId: n.id,
          holderId: n.holderId,
        });
      }
    }
  }

  const custodians = active.filter((n) => n.role === 'certificate_custodian' && !n.holderLeft);
  const coveredCertificates = new Set(custodians.flatMap((n) => n.scope?.certificateIds ?? []));
  const coveredWorkstations = new Set(custodians.flatMap((n) => n.scope?.workstationIds ?? []));
  for (const c of facts.certificates) {
    const byAct = coveredCertificates.has(c.id) || (c.workstationId !== null && coveredWorkstations.has(c.workstationId));
    if (byAct) continue;
    if (c.inventoryCustodianId === null) {
      checks.push({
        code: 'CERTIFICATE_WITHOUT_CUSTODIAN',
        severity: 'warning',
        message: `Il certificato di postazione ${c.label} non ha un responsabile: nominarne uno.`,
        deviceId: c.id,
      });
    } else {
      checks.push({
        code: 'CERTIFICATE_CUSTODIAN_WITHOUT_ACT',
        severity: 'info',
        message: `Il certificato di postazione ${c.label} ha un responsabile nell'inventario ma nessun atto di nomina in vigore.`,
        deviceId: c.id,
        holderId: c.inventoryCustodianId,
      });
    }
  }

  return checks
    .map((check, index) => ({ check, index }))
    .sort((a, b) => SEVERITY_ORDER[a.check.severity] - SEVERITY_ORDER[b.check.severity] || a.index - b.index)
    .map(({ check }) => check);
}
