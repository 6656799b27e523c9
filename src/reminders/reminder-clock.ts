import { Clock, systemClock } from '../common/time';

/** The clock the reminders read "today" from; tests move it (jest.spyOn(systemClock, 'now')). */
export const REMINDER_CLOCK = Symbol('REMINDER_CLOCK');
export const reminderClockProvider = { provide: REMINDER_CLOCK, useValue: systemClock satisfies Clock };
