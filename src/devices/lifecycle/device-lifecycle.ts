/**
 * The lifecycle of every device kind (domain.md section 5), as one declarative table.
 * docs/lifecycle.md draws the same table; its spec fails when the two differ.
 */

export const DEVICE_KINDS = ['workstation_certificate', 'server_certificate', 'smart_card', 'credential'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const CERTIFICATE_STATUSES = ['issued', 'installed', 'uninstalled', 'compromised', 'revoked', 'expired'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export const SMART_CARD_STATUSES = [
  'requested',
  'in_production',
  'at_prefecture',
  'delivered_to_comune',
  'handed_to_holder',
  'active',
  'pin_blocked',
  'suspended_in_comune',
  'lost',
  'stolen',
  'defective',
  'expired',
  'blocked_replaced',
  'returned',
  'destroyed',
  'cancelled',
] as const;
export type SmartCardStatus = (typeof SMART_CARD_STATUSES)[number];

export const CREDENTIAL_STATUSES = ['enabled', 'active', 'suspended', 'compromised', 'deleted'] as const;
export type CredentialStatus = (typeof CREDENTIAL_STATUSES)[number];

/** Every status of every kind, each once. */
export const DEVICE_STATUSES = [
  ...new Set([...CERTIFICATE_STATUSES, ...SMART_CARD_STATUSES, ...CREDENTIAL_STATUSES]),
] as readonly DeviceStatus[];
export type DeviceStatus = CertificateStatus | SmartCardStatus | CredentialStatus;

export interface StatusByKind {
  workstation_certificate: CertificateStatus;
  server_certificate: CertificateStatus;
  smart_card: SmartCardStatus;
  credential: CredentialStatus;
}
export type StatusOf<K extends DeviceKind> = StatusByKind[K];

export const LIFECYCLE_ACTIONS = [
  // certificates
  'install',
  'uninstall',
  'revoke',
  // smart card supply chain
  'start_production',
  'send_to_prefecture',
  'deliver_to_comune',
  'hand_to_holder',
  'cancel',
  // use
  'activate',
  'block_pin',
  'unblock_pin',
  'suspend_in_comune',
  'suspend',
  'reinstate',
  'reset',
  // trouble and end of life
  'mark_compromised',
  'report_lost',
  'report_stolen',
  'report_defective',
  'block_and_replace',
  'expire',
  'return',
  'destroy',
  'delete',
] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

type TransitionTable<S extends string> = Readonly<Record<S, Readonly<Partial<Record<LifecycleAction, S>>>>>;

/** A live certificate can be revoked, expire or be found compromised. */
const CERTIFICATE_END = {
  revoke: 'revoked',
  expire: 'expired',
  mark_compromised: 'compromised',
} as const;

const CERTIFICATE: TransitionTable<CertificateStatus> = {
  issued: { install: 'installed', ...CERTIFICATE_END },
  installed: { uninstall: 'uninstalled', ...CERTIFICATE_END },
  uninstalled: { install: 'installed', ...CERTIFICATE_END },
  // Still valid at the CA until revoked; its expiry changes nothing here: the revocation task
  // and the incident carry the case.
  compromised: { revoke: 'revoked' },
  revoked: {},
  expired: {},
};

/** What can happen to a card that exists in the Comune's or the holder's hands. */
const CARD_IN_HAND = {
  report_lost: 'lost',
  report_stolen: 'stolen',
  report_defective: 'defective',
  expire: 'expired',
  return: 'returned',
  destroy: 'destroyed',
} as const;

/** A card that no longer works is still a physical object until returned or destroyed. */
const CARD_DISPOSAL = { return: 'returned', destroy: 'destroyed' } as const;

const SMART_CARD: TransitionTable<SmartCardStatus> = {
  requested: { start_production: 'in_production', cancel: 'cancelled' },
  in_production: { send_to_prefecture: 'at_prefecture', cancel: 'cancelled' },
  at_prefecture: { deliver_to_comune: 'delivered_to_comune', cancel: 'cancelled' },
  delivered_to_comune: { hand_to_holder: 'handed_to_holder', ...CARD_IN_HAND },
  handed_to_holder: { activate: 'active', ...CARD_IN_HAND },
  active: { block_pin: 'pin_blocked', suspend_in_comune: 'suspended_in_comune', ...CARD_IN_HAND },
  pin_blocked: { unblock_pin: 'active', suspend_in_comune: 'suspended_in_comune', ...CARD_IN_HAND },
  // The holder left: the card is the person's and keeps working elsewhere; if they come back
  // to this Comune it is enabled again here (reinstate).
  suspended_in_comune: { reinstate: 'active', ...CARD_IN_HAND },
  lost: { block_and_replace: 'blocked_replaced' },
  stolen: { block_and_replace: 'blocked_replaced' },
  defective: CARD_DISPOSAL,
  expired: CARD_DISPOSAL,
  blocked_replaced: {},
  returned: {},
  destroyed: {},
  cancelled: {},
};

const CREDENTIAL: TransitionTable<CredentialStatus> = {
  enabled: {
    activate: 'active',
    suspend: 'suspended',
    mark_compromised: 'compromised',
    delete: 'deleted',
  },
  active: { suspend: 'suspended', mark_compromised: 'compromised', delete: 'deleted' },
  suspended: { reinstate: 'active', mark_compromised: 'compromised', delete: 'deleted' },
  // Unusable until the password or binding is reset (reset) or the account deleted.
  compromised: { reset: 'active', delete: 'deleted' },
  deleted: {},
};

export const LIFECYCLE: { readonly [K in DeviceKind]: TransitionTable<StatusOf<K>> } = {
  workstation_certificate: CERTIFICATE,
  server_certificate: CERTIFICATE,
  smart_card: SMART_CARD,
  credential: CREDENTIAL,
};

export const INITIAL_STATUS: { readonly [K in DeviceKind]: StatusOf<K> } = {
  workstation_certificate: 'issued',
  server_certificate: 'issued',
  smart_card: 'requested',
  credential: 'enabled',
};

/** Final: no action leaves them. */
export const TERMINAL_STATUSES: { readonly [K in DeviceKind]: readonly StatusOf<K>[] } = {
  workstation_certificate: ['revoked', 'expired'],
  server_certificate: ['revoked', 'expired'],
  smart_card: ['blocked_replaced', 'returned', 'destroyed', 'cancelled'],
  credential: ['deleted'],
};

/**
 * The device works, or can be put to work, in this Comune: its expiry matters and reminders
 * run. A card still being produced is not live yet; a card suspended in the Comune belongs to a
 * holder who left (their new Comune reminds them); a suspended credential can be reinstated, so
 * it stays live.
 */
export const LIVE_STATUSES: { readonly [K in DeviceKind]: readonly StatusOf<K>[] } = {
  workstation_certificate: ['issued', 'installed', 'uninstalled'],
  server_certificate: ['issued', 'installed', 'uninstalled'],
  smart_card: ['delivered_to_comune', 'handed_to_holder', 'active', 'pin_blocked'],
  credential: ['enabled', 'active', 'suspended'],
};

const STATUSES: { readonly [K in DeviceKind]: readonly StatusOf<K>[] } = {
  workstation_certificate: CERTIFICATE_STATUSES,
  server_certificate: CERTIFICATE_STATUSES,
  smart_card: SMART_CARD_STATUSES,
  credential: CREDENTIAL_STATUSES,
};

export function statusesOf<K extends DeviceKind>(kind: K): readonly StatusOf<K>[] {
  return STATUSES[kind];
}

export function isStatusOf<K extends DeviceKind>(kind: K, status: string): status is StatusOf<K> {
  return (STATUSES[kind] as readonly string[]).includes(status);
}

/** The status `action` leads to, or null when the action is not allowed from `from`. */
export function nextStatus<K extends DeviceKind>(kind: K, from: DeviceStatus, action: LifecycleAction): StatusOf<K> | null {
  if (!isStatusOf(kind, from)) return null;
  const row: Partial<Record<LifecycleAction, StatusOf<K>>> = LIFECYCLE[kind][from];
  return Object.prototype.hasOwnProperty.call(row, action) ? (row[action] ?? null) : null;
}

/** Allowed actions from `from`, in the order of LIFECYCLE_ACTIONS. */
export function allowedActions(kind: DeviceKind, from: DeviceStatus): LifecycleAction[] {
  return LIFECYCLE_ACTIONS.filter((action) => nextStatus(kind, from, action) !== null);
}

export function isTerminal(kind: DeviceKind, status: DeviceStatus): boolean {
  return (TERMINAL_STATUSES[kind] as readonly DeviceStatus[]).includes(status);
}

export function isLive(kind: DeviceKind, status: DeviceStatus): boolean {
  return (LIVE_STATUSES[kind] as readonly DeviceStatus[]).includes(status);
}

// Reasons -------------------------------------------------------------------------------------

/** Why a certificate was revoked ("Cancella" in the console). */
export const REVOCATION_REASONS = ['replaced', 'dismissed', 'compromised', 'duplicate'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** Why a holder left (leaver flow); `other` needs a note saying what happened. */
export const LEAVER_REASONS = ['transfer', 'retirement', 'death', 'resignation', 'dismissal', 'end_of_assignment', 'other'] as const;
export type LeaverReason = (typeof LEAVER_REASONS)[number];

/** Why a credential was deleted: a leaver, or the account is simply no longer needed. */
export const CREDENTIAL_DELETION_REASONS = [...LEAVER_REASONS, 'no_longer_needed'] as const;
export type CredentialDeletionReason = (typeof CREDENTIAL_DELETION_REASONS)[number];

/** A required reason: one of `codes`, or free text when `codes` is absent. */
export interface ReasonRule {
  codes?: readonly string[];
}

type ReasonTable = {
  readonly [K in DeviceKind]: Readonly<Partial<Record<LifecycleAction, ReasonRule>>>;
};

const CERTIFICATE_REASONS = {
  revoke: { codes: REVOCATION_REASONS },
  mark_compromised: {},
} as const;

/** Actions that need a reason; any other action takes an optional free-text note. */
export const REASON_RULES: ReasonTable = {
  workstation_certificate: CERTIFICATE_REASONS,
  server_certificate: CERTIFICATE_REASONS,
  smart_card: {
    cancel: {},
    suspend_in_comune: { codes: LEAVER_REASONS },
    report_lost: {},
    report_stolen: {},
    report_defective: {},
  },
  credential: {
    suspend: {},
    mark_compromised: {},
    delete: { codes: CREDENTIAL_DELETION_REASONS },
  },
};

export function requiresReason(kind: DeviceKind, action: LifecycleAction): boolean {
  return REASON_RULES[kind][action] !== undefined;
}

/** The allowed reason codes, or null when the reason is free text or not required. */
export function reasonCodes(kind: DeviceKind, action: LifecycleAction): readonly string[] | null {
  return REASON_RULES[kind][action]?.codes ?? null;
}

/** Whether `reason` satisfies the action's rule (a blank reason counts as missing). */
export function isAcceptableReason(kind: DeviceKind, action: LifecycleAction, reason: string | null | undefined): boolean {
  const rule = REASON_RULES[kind][action];
  if (rule === undefined) return true;
  if (reason === null || reason === undefined || reason.trim() === '') return false;
  return rule.codes === undefined || rule.codes.includes(reason);
}

// Side effects --------------------------------------------------------------------------------

/**
 * What the devices service must start besides the status change.
 * - revocation_task: ask the console or the Ministry to revoke or block (the Comune cannot do it
 *   itself; tracked requested -> acknowledged -> confirmed). Its confirmation is recorded with
 *   `revoke` (certificate) or `block_and_replace` (card).
 * - replacement_request: a new device must be requested; it becomes the old one's successor.
 * - incident: open an incident in the register.
 * - immediate_suspension: disable the account in the console or system now, before anything else.
 * - handover_receipt: the transition is evidenced by a signed receipt (verbale di consegna).
 * Reminders need no hint: they stop whenever the new status is not live.
 */
export const SIDE_EFFECTS = ['revocation_task', 'replacement_request', 'incident', 'immediate_suspension', 'handover_receipt'] as const;
export type LifecycleSideEffect = (typeof SIDE_EFFECTS)[number];

type SideEffectTable = {
  readonly [K in DeviceKind]: Readonly<Partial<Record<LifecycleAction, readonly LifecycleSideEffect[]>>>;
};

const CERTIFICATE_SIDE_EFFECTS = {
  mark_compromised: ['revocation_task', 'incident'],
} as const;

export const SIDE_EFFECTS_OF: SideEffectTable = {
  workstation_certificate: CERTIFICATE_SIDE_EFFECTS,
  server_certificate: CERTIFICATE_SIDE_EFFECTS,
  smart_card: {
    hand_to_holder: ['handover_receipt'],
    report_lost: ['revocation_task', 'replacement_request'],
    report_stolen: ['revocation_task', 'replacement_request', 'incident'],
    report_defective: ['replacement_request'],
    return: ['handover_receipt'],
  },
  credential: {
    // Disclosed to a caller (Circolare DAIT 74/2025): suspend at once, open an incident.
    mark_compromised: ['immediate_suspension', 'incident'],
  },
};

export function sideEffectsOf(kind: DeviceKind, action: LifecycleAction): readonly LifecycleSideEffect[] {
  return SIDE_EFFECTS_OF[kind][action] ?? [];
}

function actionsWith(kind: DeviceKind, effect: LifecycleSideEffect): readonly LifecycleAction[] {
  return LIFECYCLE_ACTIONS.filter((action) => sideEffectsOf(kind, action).includes(effect));
}

/** Per kind, the actions after which a revocation task must be opened. */
export const ACTIONS_CREATING_REVOCATION_TASK: {
  readonly [K in DeviceKind]: readonly LifecycleAction[];
} = {
  workstation_certificate: actionsWith('workstation_certificate', 'revocation_task'),
  server_certificate: actionsWith('server_certificate', 'revocation_task'),
  smart_card: actionsWith('smart_card', 'revocation_task'),
  credential: actionsWith('credential', 'revocation_task'),
};
