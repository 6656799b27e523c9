import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';
import { redactText } from '../logging';

/** RFC 9457 problem details, plus a stable `code` and the request id for support. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  requestId?: string;
  errors?: { field: string; messages: string[] }[];
  [extension: string]: unknown;
}

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const HTTP_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'MALFORMED_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'ROUTE_NOT_FOUND',
  409: 'CONFLICT',
  412: 'VERSION_MISMATCH',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  428: 'PRECONDITION_REQUIRED',
  429: 'TOO_MANY_REQUESTS',
};

export function problemFor(error: unknown): { problem: ProblemDetails; unexpected: boolean } {
  if (error instanceof DomainError) {
    return { problem: build(error.status, error.code, error.message, error.detail), unexpected: false };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? error.message);
    const code = HTTP_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'MALFORMED_REQUEST');
    return { problem: build(status, code, String(message)), unexpected: status >= 500 };
  }
  if (isUniqueViolation(error)) {
    // A concurrent request created the same row between this request's check and its insert
    // (PostgreSQL runs units of work in parallel): the service's own 409 would have said so.
    return {
      problem: build(409, 'CONFLICT', 'The same record was just created by another request: read it again', {}),
      unexpected: false,
    };
  }
  // body-parser and multer errors carry a status and an `expose` flag.
  const http = error as { status?: unknown; statusCode?: unknown; expose?: unknown; type?: unknown; message?: unknown };
  const status = Number(http.status ?? http.statusCode);
  if (Number.isInteger(status) && status >= 400 && status < 500) {
    const message =
      status === 413
        ? 'The request body is too large'
        : http.type === 'entity.parse.failed'
          ? 'The request body is not valid JSON'
          : String(http.message ?? 'Bad request');
    return { problem: build(status, HTTP_CODES[status] ?? 'MALFORMED_REQUEST', message), unexpected: false };
  }
  return { problem: build(500, 'INTERNAL', 'An unexpected error occurred'), unexpected: true };
}

/** A unique-constraint failure from PostgreSQL (23505) or SQLite. */
function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

function build(status: number, code: ErrorCode, detail: string, extra: Record<string, unknown> = {}): ProblemDetails {
  return {
    type: `https://custode.example/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error'),
    status,
    detail,
    code,
    ...extra,
  };
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request & { id?: unknown }>();
    const { problem, unexpected } = problemFor(error);
    if (unexpected) this.logger.error({ err: error }, 'unhandled error');
    // A feed token travels in the path (calendar apps send no header): never echo it back.
    const path = req.originalUrl?.split('?')[0];
    problem.instance = path === undefined ? undefined : redactText(path);
    if (req.id !== undefined) problem.requestId = String(req.id);
    if (res.headersSent) return;
    res
      .status(problem.status || HttpStatus.INTERNAL_SERVER_ERROR)
      .type('application/problem+json')
      .send(JSON.stringify(problem));
  }
}
