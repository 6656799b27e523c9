import { DomainError } from '../common/errors/domain-error';
import { ExitCode } from './cli-session';

/** Wrong or missing command-line input, found by the CLI itself before any service runs. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CliFailure {
  exitCode: ExitCode;
  code: string;
  message: string;
  detail?: Record<string, unknown>;
}

/**
 * Usage errors and domain errors with a 4xx status are the user's to fix: one line, exit 2.
 * Anything else is a fault of the tool or its environment (database down): exit 70.
 */
export function describeFailure(error: unknown): CliFailure {
  if (error instanceof UsageError) return { exitCode: ExitCode.USAGE, code: 'USAGE', message: error.message };
  if (error instanceof DomainError && error.status < 500) {
    return { exitCode: ExitCode.USAGE, code: error.code, message: withFieldErrors(error), detail: error.detail };
  }
  return { exitCode: ExitCode.INTERNAL, code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** VALIDATION_FAILED carries per-field messages in its detail; a terminal user needs them inline. */
function withFieldErrors(error: DomainError): string {
  const errors = error.detail.errors;
  if (!Array.isArray(errors)) return error.message;
  const messages = errors.flatMap((e: { messages?: unknown }) => (Array.isArray(e.messages) ? e.messages.map(String) : []));
  return messages.length > 0 ? messages.join('; ') : error.message;
}
