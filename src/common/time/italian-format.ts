import { DateTime } from 'luxon';
import { ROME } from './rome-time';

/** "22/11/2026 14:05": an instant on Rome's wall clock, as Italian users read it. */
export function italianDateTime(at: Date): string {
  return DateTime.fromJSDate(at, { zone: ROME }).toFormat('dd/LL/yyyy HH:mm');
}

/** "22/11/2026": the Rome calendar day of an instant. */
export function italianDayOf(at: Date): string {
  return DateTime.fromJSDate(at, { zone: ROME }).toFormat('dd/LL/yyyy');
}

/** "14:05": Rome's wall-clock time of an instant. */
export function italianTime(at: Date): string {
  return DateTime.fromJSDate(at, { zone: ROME }).toFormat('HH:mm');
}

/** "dalle 14:00 alle 18:00 del 22/11/2026", or with both days when the window spans midnight. */
export function italianWindow(from: Date, to: Date): string {
  return italianDayOf(from) === italianDayOf(to)
    ? `dalle ${italianTime(from)} alle ${italianTime(to)} del ${italianDayOf(from)}`
    : `dal ${italianDateTime(from)} al ${italianDateTime(to)}`;
}
