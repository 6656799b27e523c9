import { Clock, systemClock } from '../common/time';

/**
 * The clock of the nominations feature: "today" in Europe/Rome decides expiry and coverage. The
 * shared systemClock, as the reminders' and incidents' clocks, so a test that moves it moves "today"
 * for a nomination's end and for its reminders alike.
 */
export const NOMINATION_CLOCK = Symbol('NOMINATION_CLOCK');

export const nominationClockProvider = { provide: NOMINATION_CLOCK, useValue: systemClock satisfies Clock };
