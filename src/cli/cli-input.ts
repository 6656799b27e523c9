import { ClassConstructor, plainToInstance } from 'class-transformer';
import { ValidationError, validate } from 'class-validator';
import { UsageError } from './cli-errors';

/**
 * Validates command-line values with the same DTO (and so the same rules) the HTTP API uses.
 * `flags` names the option behind each DTO field, so the message points at what the user typed;
 * `skipMissing` leaves absent fields unchecked (the caller has decided they are optional).
 */
export async function validInput<T extends object>(
  dto: ClassConstructor<T>,
  plain: Record<string, unknown>,
  flags: Partial<Record<keyof T, string>>,
  options: { skipMissing?: boolean } = {},
): Promise<T> {
  const defined = Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined));
  const instance = plainToInstance(dto, defined);
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    skipMissingProperties: options.skipMissing ?? false,
  });
  if (errors.length > 0) {
    throw new UsageError(errors.map((e) => describe(e, flags as Record<string, string | undefined>)).join('; '));
  }
  return instance;
}

function describe(error: ValidationError, flags: Record<string, string | undefined>): string {
  const flag = flags[error.property] ?? error.property;
  const messages = Object.values(error.constraints ?? {});
  return `${flag}: ${messages.length > 0 ? messages.join(', ') : 'is not valid'}`;
}

/** Options that must be given; commander's own check would exit the process itself. */
export function requireOptions<O extends object>(options: O, names: Partial<Record<keyof O & string, string>>): void {
  const given = options as Record<string, unknown>;
  const missing = Object.entries(names)
    .filter(([key]) => given[key] === undefined || given[key] === '')
    .map(([, flag]) => String(flag));
  if (missing.length > 0) throw new UsageError(`missing required option${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
}
