import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ACTIONS_CREATING_REVOCATION_TASK,
  DEVICE_KINDS,
  DEVICE_STATUSES,
  DeviceKind,
  INITIAL_STATUS,
  LIFECYCLE_ACTIONS,
  LIVE_STATUSES,
  LifecycleAction,
  TERMINAL_STATUSES,
  allowedActions,
  isAcceptableReason,
  isLive,
  isTerminal,
  nextStatus,
  reasonCodes,
  requiresReason,
  sideEffectsOf,
  statusesOf,
} from './device-lifecycle';
import { ACTION_LABELS_IT, KIND_LABELS_IT, STATUS_LABELS_IT, statusLabelIt } from './lifecycle-labels';

/*
 * The expected lifecycle, written out by hand. Any change to the table in device-lifecycle.ts
 * must be made here too, on purpose.
 */
type Expected = Record<string, Record<string, string>>;

const CERTIFICATE: Expected = {
  issued: {
    install: 'installed',
    revoke: 'revoked',
    expire: 'expired',
    mark_compromised: 'compromised',
  },
  installed: {
    uninstall: 'uninstalled',
    revoke: 'revoked',
    expire: 'expired',
    mark_compromised: 'compromised',
  },
  uninstalled: {
    install: 'installed',
    revoke: 'revoked',
    expire: 'expired',
    mark_compromised: 'compromised',
  },
  compromised: { revoke: 'revoked' },
  revoked: {},
  expired: {},
};

const SMART_CARD: Expected = {
  requested: { start_production: 'in_production', cancel: 'cancelled' },
  in_production: { send_to_prefecture: 'at_prefecture', cancel: 'cancelled' },
  at_prefecture: { deliver_to_comune: 'delivered_to_comune', cancel: 'cancelled' },
  delivered_to_comune: {
    hand_to_holder: 'handed_to_holder',
    report_lost: 'lost',
    report_stolen: 'stolen',
    report_defective: 'defective',
    expire: 'expired',
    return: 'returned',
    destroy: 'destroyed',
  },
  handed_to_holder: {
    activate: 'active',
    report_lost: 'lost',
    report_stolen: 'stolen',
    report_defective: 'defective',
    expire: 'expired',
    return: 'returned',
    destroy: 'destroyed',
  },
  active: {
    block_pin: 'pin_blocked',
    suspend_in_comune: 'suspended_in_comune',
    report_lost: 'lost',
    report_stolen: 'stolen',
    report_defective: 'defective',
    expire: 'expired',
    return: 'returned',
    destroy: 'destroyed',
  },
  pin_blocked: {
    unblock_pin: 'active',
    suspend_in_comune: 'suspended_in_comune',
    report_lost: 'lost',
    report_stolen: 'stolen',
    report_defective: 'defective',
    expire: 'expired',
    return: 'returned',
    destroy: 'destroyed',
  },
  suspended_in_comune: {
    reinstate: 'active',
    report_lost: 'lost',
    report_stolen: 'stolen',
    report_defective: 'defective',
    expire: 'expired',
    return: 'returned',
    destroy: 'destroyed',
  },
  lost: { block_and_replace: 'blocked_replaced' },
  stolen: { block_and_replace: 'blocked_replaced' },
  defective: { return: 'returned', destroy: 'destroyed' },
  expired: { return: 'returned', destroy: 'destroyed' },
  blocked_replaced: {},
  returned: {},
  destroyed: {},
  cancelled: {},
};

const CREDENTIAL: Expected = {
  enabled: {
    activate: 'active',
    suspend: 'suspended',
    mark_compromised: 'compromised',
    delete: 'deleted',
  },
  active: { suspend: 'suspended', mark_compromised: 'compromised', delete: 'deleted' },
  suspended: { reinstate: 'active', mark_compromised: 'compromised', delete: 'deleted' },
  compromised: { reset: 'active', delete: 'deleted' },
  deleted: {},
};

