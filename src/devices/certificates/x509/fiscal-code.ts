import { validateFiscalCode } from '../../../common/validation/fiscal-code';
import { NameAttribute } from './distinguished-name';

const SERIAL_NUMBER = '2.5.4.5';
const COMMON_NAME = '2.5.4.3';

/**
 * Looks for a codice fiscale in the subject: first in serialNumber attributes (`TINIT-<cf>` per
 * ETSI EN 319 412-1, older `IT:<cf>`, or bare), then in the CN (CNS cards use
 * `<cf>/<serial>.<hash>`, others `SURNAME NAME/<cf>`). The value is split on anything that is
 * not a letter or digit and only a 16-character token that passes the full check (format, check
 * character, date) counts, so a hash or a name cannot match by accident.
 */
export function findFiscalCode(subject: NameAttribute[]): string | null {
  for (const oid of [SERIAL_NUMBER, COMMON_NAME]) {
    for (const attribute of subject) {
      if (attribute.oid !== oid || attribute.value === null) continue;
      for (const token of attribute.value.toUpperCase().split(/[^A-Z0-9]+/)) {
        const validation = token.length === 16 ? validateFiscalCode(token) : null;
        if (validation?.valid) return validation.normalized;
      }
    }
  }
  return null;
}
