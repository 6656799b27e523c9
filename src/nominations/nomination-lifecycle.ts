/**
 * The lifecycle of a nomination (domain.md section 5), as one declarative table:
 * draft -> signed (decree number and date) -> active (registered in the ANPR console)
 * -> revoked | superseded | expired. Terminal states are final.
 */

export const NOMINATION_ROLES = ['als', 'als_deputy', 'alp', 'certificate_custodian'] as const;
export type NominationRole = (typeof NOMINATION_ROLES)[number];

export const NOMINATION_STATUSES = ['draft', 'signed', 'active', 'revoked', 'superseded', 'expired'] as const;
export type NominationStatus = (typeof NOMINATION_STATUSES)[number];

export const NOMINATION_ACTIONS = ['sign', 'activate', 'revoke', 'supersede', 'expire'] as const;
export type NominationAction = (typeof NOMINATION_ACTIONS)[number];

/** Actions a person asks for over HTTP; the others happen to a nomination as a consequence. */
export const USER_ACTIONS: readonly NominationAction[] = ['sign', 'activate', 'revoke'];

const TRANSITIONS: Readonly<Record<NominationStatus, Readonly<Partial<Record<NominationAction, NominationStatus>>>>> = {
  // A draft or a signed act never registered can be withdrawn: "revoke" with a reason.
  draft: { sign: 'signed', revoke: 'revoked' },
  // A signed act whose last day passes before it is registered expires unused.
  signed: { activate: 'active', revoke: 'revoked', expire: 'expired' },
  active: { revoke: 'revoked', supersede: 'superseded', expire: 'expired' },
  revoked: {},
  superseded: {},
  expired: {},
};

/** The status `action` leads to from `status`, or null when the table does not allow it. */
export function nextNominationStatus(status: NominationStatus, action: NominationAction): NominationStatus | null {
  return TRANSITIONS[status][action] ?? null;
}

export function allowedNominationActions(status: NominationStatus): NominationAction[] {
  return NOMINATION_ACTIONS.filter((a) => TRANSITIONS[status][a] !== undefined);
}

export const isTerminalNomination = (status: NominationStatus): boolean => allowedNominationActions(status).length === 0;

/** Roles of which only one nomination may be in force: a new one supersedes the old. */
export const SINGLE_HOLDER_ROLES: readonly NominationRole[] = ['als', 'alp'];

/** Roles whose holders can act as ALS in the console (the "at least two" rule). */
export const ALS_CAPABLE_ROLES: readonly NominationRole[] = ['als', 'als_deputy'];

/** Roles that hold administrative privileges in the ANPR console, to be removed when they end. */
export const CONSOLE_ADMIN_ROLES: readonly NominationRole[] = ['als', 'als_deputy', 'alp'];

type RenewalFields = {
  id: string;
  role: NominationRole;
  holderId: string;
  status: NominationStatus;
  effectiveFrom: string;
  effectiveUntil: string | null;
};

/**
 * Whether `candidate` renews `ending` (a nomination with a last day), so its end needs no further
 * reminder: a signed or active act for the same role - for the ALS and ALP, whoever it names (it
 * supersedes the old one); for a deputy ALS or a certificate custodian, the same person - that
 * starts no earlier and lasts longer (or has no end). Signed is enough: the new decree exists, and
 * registering it in the console is the ALS's step, not a reason to keep writing to the Mayor.
 */
export function renews(candidate: RenewalFields, ending: RenewalFields): boolean {
  if (candidate.id === ending.id || candidate.role !== ending.role || ending.effectiveUntil === null) return false;
  if (candidate.status !== 'signed' && candidate.status !== 'active') return false;
  if (!SINGLE_HOLDER_ROLES.includes(ending.role) && candidate.holderId !== ending.holderId) return false;
  return (
    candidate.effectiveFrom >= ending.effectiveFrom &&
    (candidate.effectiveUntil === null || candidate.effectiveUntil > ending.effectiveUntil)
  );
}