const EXPECTED: Record<DeviceKind, Expected> = {
  workstation_certificate: CERTIFICATE,
  server_certificate: CERTIFICATE,
  smart_card: SMART_CARD,
  credential: CREDENTIAL,
};

const EXPECTED_ACTIONS = [
  'install',
  'uninstall',
  'revoke',
  'start_production',
  'send_to_prefecture',
  'deliver_to_comune',
  'hand_to_holder',
  'cancel',
  'activate',
  'block_pin',
  'unblock_pin',
  'suspend_in_comune',
  'suspend',
  'reinstate',
  'reset',
  'mark_compromised',
  'report_lost',
  'report_stolen',
  'report_defective',
  'block_and_replace',
  'expire',
  'return',
  'destroy',
  'delete',
];

const EXPECTED_TERMINAL: Record<DeviceKind, string[]> = {
  workstation_certificate: ['revoked', 'expired'],
  server_certificate: ['revoked', 'expired'],
  smart_card: ['blocked_replaced', 'returned', 'destroyed', 'cancelled'],
  credential: ['deleted'],
};

const EXPECTED_LIVE: Record<DeviceKind, string[]> = {
  workstation_certificate: ['issued', 'installed', 'uninstalled'],
  server_certificate: ['issued', 'installed', 'uninstalled'],
  smart_card: ['delivered_to_comune', 'handed_to_holder', 'active', 'pin_blocked'],
  credential: ['enabled', 'active', 'suspended'],
};

const LEAVER = ['transfer', 'retirement', 'death', 'resignation', 'dismissal', 'end_of_assignment', 'other'];
const CERTIFICATE_REASONS: Record<string, string[] | 'free text'> = {
  revoke: ['replaced', 'dismissed', 'compromised', 'duplicate'],
  mark_compromised: 'free text',
};
/** Actions that require a reason: the allowed codes, or 'free text'. */
const EXPECTED_REASONS: Record<DeviceKind, Record<string, string[] | 'free text'>> = {
  workstation_certificate: CERTIFICATE_REASONS,
  server_certificate: CERTIFICATE_REASONS,
  smart_card: {
    cancel: 'free text',
    suspend_in_comune: LEAVER,
    report_lost: 'free text',
    report_stolen: 'free text',
    report_defective: 'free text',
  },
  credential: {
    suspend: 'free text',
    mark_compromised: 'free text',
    delete: [...LEAVER, 'no_longer_needed'],
  },
};

const CERTIFICATE_EFFECTS = { mark_compromised: ['revocation_task', 'incident'] };
const EXPECTED_EFFECTS: Record<DeviceKind, Record<string, string[]>> = {
  workstation_certificate: CERTIFICATE_EFFECTS,
  server_certificate: CERTIFICATE_EFFECTS,
  smart_card: {
    hand_to_holder: ['handover_receipt'],
    report_lost: ['revocation_task', 'replacement_request'],
    report_stolen: ['revocation_task', 'replacement_request', 'incident'],
    report_defective: ['replacement_request'],
    return: ['handover_receipt'],
  },
  credential: { mark_compromised: ['immediate_suspension', 'incident'] },
};

