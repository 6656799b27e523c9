import { DateTime, IANAZone } from 'luxon';

/** Days are counted in this zone (domain.md section 6). */
export const ROME = 'Europe/Rome';

/** A calendar day in Europe/Rome, 'YYYY-MM-DD'. */
export type LocalDate = string;

const ROME_ZONE = IANAZone.create(ROME);
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const MS_PER_DAY = 86_400_000;

export function isLocalDate(value: unknown): value is LocalDate {
  return typeof value === 'string' && LOCAL_DATE.test(value) && toUtcMidnight(value) !== null;
}

/** The Rome calendar day of an instant: 2026-07-01T23:30Z is 2 July in Rome (UTC+2). */
export function romeDate(instant: Date): LocalDate {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid instant');
  const wall = new Date(ms + ROME_ZONE.offset(ms) * 60_000).toISOString();
  // Years 0-9999 (toISOString's plain form); luxon writes the others (+010000-01-01).
  return wall.length === 24 ? wall.slice(0, 10) : (DateTime.fromJSDate(instant, { zone: ROME_ZONE }).toISODate() as LocalDate);
}

/**
 * Calendar arithmetic on the day itself, not on instants, so a DST change (a 23- or 25-hour
 * day) never shifts the result.
 */
export function addDays(day: LocalDate, n: number): LocalDate {
  if (!Number.isInteger(n)) throw new RangeError(`Not a whole number of days: ${n}`);
  return new Date(parseLocalDate(day) + n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((parseLocalDate(to) - parseLocalDate(from)) / MS_PER_DAY);
}

/**
 * The instant at which Rome's wall clock shows `hour:minute` on `day`.
 *
 * Twice a year the wall clock is not one-to-one; we resolve it as Temporal's 'compatible'
 * disambiguation (and RFC 5545) do:
 * - last Sunday of March, 02:00-02:59 does not exist: the time is moved forward by the gap,
 *   so 02:30 gives 03:30 CEST (01:30Z);
 * - last Sunday of October, 02:00-02:59 happens twice: the first occurrence (still CEST,
 *   UTC+2) is returned, so 02:30 gives 00:30Z, never the later 01:30Z.
 */
export function romeInstant(day: LocalDate, hour: number, minute = 0): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`Invalid hour: ${hour}`);
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) {
    throw new RangeError(`Invalid minute: ${minute}`);
  }
  const wall = parseLocalDate(day) + (hour * 60 + minute) * 60_000;
  const offsetBefore = ROME_ZONE.offset(wall - MS_PER_DAY);
  const offsetAfter = ROME_ZONE.offset(wall + MS_PER_DAY);
  const matches = [offsetBefore, offsetAfter]
    .map((offset) => ({ offset, at: wall - offset * 60_000 }))
    .filter(({ offset, at }) => ROME_ZONE.offset(at) === offset)
    .map(({ at }) => at);
  // No match: the wall time falls in the spring gap; read it with the offset before the change.
  const at = matches.length > 0 ? Math.min(...matches) : wall - offsetBefore * 60_000;
  return new Date(at);
}

/** Milliseconds of the day's midnight read as UTC; throws on anything but a real 'YYYY-MM-DD'. */
function parseLocalDate(day: LocalDate): number {
  const ms = typeof day === 'string' && LOCAL_DATE.test(day) ? toUtcMidnight(day) : null;
  if (ms === null) throw new RangeError(`Invalid local date: ${String(day)}`);
  return ms;
}

/**
 * Plain arithmetic rather than luxon: a bulk import plans reminders for 1,000 devices, seven
 * steps each, and this ran for every step. setUTCFullYear keeps years 0-99 as written.
 */
function toUtcMidnight(day: string): number | null {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  const date = Number(day.slice(8, 10));
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, date);
  return at.getUTCFullYear() === year && at.getUTCMonth() === month - 1 && at.getUTCDate() === date ? at.getTime() : null;
}
