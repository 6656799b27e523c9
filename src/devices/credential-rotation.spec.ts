import { rotationDueOn } from './credential-rotation';

describe(rotationDueOn.name, () => {
  it('counts the period from the last change, in calendar days (across the October DST change)', () => {
    expect(rotationDueOn({ lastRotatedOn: '2026-08-01', issuedOn: '2025-01-10', rotationDays: 90 })).toBe('2026-10-30');
  });

  it('counts from the day the account was issued when the password never changed', () => {
    expect(rotationDueOn({ lastRotatedOn: null, issuedOn: '2026-01-31', rotationDays: 30 })).toBe('2026-03-02');
  });

  it('is null without a period, without a starting day, or with a day that does not exist', () => {
    expect(rotationDueOn({ lastRotatedOn: '2026-01-10', issuedOn: null, rotationDays: null })).toBeNull();
    expect(rotationDueOn({ lastRotatedOn: null, issuedOn: null, rotationDays: 90 })).toBeNull();
    expect(rotationDueOn({ lastRotatedOn: '2026-02-31', issuedOn: null, rotationDays: 90 })).toBeNull();
  });
});
