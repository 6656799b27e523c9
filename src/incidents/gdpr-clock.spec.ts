import { clockStopped, clockView, deadlineOf, reminderTimes } from './gdpr-clock';

describe('GDPR clock', () => {
  const awareAt = new Date('2026-03-28T10:00:00Z');
  const base = {
    awareAt,
    deadlineAt: deadlineOf(awareAt),
    assessment: null,
    assessedAt: null,
    preliminaryNotifiedAt: null,
    completeNotifiedAt: null,
  };

  it('runs 72 hours from becoming aware, across the change to summer time', () => {
    expect(deadlineOf(awareAt).toISOString()).toBe('2026-03-31T10:00:00.000Z');
    expect(reminderTimes(awareAt).map((r) => [r.hours, r.dueAt.toISOString()])).toEqual([
      [24, '2026-03-29T10:00:00.000Z'],
      [48, '2026-03-30T10:00:00.000Z'],
      [66, '2026-03-31T04:00:00.000Z'],
    ]);
  });

  it('shows the hours left in Rome time, then overdue', () => {
    const sut = clockView;
    expect(sut(base, new Date('2026-03-30T09:30:00Z'))).toEqual({
      hoursLeft: 24,
      overdue: false,
      label: 'Scadenza delle 72 ore: 31/03/2026 12:00 (mancano 24 ore)',
    });
    expect(sut(base, new Date('2026-03-31T11:00:00Z'))).toMatchObject({ hoursLeft: -1, overdue: true });
  });

  it('stops when the Garante is notified or a reasoned decision not to notify is recorded', () => {
    const notified = { ...base, preliminaryNotifiedAt: new Date('2026-03-30T08:00:00Z') };
    expect(clockStopped(notified)).toBe(true);
    expect(clockView(notified, new Date('2026-04-02T00:00:00Z'))).toMatchObject({
      overdue: false,
      label: 'Notificata al Garante il 30/03/2026 10:00',
    });
    const decided = { ...base, assessment: 'no_notify' as const, assessedAt: new Date('2026-03-29T08:00:00Z') };
    expect(clockView(decided, new Date('2026-04-02T00:00:00Z')).overdue).toBe(false);
    expect(clockStopped({ ...base, assessment: 'notify' as const })).toBe(false);
  });
});