describe('device lifecycle', () => {
  it('lists the kinds and actions', () => {
    expect(DEVICE_KINDS).toEqual(['workstation_certificate', 'server_certificate', 'smart_card', 'credential']);
    expect(LIFECYCLE_ACTIONS).toEqual(EXPECTED_ACTIONS);
  });

  it.each(DEVICE_KINDS)('%s has exactly the expected statuses', (kind) => {
    expect(statusesOf(kind)).toEqual(Object.keys(EXPECTED[kind]));
  });

  it('DEVICE_STATUSES is the union of every kind, each once', () => {
    const union = new Set(DEVICE_KINDS.flatMap((kind) => Object.keys(EXPECTED[kind])));
    expect([...DEVICE_STATUSES].sort()).toEqual([...union].sort());
  });

  describe.each(DEVICE_KINDS)('%s', (kind) => {
    it('answers every (status, action) pair as expected, statuses of other kinds included', () => {
      const actual: Record<string, Record<string, string | null>> = {};
      const expected: Record<string, Record<string, string | null>> = {};
      for (const status of DEVICE_STATUSES) {
        actual[status] = {};
        expected[status] = {};
        for (const action of LIFECYCLE_ACTIONS) {
          actual[status][action] = nextStatus(kind, status, action);
          expected[status][action] = EXPECTED[kind][status]?.[action] ?? null;
        }
      }
      expect(actual).toEqual(expected);
    });

    it('allowedActions lists the expected actions in LIFECYCLE_ACTIONS order', () => {
      for (const status of DEVICE_STATUSES) {
        const expected = LIFECYCLE_ACTIONS.filter((a) => EXPECTED[kind][status]?.[a] !== undefined);
        expect({ status, actions: allowedActions(kind, status) }).toEqual({
          status,
          actions: expected,
        });
      }
    });

    it('terminal statuses are exactly those without actions', () => {
      expect(TERMINAL_STATUSES[kind]).toEqual(EXPECTED_TERMINAL[kind]);
      for (const status of statusesOf(kind)) {
        const terminal = EXPECTED_TERMINAL[kind].includes(status);
        expect({ status, terminal: isTerminal(kind, status) }).toEqual({ status, terminal });
        expect({ status, hasActions: allowedActions(kind, status).length > 0 }).toEqual({
          status,
          hasActions: !terminal,
        });
      }
    });

    it('live statuses are the expected ones and never terminal', () => {
      expect(LIVE_STATUSES[kind]).toEqual(EXPECTED_LIVE[kind]);
      for (const status of statusesOf(kind)) {
        expect(isLive(kind, status)).toBe(EXPECTED_LIVE[kind].includes(status));
        if (isLive(kind, status)) expect(isTerminal(kind, status)).toBe(false);
      }
    });

    it('every status is reachable from the initial one', () => {
      const reached = new Set<string>([INITIAL_STATUS[kind]]);
      const queue: string[] = [INITIAL_STATUS[kind]];
      while (queue.length > 0) {
        const from = queue.shift() as (typeof DEVICE_STATUSES)[number];
        for (const action of allowedActions(kind, from)) {
          const to = nextStatus(kind, from, action) as string;
          if (!reached.has(to)) {
            reached.add(to);
            queue.push(to);
          }
        }
      }
      expect([...reached].sort()).toEqual([...statusesOf(kind)].sort());
    });

    it('requires reasons exactly where expected', () => {
      for (const action of LIFECYCLE_ACTIONS) {
        const rule = EXPECTED_REASONS[kind][action];
        expect({ action, required: requiresReason(kind, action) }).toEqual({
          action,
          required: rule !== undefined,
        });
        expect({ action, codes: reasonCodes(kind, action) }).toEqual({
          action,
          codes: Array.isArray(rule) ? rule : null,
        });
      }
    });

    it('hints side effects exactly where expected', () => {
      for (const action of LIFECYCLE_ACTIONS) {
        expect({ action, effects: sideEffectsOf(kind, action) }).toEqual({
          action,
          effects: EXPECTED_EFFECTS[kind][action] ?? [],
        });
      }
    });

    it('has reasons and side effects only for actions the kind uses', () => {
      const used = new Set(statusesOf(kind).flatMap((s) => allowedActions(kind, s)));
      const ruled = LIFECYCLE_ACTIONS.filter((a) => requiresReason(kind, a) || sideEffectsOf(kind, a).length > 0);
      expect(ruled.filter((a) => !used.has(a))).toEqual([]);
    });
  });

  it('initial statuses', () => {
    expect(INITIAL_STATUS).toEqual({
      workstation_certificate: 'issued',
      server_certificate: 'issued',
      smart_card: 'requested',
      credential: 'enabled',
    });
  });

  it('every action is used by some kind', () => {
    const used = new Set(DEVICE_KINDS.flatMap((k) => statusesOf(k).flatMap((s) => allowedActions(k, s))));
    expect(LIFECYCLE_ACTIONS.filter((a) => !used.has(a))).toEqual([]);
  });

  it('lists the actions that open a revocation task', () => {
    expect(ACTIONS_CREATING_REVOCATION_TASK).toEqual({
      workstation_certificate: ['mark_compromised'],
      server_certificate: ['mark_compromised'],
      smart_card: ['report_lost', 'report_stolen'],
      credential: [],
    });
  });

  describe(isAcceptableReason.name, () => {
    it.each<[DeviceKind, LifecycleAction, string | null | undefined, boolean]>([
      ['workstation_certificate', 'revoke', 'replaced', true],
      ['server_certificate', 'revoke', 'duplicate', true],
      ['workstation_certificate', 'revoke', 'lost', false],
      ['workstation_certificate', 'revoke', undefined, false],
      ['workstation_certificate', 'mark_compromised', 'Password del .p12 dettata al telefono', true],
      ['workstation_certificate', 'mark_compromised', '   ', false],
      ['workstation_certificate', 'install', undefined, true],
      ['smart_card', 'suspend_in_comune', 'transfer', true],
      ['smart_card', 'suspend_in_comune', 'holiday', false],
      ['smart_card', 'report_stolen', null, false],
      ['smart_card', 'destroy', null, true],
      ['credential', 'delete', 'no_longer_needed', true],
      ['credential', 'delete', 'death', true],
      ['credential', 'delete', '', false],
      ['credential', 'reinstate', undefined, true],
    ])('%s %s with %j -> %s', (kind, action, reason, ok) => {
      expect(isAcceptableReason(kind, action, reason)).toBe(ok);
    });
  });

  describe('Italian labels', () => {
    it.each(DEVICE_KINDS)('%s: every status has a label, distinct within the kind', (kind) => {
      const labels = statusesOf(kind).map((s) => statusLabelIt(kind, s));
      expect(labels.every((l) => l.trim().length > 0)).toBe(true);
      expect(new Set(labels).size).toBe(labels.length);
      expect(Object.keys(STATUS_LABELS_IT[kind]).sort()).toEqual([...statusesOf(kind)].sort());
      expect(KIND_LABELS_IT[kind]).toBeTruthy();
    });

    it('agrees with the noun and uses the console words', () => {
      expect(statusLabelIt('smart_card', 'active')).toBe('Attiva');
      expect(statusLabelIt('smart_card', 'in_production')).toBe('In lavorazione');
      expect(statusLabelIt('smart_card', 'expired')).toBe('Scaduta');
      expect(statusLabelIt('workstation_certificate', 'expired')).toBe('Scaduto');
    });

    it('every action has a distinct label', () => {
      const labels = LIFECYCLE_ACTIONS.map((a) => ACTION_LABELS_IT[a]);
      expect(labels.every((l) => l.trim().length > 0)).toBe(true);
      expect(new Set(labels).size).toBe(labels.length);
    });
  });

  describe('docs/lifecycle.md', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/lifecycle.md'), 'utf8');
    const diagrams = [...doc.matchAll(/<!-- lifecycle: ([a-z_ ]+) -->\n```mermaid\n([\s\S]*?)```/g)];

    it('has one diagram for every kind', () => {
      const kinds = diagrams.flatMap((d) => d[1].trim().split(' '));
      expect(kinds.sort()).toEqual([...DEVICE_KINDS].sort());
    });

    it.each(DEVICE_KINDS)('the diagram of %s draws the table', (kind) => {
      const diagram = diagrams.find((d) => d[1].trim().split(' ').includes(kind));
      const drawn = (diagram?.[2] ?? '')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.includes('-->'))
        .sort();
      const table = [
        `[*] --> ${INITIAL_STATUS[kind]}`,
        ...statusesOf(kind).flatMap((from) =>
          allowedActions(kind, from).map((action) => `${from} --> ${nextStatus(kind, from, action)} : ${action}`),
        ),
        ...TERMINAL_STATUSES[kind].map((status) => `${status} --> [*]`),
      ].sort();
      expect(drawn).toEqual(table);
    });
  });
});
