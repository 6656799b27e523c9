import { Clock, systemClock } from '../common/time';

/** "Now" for the caller check and intervention windows; tests move it (jest.spyOn(systemClock, 'now')). */
export const INTERVENTION_CLOCK = Symbol('INTERVENTION_CLOCK');
export const interventionClockProvider = { provide: INTERVENTION_CLOCK, useValue: systemClock satisfies Clock };
