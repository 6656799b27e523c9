/** The source of "now": injected so that tests and the reminder sweep can fix the time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};
