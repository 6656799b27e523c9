import { Clock, systemClock } from '../common/time';

/** "Now" for incident times and the GDPR clock; tests move it (jest.spyOn(systemClock, 'now')). */
export const INCIDENT_CLOCK = Symbol('INCIDENT_CLOCK');
export const incidentClockProvider = { provide: INCIDENT_CLOCK, useValue: systemClock satisfies Clock };
