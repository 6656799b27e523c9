import Holidays from 'date-holidays';
import { LocalDate, addDays, isLocalDate } from './rome-time';

export interface WorkingDayCalendarOptions {
  /** The Comune's patron saint day, 'MM-DD' (e.g. '12-07' Sant'Ambrogio in Milano). */
  patronSaintDay?: string;
}

const PATRON_SAINT_DAY = /^(\d{2})-(\d{2})$/;
const PATRON_SAINT_NAME = 'Santo patrono';

/**
 * Italian national public holidays come from date-holidays: country only (no regional days) and
 * type 'public' only (observances such as Festa della mamma are left out). Shared by every
 * calendar; each calendar caches its own holidays per year.
 */
const nationalHolidays = new Holidays('IT', { languages: ['it'], types: ['public'] });

/**
 * Working days in an Italian Comune: not Saturday or Sunday, not a national public holiday,
 * not the Comune's patron saint day.
 */
export class WorkingDayCalendar {
  private readonly patronSaintDay: string | null;
  private readonly holidaysByYear = new Map<number, ReadonlyMap<LocalDate, string>>();

  constructor(opts: WorkingDayCalendarOptions = {}) {
    this.patronSaintDay = opts.patronSaintDay ?? null;
    if (this.patronSaintDay !== null && !isValidMonthDay(this.patronSaintDay)) {
      throw new RangeError(`Invalid patron saint day (expected MM-DD): ${this.patronSaintDay}`);
    }
  }

  isWorkingDay(day: LocalDate): boolean {
    const weekday = toUtcDate(day).getUTCDay();
    return weekday !== 0 && weekday !== 6 && this.holidayName(day) === null;
  }

  /** The name of the holiday on `day`, or null. Weekends are not holidays by name. */
  holidayName(day: LocalDate): string | null {
    const year = toUtcDate(day).getUTCFullYear();
    return this.holidaysOf(year).get(day) ?? null;
  }

  /** `day` itself when it is a working day, else the closest working day before it. */
  previousWorkingDay(day: LocalDate): LocalDate {
    let current = day;
    while (!this.isWorkingDay(current)) current = addDays(current, -1);
    return current;
  }

  /**
   * Moves `n` working days forward (or back when `n` is negative), counting only working days
   * after (before) `day`; `day` itself need not be a working day. `n = 0` returns `day`.
   */
  addWorkingDays(day: LocalDate, n: number): LocalDate {
    if (!Number.isInteger(n)) throw new RangeError(`Not a whole number of days: ${n}`);
    toUtcDate(day);
    const step = n < 0 ? -1 : 1;
    let current = day;
    for (let left = Math.abs(n); left > 0;) {
      current = addDays(current, step);
      if (this.isWorkingDay(current)) left--;
    }
    return current;
  }

  private holidaysOf(year: number): ReadonlyMap<LocalDate, string> {
    let holidays = this.holidaysByYear.get(year);
    if (holidays === undefined) {
      const map = new Map<LocalDate, string>();
      for (const holiday of nationalHolidays.getHolidays(year)) {
        if (holiday.type === 'public' && !holiday.substitute) {
          map.set(holiday.date.slice(0, 10), holiday.name);
        }
      }
      if (this.patronSaintDay !== null) {
        const patron = `${year}-${this.patronSaintDay}`;
        // 29 February exists only in leap years; a national holiday keeps its own name.
        if (isLocalDate(patron) && !map.has(patron)) map.set(patron, PATRON_SAINT_NAME);
      }
      holidays = map;
      this.holidaysByYear.set(year, holidays);
    }
    return holidays;
  }
}

/** The day's midnight as a UTC Date (weekday and year without a time zone library). */
function toUtcDate(day: LocalDate): Date {
  if (!isLocalDate(day)) throw new RangeError(`Invalid local date: ${String(day)}`);
  return new Date(`${day}T00:00:00Z`);
}

function isValidMonthDay(value: string): boolean {
  // 2024 is a leap year, so '02-29' is accepted.
  return PATRON_SAINT_DAY.test(value) && isLocalDate(`2024-${value}`);
}
