import { systemClock } from './clock';
import { addDays } from './rome-time';
import { WorkingDayCalendar } from './working-day-calendar';

describe(WorkingDayCalendar.name, () => {
  const sut = new WorkingDayCalendar();
  const milano = new WorkingDayCalendar({ patronSaintDay: '12-07' });

  function holidaysOf(calendar: WorkingDayCalendar, year: number): string[] {
    const days: string[] = [];
    for (let day = `${year}-01-01`; day < `${year + 1}-01-01`; day = addDays(day, 1)) {
      if (calendar.holidayName(day) !== null) days.push(day);
    }
    return days;
  }

  it('knows exactly the national public holidays of 2027', () => {
    // 4 October (San Francesco) is a national holiday again from 2026 (law 151/2025).
    expect(holidaysOf(sut, 2027)).toEqual([
      '2027-01-01',
      '2027-01-06',
      '2027-03-28', // Easter Sunday
      '2027-03-29', // Easter Monday
      '2027-04-25',
      '2027-05-01',
      '2027-06-02',
      '2027-08-15',
      '2027-10-04',
      '2027-11-01',
      '2027-12-08',
      '2027-12-25',
      '2027-12-26',
    ]);
  });

  it('leaves observances out (Festa della mamma, 10 May 2026)', () => {
    expect(sut.holidayName('2026-05-10')).toBeNull();
  });

  it.each([
    ['2026-04-06', /Luned/],
    ['2027-03-29', /Luned/],
  ])('Easter Monday %s is a holiday', (day, name) => {
    expect(sut.isWorkingDay(day)).toBe(false);
    expect(sut.holidayName(day)).toMatch(name);
  });

  it('Good Friday is a working day', () => {
    expect(sut.isWorkingDay('2026-04-03')).toBe(true);
    expect(sut.isWorkingDay('2027-03-26')).toBe(true);
  });

  it.each([
    ['2026-04-25', 'a Saturday'],
    ['2027-04-25', 'a Sunday'],
    ['2028-04-25', 'a Tuesday'],
  ])('25 April (%s, %s) is a holiday with its name', (day) => {
    expect(sut.isWorkingDay(day)).toBe(false);
    expect(sut.holidayName(day)).toMatch(/Liberazione/);
  });

  it.each(['2025-08-15', '2026-08-15', '2028-08-15'])('15 August %s is a holiday', (day) => {
    expect(sut.isWorkingDay(day)).toBe(false);
    expect(sut.holidayName(day)).not.toBeNull();
  });

  it('weekends are not working days but have no holiday name', () => {
    expect(sut.isWorkingDay('2026-05-16')).toBe(false);
    expect(sut.isWorkingDay('2026-05-17')).toBe(false);
    expect(sut.holidayName('2026-05-16')).toBeNull();
    expect(sut.isWorkingDay('2026-05-18')).toBe(true);
  });

  describe('patron saint day', () => {
    it("makes 7 December a holiday in Milano only (Sant'Ambrogio, a Monday in 2026)", () => {
      expect(sut.isWorkingDay('2026-12-07')).toBe(true);
      expect(milano.isWorkingDay('2026-12-07')).toBe(false);
      expect(milano.holidayName('2026-12-07')).toBe('Santo patrono');
    });

    it('bridges with the next holiday', () => {
      expect(milano.previousWorkingDay('2026-12-08')).toBe('2026-12-04');
      expect(sut.previousWorkingDay('2026-12-08')).toBe('2026-12-07');
    });

    it('keeps the national name when it falls on a national holiday', () => {
      const onEpiphany = new WorkingDayCalendar({ patronSaintDay: '01-06' });
      expect(onEpiphany.holidayName('2027-01-06')).toBe(sut.holidayName('2027-01-06'));
    });

    it('29 February counts only in leap years', () => {
      const leap = new WorkingDayCalendar({ patronSaintDay: '02-29' });
      expect(leap.isWorkingDay('2028-02-29')).toBe(false);
      expect(leap.isWorkingDay('2027-03-01')).toBe(true);
    });

    it.each(['12-7', '13-01', '02-30', '2026-12-07', ''])('refuses %j', (patronSaintDay) => {
      expect(() => new WorkingDayCalendar({ patronSaintDay })).toThrow(RangeError);
    });
  });

  describe('previousWorkingDay', () => {
    it.each([
      ['2026-06-01', '2026-06-01', 'a working Monday is itself'],
      ['2025-06-02', '2025-05-30', '2 June on a Monday after a weekend'],
      ['2025-06-01', '2025-05-30', 'the Sunday before it'],
      ['2026-06-02', '2026-06-01', '2 June on a Tuesday'],
      ['2026-04-06', '2026-04-03', 'Easter Monday'],
      ['2026-12-27', '2026-12-24', 'Christmas, Santo Stefano and a Sunday'],
      ['2027-01-01', '2026-12-31', 'New Year'],
      ['2027-01-03', '2026-12-31', 'New Year and a weekend'],
    ])('%s -> %s (%s)', (day, expected) => {
      expect(sut.previousWorkingDay(day)).toBe(expected);
    });
  });

  describe('addWorkingDays', () => {
    it.each([
      ['2026-04-03', 1, '2026-04-07', 'over Easter Monday'],
      ['2026-04-07', -1, '2026-04-03', 'back over Easter Monday'],
      ['2026-12-24', 1, '2026-12-28', 'over Christmas and Santo Stefano'],
      ['2026-12-23', 3, '2026-12-29', ''],
      ['2026-05-29', 2, '2026-06-03', 'over a weekend and 2 June'],
      ['2026-05-30', 1, '2026-06-01', 'from a Saturday'],
      ['2026-05-30', -1, '2026-05-29', 'back from a Saturday'],
      ['2026-05-30', 0, '2026-05-30', 'zero is the day itself'],
      ['2026-01-01', 20, '2026-01-30', 'across Epiphany'],
    ])('%s + %i = %s %s', (day, n, expected) => {
      expect(sut.addWorkingDays(day, n)).toBe(expected);
    });

    it('counts the patron saint day', () => {
      expect(milano.addWorkingDays('2026-12-04', 1)).toBe('2026-12-09');
    });

    it('refuses a fractional count', () => {
      expect(() => sut.addWorkingDays('2026-01-01', 1.5)).toThrow(RangeError);
    });
  });

  it.each(['2026-13-01', 'x'])('refuses the invalid day %j', (day) => {
    expect(() => sut.isWorkingDay(day)).toThrow(RangeError);
    expect(() => sut.holidayName(day)).toThrow(RangeError);
    expect(() => sut.addWorkingDays(day, 0)).toThrow(RangeError);
  });
});

describe('systemClock', () => {
  it('tells the current time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
