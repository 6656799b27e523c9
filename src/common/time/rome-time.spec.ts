import { ROME, addDays, daysBetween, isLocalDate, romeDate, romeInstant } from './rome-time';

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

describe('rome-time', () => {
  it('names the zone', () => {
    expect(ROME).toBe('Europe/Rome');
  });

  describe(romeDate.name, () => {
    it.each([
      // Winter, UTC+1.
      ['2026-01-15T22:30:00Z', '2026-01-15'], // 23:30 in Rome
      ['2026-01-15T22:59:59Z', '2026-01-15'],
      ['2026-01-15T23:00:00Z', '2026-01-16'], // midnight in Rome
      ['2026-01-15T23:30:00Z', '2026-01-16'], // 00:30 in Rome
      // Summer, UTC+2.
      ['2026-07-01T21:30:00Z', '2026-07-01'], // 23:30 in Rome
      ['2026-07-01T21:59:59Z', '2026-07-01'],
      ['2026-07-01T22:00:00Z', '2026-07-02'], // midnight in Rome
      ['2026-07-01T22:30:00Z', '2026-07-02'], // 00:30 in Rome
      ['2026-07-01T23:30:00Z', '2026-07-02'], // 01:30 in Rome, still the 1st in UTC
      // Midnights around the changes of 2026 and 2027.
      ['2026-03-28T23:00:00Z', '2026-03-29'],
      ['2026-03-29T21:59:59Z', '2026-03-29'],
      ['2026-03-29T22:00:00Z', '2026-03-30'],
      ['2026-10-24T22:00:00Z', '2026-10-25'],
      ['2026-10-25T22:59:59Z', '2026-10-25'],
      ['2026-10-25T23:00:00Z', '2026-10-26'],
      ['2027-03-27T23:00:00Z', '2027-03-28'],
      ['2027-03-28T22:00:00Z', '2027-03-29'],
      ['2027-10-30T22:00:00Z', '2027-10-31'],
      ['2027-10-31T23:00:00Z', '2027-11-01'],
      ['2027-10-31T22:30:00Z', '2027-10-31'],
    ])('%s is %s in Rome', (instant, day) => {
      expect(romeDate(at(instant))).toBe(day);
    });

    it('refuses an invalid Date', () => {
      expect(() => romeDate(new Date('nope'))).toThrow(RangeError);
    });
  });

  describe('calendar arithmetic', () => {
    it.each([
      ['2026-03-28', 1, '2026-03-29'],
      ['2026-03-29', 1, '2026-03-30'],
      ['2026-10-25', 1, '2026-10-26'],
      ['2026-10-26', -1, '2026-10-25'],
      ['2027-03-27', 2, '2027-03-29'],
      ['2027-10-31', -1, '2027-10-30'],
      ['2026-12-31', 1, '2027-01-01'],
      ['2028-02-28', 1, '2028-02-29'],
      ['2026-03-01', 245, '2026-11-01'],
      ['2026-05-05', 0, '2026-05-05'],
    ])('addDays(%s, %i) = %s', (day, n, expected) => {
      expect(addDays(day, n)).toBe(expected);
      expect(daysBetween(day, expected)).toBe(n);
    });

    it('counts whole days across both changes of a year', () => {
      expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
      expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2);
      expect(daysBetween('2027-03-01', '2027-11-01')).toBe(245);
      expect(daysBetween('2027-11-01', '2027-03-01')).toBe(-245);
    });

    it.each(['2026-02-30', '2026-3-01', '2026-03-01T00:00', '', 'yesterday'])('refuses %j as a local date', (day) => {
      expect(isLocalDate(day)).toBe(false);
      expect(() => addDays(day, 1)).toThrow(RangeError);
      expect(() => daysBetween(day, '2026-01-01')).toThrow(RangeError);
    });

    it('refuses a fractional number of days', () => {
      expect(() => addDays('2026-01-01', 0.5)).toThrow(RangeError);
    });
  });

  describe(romeInstant.name, () => {
    it.each([
      ['2026-01-15', 0, 0, '2026-01-14T23:00:00.000Z'],
      ['2026-01-15', 23, 30, '2026-01-15T22:30:00.000Z'],
      ['2026-07-01', 0, 30, '2026-06-30T22:30:00.000Z'],
      ['2026-07-01', 23, 30, '2026-07-01T21:30:00.000Z'],
      // Last Sunday of March 2026: 02:00-02:59 does not exist and moves forward one hour.
      ['2026-03-29', 1, 59, '2026-03-29T00:59:00.000Z'],
      ['2026-03-29', 2, 0, '2026-03-29T01:00:00.000Z'],
      ['2026-03-29', 2, 30, '2026-03-29T01:30:00.000Z'],
      ['2026-03-29', 3, 0, '2026-03-29T01:00:00.000Z'],
      ['2026-03-29', 3, 30, '2026-03-29T01:30:00.000Z'],
      // Last Sunday of October 2026: 02:00-02:59 happens twice; the first one (UTC+2) wins.
      ['2026-10-25', 1, 59, '2026-10-24T23:59:00.000Z'],
      ['2026-10-25', 2, 0, '2026-10-25T00:00:00.000Z'],
      ['2026-10-25', 2, 30, '2026-10-25T00:30:00.000Z'],
      ['2026-10-25', 3, 0, '2026-10-25T02:00:00.000Z'],
      ['2027-03-28', 2, 30, '2027-03-28T01:30:00.000Z'],
      ['2027-03-28', 4, 0, '2027-03-28T02:00:00.000Z'],
      ['2027-10-31', 2, 30, '2027-10-31T00:30:00.000Z'],
      ['2027-10-31', 3, 0, '2027-10-31T02:00:00.000Z'],
    ])('%s %i:%i in Rome is %s', (day, hour, minute, expected) => {
      expect(romeInstant(day, hour, minute).toISOString()).toBe(expected);
    });

    it('defaults the minute to 0', () => {
      expect(romeInstant('2026-07-01', 9).toISOString()).toBe('2026-07-01T07:00:00.000Z');
    });

    it.each([
      ['2026-03-29', 23],
      ['2026-10-25', 25],
      ['2027-03-28', 23],
      ['2027-10-31', 25],
      ['2027-06-15', 24],
    ])('%s lasts %i hours in Rome', (day, hours) => {
      const length = romeInstant(addDays(day, 1), 0).getTime() - romeInstant(day, 0).getTime();
      expect(length).toBe(hours * HOUR);
    });

    it.each(['2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31'])('every wall-clock hour of %s falls on that Rome day', (day) => {
      for (let hour = 0; hour < 24; hour++) {
        expect(romeDate(romeInstant(day, hour, 59))).toBe(day);
      }
    });

    it.each([
      [24, 0],
      [-1, 0],
      [1.5, 0],
      [10, 60],
    ])('refuses %i:%i', (hour, minute) => {
      expect(() => romeInstant('2026-01-01', hour, minute)).toThrow(RangeError);
    });

    it('refuses an invalid day', () => {
      expect(() => romeInstant('2026-02-29', 10)).toThrow(RangeError);
    });
  });
});
