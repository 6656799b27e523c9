import { Clock } from '../common/time';

/** The clock of the nominations feature: "today" in Europe/Rome decides expiry and coverage. */
export const NOMINATION_CLOCK = Symbol('NOMINATION_CLOCK');

export const nominationClockProvider = { provide: NOMINATION_CLOCK, useFactory: (): Clock => ({ now: () => new Date() }) };
