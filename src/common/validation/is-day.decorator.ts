import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';
import { isLocalDate } from '../time';

/**
 * A calendar day as 'YYYY-MM-DD' that exists: '2026-02-31', '2026-13-01' and '2026-2-3' are
 * refused with a 400, not stored (or turned into another day) and not a 500 further down.
 */
export function IsDay(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDay',
      validator: {
        validate: (value: unknown) => isLocalDate(value),
        defaultMessage: buildMessage((eachPrefix) => `${eachPrefix}$property must be a real day as YYYY-MM-DD`, options),
      },
    },
    options,
  );
}
