import { WorkingDayCalendar, addDays, daysBetween, romeDate, romeInstant } from '../common/time';
import { DEFAULT_STEPS, currentStep, dueExpiryDays, dueExpiryRanges, dueOn, memoizedCalendar } from './reminder-ladder';

describe('reminder ladder', () => {
  const calendar = new WorkingDayCalendar();
  const milano = new WorkingDayCalendar({ patronSaintDay: '12-07' });

  describe(dueOn.name, () => {
    it.each([
      ['2026-06-10', 0, '2026-06-10', 'a working Wednesday'],
      ['2026-04-25', 0, '2026-04-24', '25 April 2026 is a Saturday and a holiday'],
      ['2028-04-25', 0, '2028-04-24', '25 April 2028 is a Tuesday: Monday before'],
      ['2026-04-13', 7, '2026-04-03', 'Easter Monday 2026 and the weekend before it'],
      ['2026-08-22', 7, '2026-08-14', '15 August 2026 (a Saturday)'],
      ['2025-08-22', 7, '2025-08-14', '15 August 2025 (a Friday)'],
      ['2026-12-28', 1, '2026-12-24', 'Santo Stefano, a Saturday, then Christmas'],
      ['2026-06-02', 90, '2026-03-04', '90 days before, a working day'],
    ])('expiry %s, step %i -> %s (%s)', (expiry, step, expected) => {
      expect(dueOn(expiry, step, calendar)).toBe(expected);
    });

    it("moves off the patron saint day in Milano only (Sant'Ambrogio 2026 is a Monday)", () => {
      expect(dueOn('2026-12-14', 7, calendar)).toBe('2026-12-07');
      expect(dueOn('2026-12-14', 7, milano)).toBe('2026-12-04');
    });
  });

  describe(currentStep.name, () => {
    it('is null before the first step', () => {
      expect(currentStep(romeInstant('2026-12-31', 12), DEFAULT_STEPS, '2026-09-01', calendar)).toBeNull();
    });

    it('is the smallest step already due', () => {
      // 20 days left: 30 is due, 14 is not yet.
      expect(currentStep(romeInstant('2026-06-30', 12), DEFAULT_STEPS, '2026-06-10', calendar)).toEqual({ step: 30, dueOn: '2026-05-29' });
    });

    it('collapses steps that fall due the same day into the later one', () => {
      // Expiry on Sunday 2026-06-07: step 1 (Saturday) and step 0 (Sunday) both move to Friday.
      expect(currentStep(romeInstant('2026-06-07', 10), DEFAULT_STEPS, '2026-06-05', calendar)).toEqual({ step: 0, dueOn: '2026-06-05' });
    });

    it.each([
      // Expiry instants at 00:30 and 23:30 Rome time, in winter and summer and on both DST changes.
      ['2026-01-15T23:30:00Z', '2026-01-16'],
      ['2026-01-15T22:30:00Z', '2026-01-15'],
      ['2026-07-01T22:30:00Z', '2026-07-02'],
      ['2026-07-01T21:30:00Z', '2026-07-01'],
      ['2026-03-28T23:30:00Z', '2026-03-29'], // 00:30 on the last Sunday of March
      ['2026-03-29T21:30:00Z', '2026-03-29'], // 23:30 that Sunday (UTC+2 now)
      ['2026-10-24T22:30:00Z', '2026-10-25'], // 00:30 on the last Sunday of October (still UTC+2)
      ['2026-10-25T22:30:00Z', '2026-10-25'], // 23:30 that Sunday (UTC+1 now)
    ])('counts the expiry %s as Rome day %s', (instant, day) => {
      const expiresAt = new Date(instant);
      expect(romeDate(expiresAt)).toBe(day);
      // Step 0 is due on the expiry day itself, or on the working day before it.
      expect(currentStep(expiresAt, [0], day, calendar)?.dueOn).toBe(calendar.previousWorkingDay(day));
      expect(currentStep(expiresAt, [0], addDays(calendar.previousWorkingDay(day), -1), calendar)).toBeNull();
    });

    it('the 1-day step of an expiry at 00:30 after the spring change is due on the Friday before', () => {
      // Expires Monday 2026-03-30 00:30 Rome; 1 day before is Sunday 29 (a 23-hour day): Friday 27.
      expect(currentStep(new Date('2026-03-29T22:30:00Z'), [1], '2026-03-27', calendar)).toEqual({ step: 1, dueOn: '2026-03-27' });
      expect(currentStep(new Date('2026-03-29T22:30:00Z'), [1], '2026-03-26', calendar)).toBeNull();
    });
  });

  describe(dueExpiryDays.name, () => {
    it('gives the same bands as days: what nominations and password rotations are read with', () => {
      expect(dueExpiryDays([0, 7], '2026-06-09', '2026-06-10', calendar)).toEqual([
        { from: '2026-06-10', to: '2026-06-11' },
        { from: '2026-06-17', to: '2026-06-18' },
      ]);
      // Friday 5 June reaches the weekend (6, 7 June) for step 0 and (13, 14 June) for step 7.
      expect(dueExpiryDays([0, 7], '2026-06-04', '2026-06-05', calendar)).toEqual([
        { from: '2026-06-05', to: '2026-06-08' },
        { from: '2026-06-12', to: '2026-06-15' },
      ]);
    });

    it('a daily sweep reads every last day whose step fell due since yesterday, and at most 4 days per step', () => {
      const cal = memoizedCalendar(calendar);
      const steps = [14, 7, 1, 0];
      let due = 0;
      for (let today = '2026-03-01'; today < '2027-03-01'; today = addDays(today, 1)) {
        const yesterday = addDays(today, -1);
        const bands = dueExpiryDays(steps, yesterday, today, cal);
        const width = bands.reduce((n, b) => n + daysBetween(b.from, b.to), 0);
        expect(width).toBeLessThanOrEqual(4 * steps.length);
        for (let day = addDays(today, -3); day < addDays(today, 20); day = addDays(day, 1)) {
          const step = currentStep(day, steps, today, cal);
          if (step === null || step.dueOn <= yesterday) continue;
          due += 1;
          if (!bands.some((b) => day >= b.from && day < b.to)) throw new Error(`missed ${day} (step ${step.step}) on ${today}`);
        }
      }
      expect(due).toBeGreaterThan(1000);
    });
  });

  describe(dueExpiryRanges.name, () => {
    it('reads one day per step on an ordinary weekday', () => {
      const ranges = dueExpiryRanges([0, 7], '2026-06-09', '2026-06-10', calendar);
      expect(ranges.map((r) => [r.from.toISOString(), r.to.toISOString()])).toEqual([
        ['2026-06-09T22:00:00.000Z', '2026-06-10T22:00:00.000Z'],
        ['2026-06-16T22:00:00.000Z', '2026-06-17T22:00:00.000Z'],
      ]);
    });

    it("reaches the weekend's expiries on Friday", () => {
      const [range] = dueExpiryRanges([0], '2026-06-04', '2026-06-05', calendar);
      expect(romeDate(range!.from)).toBe('2026-06-05');
      expect(romeDate(new Date(range!.to.getTime() - 1))).toBe('2026-06-07');
    });

    it('merges overlapping bands', () => {
      expect(dueExpiryRanges([0, 1, 7, 14, 30, 60, 90], '2026-03-01', '2026-06-10', calendar)).toHaveLength(1);
    });

    /**
     * The incremental daily sweep must find exactly what a full scan finds: for every day of two
     * years and every expiry, the steps the bands reach are exactly the steps that fell due.
     */
    it.each([
      ['national calendar', calendar],
      ['Milano', milano],
    ])('daily bands find every step that falls due, once (%s)', (_name, plain) => {
      const cal = memoizedCalendar(plain);
      const expiries: { at: Date; day: string }[] = [];
      for (let day = '2026-03-01'; day < '2027-04-01'; day = addDays(day, 1)) {
        for (const at of [romeInstant(day, 0, 30), romeInstant(day, 23, 30)]) expiries.push({ at, day: romeDate(at) });
      }
      const viaBands = new Set<string>();
      const viaScan = new Set<string>();
      for (let today = '2026-03-01'; today < '2027-01-01'; today = addDays(today, 1)) {
        const yesterday = addDays(today, -1);
        const ranges = dueExpiryRanges(DEFAULT_STEPS, yesterday, today, cal);
        const low = addDays(today, -8);
        const high = addDays(today, 100);
        const steps = new Map<string, ReturnType<typeof currentStep>>();
        for (const { at: e, day } of expiries) {
          // Only expiries within the ladder's reach can be due; the rest cost nothing to skip.
          if (day < low || day > high) continue;
          if (!steps.has(day)) steps.set(day, currentStep(day, DEFAULT_STEPS, today, cal));
          const step = steps.get(day)!;
          if (step === null) continue;
          const key = `${e.toISOString()}/${step.step}`;
          if (step.dueOn === today || (step.dueOn < today && step.dueOn > yesterday)) viaScan.add(key);
          const inBand = ranges.some((r) => e >= r.from && e < r.to);
          if (inBand && step.dueOn > yesterday) viaBands.add(key);
          else if (step.dueOn > yesterday) throw new Error(`missed ${key} on ${today}`);
        }
      }
      expect(viaBands.size).toBeGreaterThan(1000);
      expect([...viaBands].sort()).toEqual([...viaScan].sort());
    });
  });
});
