import {
  NOMINATION_ACTIONS,
  NOMINATION_STATUSES,
  NominationAction,
  NominationStatus,
  allowedNominationActions,
  isTerminalNomination,
  nextNominationStatus,
  renews,
} from './nomination-lifecycle';
import { NOMINATION_ROLE_LABELS_IT, NOMINATION_STATUS_LABELS_IT } from './nomination-labels';

/* The expected table, written out by hand: a change to the lifecycle must be made here on purpose. */
const EXPECTED: Record<NominationStatus, Partial<Record<NominationAction, NominationStatus>>> = {
  draft: { sign: 'signed', revoke: 'revoked' },
  signed: { activate: 'active', revoke: 'revoked', expire: 'expired' },
  active: { revoke: 'revoked', supersede: 'superseded', expire: 'expired' },
  revoked: {},
  superseded: {},
  expired: {},
};

describe('nomination lifecycle', () => {
  const pairs = NOMINATION_STATUSES.flatMap((status) => NOMINATION_ACTIONS.map((action) => [status, action] as const));

  it('covers every (state, action) pair', () => {
    expect(pairs).toHaveLength(NOMINATION_STATUSES.length * NOMINATION_ACTIONS.length);
  });

  it.each(pairs)('%s + %s', (status, action) => {
    expect(nextNominationStatus(status, action)).toBe(EXPECTED[status][action] ?? null);
  });

  it('lists the allowed actions of each state', () => {
    for (const status of NOMINATION_STATUSES) {
      expect(allowedNominationActions(status)).toEqual(Object.keys(EXPECTED[status]).sort((a, b) => order(a) - order(b)));
    }
  });

  it('has exactly revoked, superseded and expired as terminal states', () => {
    expect(NOMINATION_STATUSES.filter(isTerminalNomination)).toEqual(['revoked', 'superseded', 'expired']);
  });

  it('can reach every state from draft', () => {
    const seen = new Set<NominationStatus>(['draft']);
    const queue: NominationStatus[] = ['draft'];
    while (queue.length) {
      const s = queue.shift()!;
      for (const a of allowedNominationActions(s)) {
        const n = nextNominationStatus(s, a)!;
        if (!seen.has(n)) queue.push(n);
        seen.add(n);
      }
    }
    expect([...seen].sort()).toEqual([...NOMINATION_STATUSES].sort());
  });

  it('has an Italian label for every status and role', () => {
    for (const s of NOMINATION_STATUSES) expect(NOMINATION_STATUS_LABELS_IT[s]).toMatch(/\S/);
    expect(Object.keys(NOMINATION_ROLE_LABELS_IT).sort()).toEqual(['alp', 'als', 'als_deputy', 'certificate_custodian']);
  });
});

function order(action: string): number {
  return NOMINATION_ACTIONS.indexOf(action as NominationAction);
}

describe(renews.name, () => {
  const ending = {
    id: 'a',
    role: 'als_deputy' as const,
    holderId: 'h1',
    status: 'active' as const,
    effectiveFrom: '2025-01-01',
    effectiveUntil: '2026-06-30',
  };
  const next = { ...ending, id: 'b', status: 'signed' as const, effectiveFrom: '2026-07-01', effectiveUntil: null };

  it('is a signed or active act for the same role and person that lasts longer', () => {
    expect(renews(next, ending)).toBe(true);
    expect(renews({ ...next, status: 'active' }, ending)).toBe(true);
    expect(renews({ ...next, effectiveUntil: '2029-06-30' }, ending)).toBe(true);
  });

  it('is not a draft, an ended act, another role, another deputy, an act that ends no later, or the nomination itself', () => {
    expect(renews({ ...next, status: 'draft' }, ending)).toBe(false);
    expect(renews({ ...next, status: 'revoked' }, ending)).toBe(false);
    expect(renews({ ...next, role: 'alp' }, ending)).toBe(false);
    expect(renews({ ...next, holderId: 'h2' }, ending)).toBe(false);
    expect(renews({ ...next, effectiveUntil: '2026-06-30' }, ending)).toBe(false);
    expect(renews({ ...next, effectiveFrom: '2024-12-31' }, ending)).toBe(false);
    expect(renews(ending, ending)).toBe(false);
    expect(renews(next, { ...ending, effectiveUntil: null })).toBe(false);
  });

  it('for the ALS and the ALP is any new act for the role, whoever it names', () => {
    expect(renews({ ...next, role: 'als', holderId: 'h2' }, { ...ending, role: 'als' })).toBe(true);
    expect(renews({ ...next, role: 'alp', holderId: 'h2' }, { ...ending, role: 'alp' })).toBe(true);
  });
});
