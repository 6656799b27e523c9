import { NameAttribute } from './distinguished-name';

/** domain.md section 4; letters in digit positions are omocodia substitutions. */
const FORMAT = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;
const OMOCODIA = 'LMNPQRSTUV';
const MONTHS = 'ABCDEHLMPRST';
/** Longest day of each month, leap years included (the century is not in the code). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// Values of characters in odd positions (1st, 3rd, ...), for 0-9 then A-Z.
const ODD_DIGITS = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
const ODD_LETTERS = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

function digitValue(ch: string): number {
  const omocodia = OMOCODIA.indexOf(ch);
  return omocodia >= 0 ? omocodia : Number(ch);
}

function characterValue(ch: string, oddPosition: boolean): number {
  const isDigit = ch >= '0' && ch <= '9';
  const index = isDigit ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 65;
  if (!oddPosition) return index;
  return isDigit ? ODD_DIGITS[index] : ODD_LETTERS[index];
}

/** Format, check character and birth date (day +40 for women); never derives a code. */
export function isValidFiscalCode(code: string): boolean {
  if (!FORMAT.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) sum += characterValue(code[i], i % 2 === 0);
  if (code[15] !== String.fromCharCode(65 + (sum % 26))) return false;
  const day = digitValue(code[9]) * 10 + digitValue(code[10]);
  const dayOfMonth = day > 40 ? day - 40 : day;
  const maxDay = MONTH_DAYS[MONTHS.indexOf(code[8])];
  return dayOfMonth >= 1 && dayOfMonth <= maxDay;
}

const SERIAL_NUMBER = '2.5.4.5';
const COMMON_NAME = '2.5.4.3';

/**
 * Looks for a codice fiscale in the subject: first in serialNumber attributes (`TINIT-<cf>` per
 * ETSI EN 319 412-1, older `IT:<cf>`, or bare), then in the CN (CNS cards use `<cf>/<serial>.<hash>`).
 * The value is split on anything that is not a letter or digit and only a 16-character token with
 * a valid check character counts, so a hash or a name cannot match by accident.
 */
export function findFiscalCode(subject: NameAttribute[]): string | null {
  for (const oid of [SERIAL_NUMBER, COMMON_NAME]) {
    for (const attribute of subject) {
      if (attribute.oid !== oid || attribute.value === null) continue;
      const found = attribute.value
        .toUpperCase()
        .split(/[^A-Z0-9]+/)
        .map((token) => (token.length === 21 && token.startsWith('TINIT') ? token.slice(5) : token))
        .find((token) => token.length === 16 && isValidFiscalCode(token));
      if (found !== undefined) return found;
    }
  }
  return null;
}
