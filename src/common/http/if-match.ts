import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { DomainError } from '../errors/domain-error';

/** The ETag of a versioned row: its version, as a strong entity tag. */
export const etagOf = (version: number): string => `"${version}"`;

/**
 * The version a client expects to change, from `If-Match` ("3", W/"3" or 3) or else a `version`
 * in the body. Updates of versioned rows require one of them (428 otherwise): a client that has
 * not read the row cannot overwrite someone else's change unknowingly.
 */
export function expectedVersion(ifMatch: string | undefined, bodyVersion?: number): number {
  if (ifMatch !== undefined && ifMatch.trim() !== '') {
    const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch);
    if (!m) throw new DomainError('VERSION_MISMATCH', 'If-Match must be the ETag of the row, e.g. "3"', { ifMatch: ifMatch.slice(0, 40) });
    return Number(m[1]);
  }
  if (bodyVersion !== undefined) return bodyVersion;
  throw new DomainError('PRECONDITION_REQUIRED', 'Send If-Match with the ETag (version) you read, or "version" in the body');
}

/** Throws 412 naming the current version when the caller's copy is stale. */
export function assertVersion(what: string, current: number, expected: number): void {
  if (current !== expected) {
    throw new DomainError(
      'VERSION_MISMATCH',
      `The ${what} was changed by someone else (version ${current}, you sent ${expected}); read it again`,
      {
        currentVersion: current,
      },
    );
  }
}

/** The optional `version` field of an update's body: the version the client read, when it sends no If-Match. */
export function BodyVersion(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: 'The version you read, if you do not send If-Match' }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
  );
}
