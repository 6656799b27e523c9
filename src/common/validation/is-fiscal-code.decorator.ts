import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, ValidateBy, ValidationOptions, buildMessage } from 'class-validator';
import { FISCAL_CODE_PATTERN, isValidFiscalCode, normalizeFiscalCode } from './fiscal-code';

export interface IsFiscalCodeOptions extends ValidationOptions {
  /** Absent (undefined or null) is accepted; the OpenAPI property is not required. */
  optional?: boolean;
}

/**
 * A codice fiscale field: trimmed and uppercased on the way in (the pipe must run with
 * `transform: true`), then checked for format, check character and date.
 */
export function IsFiscalCode(options: IsFiscalCodeOptions = {}): PropertyDecorator {
  const { optional = false, ...validationOptions } = options;
  const decorators: PropertyDecorator[] = [
    ApiProperty({
      type: String,
      required: !optional,
      example: 'RSSMRA80A01H501U',
      pattern: FISCAL_CODE_PATTERN,
      minLength: 16,
      maxLength: 16,
      description:
        'Codice fiscale of a person (16 characters). Case and surrounding spaces are ignored and ' +
        'it is stored uppercase; omocodic codes are accepted; the check character and the date ' +
        'of birth are verified.',
    }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeFiscalCode(value) : value)),
    ValidateBy(
      {
        name: 'isFiscalCode',
        validator: {
          validate: (value: unknown) => typeof value === 'string' && isValidFiscalCode(value),
          defaultMessage: buildMessage((eachPrefix) => `${eachPrefix}$property must be a valid codice fiscale`, validationOptions),
        },
      },
      validationOptions,
    ),
  ];
  if (optional) decorators.unshift(IsOptional());
  return applyDecorators(...decorators);
}
