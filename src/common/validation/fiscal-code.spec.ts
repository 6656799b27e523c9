import { isValidFiscalCode, validateFiscalCode } from './fiscal-code';

/*
 * Hand-made codes below start from RSSMRA80A01H501U (check sum mod 26 = 20, 'U') and change
 * single characters; the check character moves by the change in that position's table value:
 * odd positions use the odd table (digits 0=1 1=0 2=5 3=7 ... 9=21; L=4 M=18 ...), even
 * positions the plain value (0-9 -> 0-9, A-Z -> 0-25).
 */
const VALID = 'RSSMRA80A01H501U';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('validateFiscalCode', () => {
  it.each(['RSSMRA80A01H501U', 'RSSMRA79B11C566R'])('accepts the documented example %s', (code) => {
    expect(validateFiscalCode(code)).toEqual({
      valid: true,
      normalized: code,
      birthDate: expect.any(Object),
      sex: 'M',
    });
    expect(isValidFiscalCode(code)).toBe(true);
  });

  it('decodes the date and sex', () => {
    expect(validateFiscalCode('RSSMRA79B11C566R')).toEqual({
      valid: true,
      normalized: 'RSSMRA79B11C566R',
      birthDate: { year2: 79, month: 2, day: 11 },
      sex: 'M',
    });
  });

  it('normalizes surrounding spaces and lowercase', () => {
    const result = validateFiscalCode('  rssmra80a01h501u \n');
    expect(result).toEqual({
      valid: true,
      normalized: 'RSSMRA80A01H501U',
      birthDate: { year2: 80, month: 1, day: 1 },
      sex: 'M',
    });
  });

  it('reads day + 40 as a woman', () => {
    // Position 10 (even) '0' -> '4': sum + 4 -> 24 = 'Y'.
    expect(validateFiscalCode('RSSMRA80A41H501Y')).toEqual({
      valid: true,
      normalized: 'RSSMRA80A41H501Y',
      birthDate: { year2: 80, month: 1, day: 1 },
      sex: 'F',
    });
  });

  it('accepts an omocodic code and decodes it before reading the date', () => {
    // Position 15 (odd) '1' -> 'M' (omocodia for 1): odd value 0 -> 18, sum 20 + 18 = 38,
    // 38 mod 26 = 12 = 'M'.
    expect(validateFiscalCode('RSSMRA80A01H50MM')).toMatchObject({
      valid: true,
      birthDate: { year2: 80, month: 1, day: 1 },
    });
    // Positions 7 and 10 also omocodic: '8' -> 'U' (odd 19 -> 16, -3) and '0' -> 'L'
    // (even 0 -> 11, +11): 12 - 3 + 11 = 20 = 'U'. Year 80, day 01 once decoded.
    expect(validateFiscalCode('RSSMRAU0AL1H50MU')).toEqual({
      valid: true,
      normalized: 'RSSMRAU0AL1H50MU',
      birthDate: { year2: 80, month: 1, day: 1 },
      sex: 'M',
    });
  });

  it.each(['RSSMRA80001H501U', 'RSSMRA80A015501U'])(
    'refuses %s: the month (position 9) and the town letter (12) are never digits',
    (code) => {
      expect(validateFiscalCode(code)).toEqual({ valid: false, reason: 'FORMAT' });
    },
  );

  it.each([
    ['', 'empty'],
    ['RSSMRA80A01H501', 'too short'],
    ['RSSMRA80A01H501UX', 'too long'],
    ['RSSMRA80F01H501U', 'F is not a month letter'],
    ['RSSMRA8OA01H501U', 'O is not an omocodia letter'],
    ['RSSMR480A01H501U', 'digit in the surname part'],
    ['RSS MRA80A01H501U', 'inner space'],
    ['RSSMRA80A01H5011', 'digit as check character'],
  ])('refuses the format of %j (%s)', (code) => {
    expect(validateFiscalCode(code)).toEqual({ valid: false, reason: 'FORMAT' });
  });

  it('refuses a non-string at run time', () => {
    expect(validateFiscalCode(undefined as unknown as string)).toEqual({
      valid: false,
      reason: 'FORMAT',
    });
  });

  it('refuses a wrong check character', () => {
    expect(validateFiscalCode('RSSMRA80A01H501V')).toEqual({
      valid: false,
      reason: 'CHECK_CHARACTER',
    });
  });

  it.each([
    // 30 February: pos 9 A->B (odd 1 -> 0, -1), pos 10 0->3 (+3), pos 11 1->0 (odd 0 -> 1, +1):
    // 20 + 3 = 23 = 'X'.
    ['RSSMRA80B30H501X', '30 February'],
    // 29 February 81: pos 8 0->1 (+1), pos 9 (-1), pos 10 0->2 (+2), pos 11 1->9 (odd 0 -> 21):
    // 20 + 23 = 43, mod 26 = 17 = 'R'. No century makes xx81 a leap year.
    ['RSSMRA81B29H501R', '29 February of a year ending in 81'],
    // Day 32: pos 10 0->3 (+3), pos 11 1->2 (odd 0 -> 5): 20 + 8 = 28, mod 26 = 2 = 'C'.
    ['RSSMRA80A32H501C', 'day 32'],
    // Day 00: pos 11 1->0 (odd 0 -> 1): 21 = 'V'.
    ['RSSMRA80A00H501V', 'day 0'],
    // Day 72 (a woman's 32): pos 10 0->7 (+7), pos 11 1->2 (+5): 32 mod 26 = 6 = 'G'.
    ['RSSMRA80A72H501G', 'day 72'],
  ])('refuses the date of %s (%s)', (code) => {
    expect(validateFiscalCode(code)).toEqual({ valid: false, reason: 'DATE' });
  });

  it('accepts 29 February when some century makes the year a leap year', () => {
    // From the 29 February 81 case without the year change: 20 + 22 = 42, mod 26 = 16 = 'Q'.
    expect(validateFiscalCode('RSSMRA80B29H501Q')).toMatchObject({
      valid: true,
      birthDate: { year2: 80, month: 2, day: 29 },
    });
  });

  describe('single-character mutations of a valid code', () => {
    it.each(Array.from({ length: 16 }, (_, i) => i + 1))('every change at position %i fails', (position) => {
      const accepted: string[] = [];
      for (const c of ALPHABET) {
        if (c === VALID[position - 1]) continue;
        const mutated = VALID.slice(0, position - 1) + c + VALID.slice(position);
        if (isValidFiscalCode(mutated)) accepted.push(mutated);
      }
      expect(accepted).toEqual([]);
    });
  });
});
