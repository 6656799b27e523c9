/**
 * Every domain error code and its HTTP status, in one exhaustive table: a code without a status
 * does not compile. Codes are stable: clients and the web console switch on them.
 */
export const ERROR_STATUS = {
  // generic
  VALIDATION_FAILED: 400,
  MALFORMED_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  ROUTE_WITHOUT_PERMISSION: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  CONFLICT: 409,
  VERSION_MISMATCH: 412,
  PRECONDITION_REQUIRED: 428,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  // auth and users
  INVALID_CREDENTIALS: 401,
  ACCOUNT_LOCKED: 423,
  ACCOUNT_DISABLED: 401,
  WEAK_PASSWORD: 422,
  USER_ALREADY_EXISTS: 409,
  USER_NOT_FOUND: 404,
  MEMBERSHIP_EXISTS: 409,
  MEMBERSHIP_NOT_FOUND: 404,
  LAST_SECURITY_ADMIN: 409,
  API_TOKEN_NOT_FOUND: 404,
  // organizations
  ORGANIZATION_NOT_FOUND: 404,
  ISTAT_CODE_TAKEN: 409,
  // audit
  AUDIT_EVENT_NOT_FOUND: 404,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;
