/**
 * Italian codice fiscale of a natural person (16 characters), domain.md section 4.
 *
 * Checks format, check character and the encoded date of birth. It never derives a code from
 * personal data: the code is whatever the Agenzia delle Entrate assigned, we only refuse strings
 * that cannot be one.
 */

/** Format of a normalized code, omocodic digits included. */
export const FISCAL_CODE_PATTERN = '^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$';

const FORMAT = new RegExp(FISCAL_CODE_PATTERN);

/** Omocodia letters: index = the digit they stand for (L=0 ... V=9). */
const OMOCODIA_LETTERS = 'LMNPQRSTUV';

/** 0-based indexes of the digits that omocodia may replace (positions 7,8,10,11,13,14,15). */
const OMOCODIA_INDEXES: readonly number[] = [6, 7, 9, 10, 12, 13, 14];

/** Month letters, January to December. */
const MONTH_LETTERS = 'ABCDEHLMPRST';

/** Values of characters in odd positions (1st, 3rd, ... 15th), for 0-9 then A-Z. */
const ODD_DIGITS = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
const ODD_LETTERS = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export interface FiscalCodeBirthDate {
  /** The two year digits: the century is not encoded. */
  year2: number;
  month: number;
  day: number;
}

export type FiscalCodeValidation =
  | { valid: true; normalized: string; birthDate: FiscalCodeBirthDate; sex: 'M' | 'F' }
  | { valid: false; reason: 'FORMAT' | 'CHECK_CHARACTER' | 'DATE' };

export function normalizeFiscalCode(input: string): string {
  return input.trim().toUpperCase();
}

export function validateFiscalCode(input: string): FiscalCodeValidation {
  if (typeof input !== 'string') return { valid: false, reason: 'FORMAT' };
  const normalized = normalizeFiscalCode(input);
  if (!FORMAT.test(normalized)) return { valid: false, reason: 'FORMAT' };
  if (normalized[15] !== checkCharacter(normalized)) {
    return { valid: false, reason: 'CHECK_CHARACTER' };
  }

  const decoded = decodeOmocodia(normalized);
  const year2 = Number(decoded.slice(6, 8));
  const month = MONTH_LETTERS.indexOf(decoded[8]) + 1;
  const encodedDay = Number(decoded.slice(9, 11));
  const sex = encodedDay > 40 ? 'F' : 'M';
  const day = sex === 'F' ? encodedDay - 40 : encodedDay;
  if (!isPossibleDate(year2, month, day)) return { valid: false, reason: 'DATE' };

  return { valid: true, normalized, birthDate: { year2, month, day }, sex };
}

export function isValidFiscalCode(input: string): boolean {
  return validateFiscalCode(input).valid;
}

/** Check character of a code in the normalized format (the first 15 characters count). */
function checkCharacter(code: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = code[i];
    const isDigit = c >= '0' && c <= '9';
    const index = isDigit ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 65;
    // Position i + 1 is odd when i is even.
    if (i % 2 === 0) sum += isDigit ? ODD_DIGITS[index] : ODD_LETTERS[index];
    else sum += index;
  }
  return String.fromCharCode(65 + (sum % 26));
}

function decodeOmocodia(code: string): string {
  const chars = code.split('');
  for (const i of OMOCODIA_INDEXES) {
    const digit = OMOCODIA_LETTERS.indexOf(chars[i]);
    if (digit >= 0) chars[i] = String(digit);
  }
  return chars.join('');
}

/**
 * The century is not encoded, so a date is refused only when no century makes it exist.
 * 29 February therefore passes whenever the two year digits are a multiple of 4: for "00"
 * 1900 was not a leap year but 2000 was, so we cannot tell and accept it. For the other year
 * digits (e.g. "81") no century gives a leap year and 29 February is refused.
 */
function isPossibleDate(year2: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  if (day > DAYS_IN_MONTH[month - 1]) return false;
  if (month === 2 && day === 29) return year2 % 4 === 0;
  return true;
}
