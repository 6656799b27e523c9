import { ERROR_STATUS, ErrorCode } from './error-codes';

/**
 * Services throw this, never an HttpException: the same rule runs inside a queue processor.
 * `message` is English and safe to show; `detail` carries structured facts for the client.
 * Never put a secret, password or personal datum in either.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (code: ErrorCode, what: string): DomainError => new DomainError(code, `${what} not found`);
