import { LocalDate, WorkingDayCalendar, addDays, romeDate, romeInstant } from '../common/time';

/** The part of the working-day calendar the ladder needs. */
export type LadderCalendar = Pick<WorkingDayCalendar, 'isWorkingDay' | 'previousWorkingDay'>;

/**
 * The same calendar with its answers remembered: a sweep asks about the same few days for
 * thousands of devices.
 */
export function memoizedCalendar(calendar: LadderCalendar): LadderCalendar {
  const working = new Map<LocalDate, boolean>();
  const previous = new Map<LocalDate, LocalDate>();
  return {
    isWorkingDay: (day) => {
      let v = working.get(day);
      if (v === undefined) working.set(day, (v = calendar.isWorkingDay(day)));
      return v;
    },
    previousWorkingDay: (day) => {
      let v = previous.get(day);
      if (v === undefined) previous.set(day, (v = calendar.previousWorkingDay(day)));
      return v;
    },
  };
}

/** Days before expiry at which a reminder goes out (domain.md section 6). */
export const DEFAULT_STEPS: readonly number[] = [90, 60, 30, 14, 7, 1, 0];
/** Steps that also go to the Mayor's office when the ladder has not been acknowledged. */
export const DEFAULT_ESCALATE_STEPS: readonly number[] = [7, 1, 0];
/** Hour (Europe/Rome) at which a Comune's reminders go out by default. */
export const DEFAULT_SEND_HOUR = 9;

/**
 * The day a step is due: `step` days before the expiry day, moved back to the working day before
 * when it falls on a weekend, a public holiday or the patron saint day.
 */
export function dueOn(expiryDay: LocalDate, step: number, calendar: LadderCalendar): LocalDate {
  return calendar.previousWorkingDay(addDays(expiryDay, -step));
}

export interface DueStep {
  step: number;
  dueOn: LocalDate;
}

/**
 * The step a device is on `today`: the smallest step whose due day has come. Earlier steps are
 * history (sent, or skipped because the device arrived late); when two steps fall due the same
 * day (steps 1 and 0 before a long weekend) only the later one goes out. Null before the first step.
 */
export function currentStep(
  expiresAt: Date | LocalDate,
  steps: readonly number[],
  today: LocalDate,
  calendar: LadderCalendar,
): DueStep | null {
  const expiryDay = typeof expiresAt === 'string' ? expiresAt : romeDate(expiresAt);
  // Due days do not increase with the step (previousWorkingDay is monotone): scan from the smallest.
  for (const step of [...steps].sort((a, b) => a - b)) {
    const day = dueOn(expiryDay, step, calendar);
    if (day <= today) return { step, dueOn: day };
  }
  return null;
}

/** A half-open range of expiry instants, [from, to). */
export interface InstantRange {
  from: Date;
  to: Date;
}

/** A half-open range of days, [from, to): what a day-based subject (a nomination's last day, a rotation's due day) is read with. */
export interface DayRange {
  from: LocalDate;
  to: LocalDate;
}

/**
 * The expiry days whose step `s` may have fallen due in (`after`, `today`], for every s in
 * `steps`: what a sweep must read. A step is due when previousWorkingDay(E - s) <= today, so
 * E - s lies in (after, U] where U is the last day before the next working day after `today`
 * (Friday's sweep reaches the weekend's expiries). The ranges are merged; their size follows what
 * is due, not the inventory.
 */
export function dueExpiryDays(steps: readonly number[], after: LocalDate, today: LocalDate, calendar: LadderCalendar): DayRange[] {
  let upto = today;
  while (!calendar.isWorkingDay(addDays(upto, 1))) upto = addDays(upto, 1);
  const days = [...new Set(steps)]
    .map((s) => ({ from: addDays(after, s + 1), to: addDays(upto, s + 1) }))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const merged: DayRange[] = [];
  for (const band of days) {
    const last = merged[merged.length - 1];
    if (last && band.from <= last.to) {
      if (band.to > last.to) last.to = band.to;
    } else {
      merged.push({ ...band });
    }
  }
  return merged;
}

/** The same bands as expiry instants (devices expire at an instant): [from 00:00, to 00:00) in Rome. */
export function dueExpiryRanges(steps: readonly number[], after: LocalDate, today: LocalDate, calendar: LadderCalendar): InstantRange[] {
  return dueExpiryDays(steps, after, today, calendar).map((r) => ({ from: romeInstant(r.from, 0), to: romeInstant(r.to, 0) }));
}

/** Normalizes a ladder: whole days 0..3650, unique, largest first. */
export function normalizeSteps(steps: readonly number[]): number[] {
  return [...new Set(steps)].sort((a, b) => b - a);
}
