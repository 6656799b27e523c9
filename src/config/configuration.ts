/**
 * The one place that reads `process.env` (style.md). Every value is parsed and validated here;
 * a bad or missing value stops the process with one line naming the variable.
 */
export type DatabaseKind = 'sqlite' | 'postgres';
export type WorkersMode = 'inline' | 'off';
export type NodeEnv = 'development' | 'production' | 'test';

export interface AppConfig {
  nodeEnv: NodeEnv;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Append JSON logs to this file instead of standard output. */
  logFile: string | null;
  database: {
    kind: DatabaseKind;
    sqlitePath: string;
    url: string | null;
    /** PostgreSQL schema; tests use one per run. */
    schema: string | null;
    busyTimeoutMs: number;
  };
  redis: { url: string; prefix: string };
  workers: WorkersMode;
  smtp: { url: string | null; from: string };
  admin: { email: string | null; password: string | null };
  auth: {
    sessionTtlMinutes: number;
    maxFailedLogins: number;
    lockoutMinutes: number;
    /** Sign-in attempts per minute from one client address (per process). */
    loginRatePerMinute: number;
    /** Keys the HMAC under which session, API and feed tokens are stored (never the tokens). */
    secret: string;
  };
  http: { bodyLimit: string; uploadLimitBytes: number; trustProxy: boolean };
  reminders: RemindersConfig;
  incidents: IncidentsConfig;
}

/** The caller check and incidents (issue 7). */
export interface IncidentsConfig {
  /** Caller checks per minute by one member (per process): bounds guessing a verification phrase. */
  callerChecksPerUserPerMinute: number;
  /** Caller checks per minute in one Comune, all members together (per process). */
  callerChecksPerOrgPerMinute: number;
}

/** Reminders, notifications and task deadlines (issue 6). */
export interface RemindersConfig {
  /** Hour (Europe/Rome) of the daily sweep; each Comune's policy sets the hour its reminders go out. */
  sweepHour: number;
  /** How far back a sweep with no previous run (or run on demand) looks for due steps, in days. */
  catchUpDays: number;
  /** Attempts of one Comune's daily sweep job before it stays failed (the next day catches up). */
  sweepAttempts: number;
  /** First retry delay of a Comune's sweep job; each further retry doubles it. */
  sweepBackoffMs: number;
  /** Delivery attempts per notification before it is marked failed. */
  maxAttempts: number;
  /** First retry delay; each further retry doubles it. */
  backoffMs: number;
  /** Parallel deliveries per worker process. */
  deliveryConcurrency: number;
  webhookTimeoutMs: number;
  /** Working days a revocation task gets, by what started it. */
  taskDueWorkingDays: { compromised: number; leaver: number; other: number };
  /** Bearer token Prometheus sends to GET /metrics; null disables the endpoint. */
  metricsToken: string | null;
  /**
   * GET /metrics serves gauges computed at most this many seconds ago; concurrent scrapes share one
   * computation. 0: computed for every scrape (still shared by scrapes that arrive meanwhile).
   */
  metricsCacheSeconds: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Public on purpose: good enough on a developer's machine, refused in production. */
export const DEVELOPMENT_SECRET = 'custode-development-secret-not-for-production';

function str(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v === '' ? fallback : v;
}

function optional(env: Env, name: string): string | null {
  const v = env[name];
  return v === undefined || v === '' ? null : v;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = str(env, name, fallback);
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function url(env: Env, name: string, protocols: string[], fallback: string | null): string | null {
  const raw = optional(env, name) ?? fallback;
  if (raw === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be a URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

/** The process environment, for tools that read a secret by a variable name the user gives. */
export const processEnvironment = (): Env => process.env;

/** The configuration the offline tools use (OpenAPI generation): in-memory database, no workers. */
export function toolingConfig(): AppConfig {
  return loadConfig({ ...process.env, SQLITE_PATH: ':memory:', DATABASE_URL: '', WORKERS: 'off', LOG_LEVEL: 'error' });
}

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], null);
  const schema = optional(env, 'DATABASE_SCHEMA');
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigError('DATABASE_SCHEMA', 'must be a lowercase SQL identifier');
  }
  const adminEmail = optional(env, 'CUSTODE_ADMIN_EMAIL');
  const adminPassword = optional(env, 'CUSTODE_ADMIN_PASSWORD');
  if ((adminEmail === null) !== (adminPassword === null)) {
    throw new ConfigError(
      adminEmail === null ? 'CUSTODE_ADMIN_EMAIL' : 'CUSTODE_ADMIN_PASSWORD',
      'must be set together with its pair (CUSTODE_ADMIN_EMAIL and CUSTODE_ADMIN_PASSWORD)',
    );
  }
  if (adminEmail !== null && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(adminEmail)) {
    throw new ConfigError('CUSTODE_ADMIN_EMAIL', 'must be an e-mail address');
  }
  const secret = str(env, 'CUSTODE_SECRET', DEVELOPMENT_SECRET);
  if (secret.length < 32) throw new ConfigError('CUSTODE_SECRET', 'must be at least 32 characters');
  if (nodeEnv === 'production' && secret === DEVELOPMENT_SECRET) {
    throw new ConfigError('CUSTODE_SECRET', 'must be set to a random value in production (the default is public)');
  }
  const smtpUrl = url(env, 'SMTP_URL', ['smtp:', 'smtps:'], null);
  if (nodeEnv === 'production' && adminPassword !== null && adminPassword.length < 12) {
    throw new ConfigError('CUSTODE_ADMIN_PASSWORD', 'must be at least 12 characters');
  }
  const redisPrefix = str(env, 'REDIS_PREFIX', 'custode');
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(redisPrefix)) {
    throw new ConfigError('REDIS_PREFIX', 'must be 1-64 letters, digits, "_" or "-" (BullMQ forbids ":")');
  }

  return {
    nodeEnv,
    port: int(env, 'PORT', 3000, 0, 65535),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    logFile: optional(env, 'LOG_FILE'),
    database: {
      kind: databaseUrl ? 'postgres' : 'sqlite',
      sqlitePath: str(env, 'SQLITE_PATH', './data/custode.sqlite'),
      url: databaseUrl,
      schema,
      busyTimeoutMs: int(env, 'SQLITE_BUSY_TIMEOUT_MS', 5000, 0, 600000),
    },
    redis: {
      url: url(env, 'REDIS_URL', ['redis:', 'rediss:'], 'redis://127.0.0.1:6379') as string,
      prefix: redisPrefix,
    },
    workers: oneOf(env, 'WORKERS', ['inline', 'off'] as const, 'inline'),
    smtp: { url: smtpUrl, from: str(env, 'MAIL_FROM', 'Custode <custode@localhost>') },
    admin: { email: adminEmail?.toLowerCase() ?? null, password: adminPassword },
    auth: {
      sessionTtlMinutes: int(env, 'SESSION_TTL_MINUTES', 480, 5, 60 * 24 * 30),
      maxFailedLogins: int(env, 'LOGIN_MAX_FAILURES', 5, 1, 100),
      lockoutMinutes: int(env, 'LOGIN_LOCKOUT_MINUTES', 15, 1, 24 * 60),
      loginRatePerMinute: int(env, 'LOGIN_RATE_PER_MINUTE', 30, 1, 10_000),
      secret,
    },
    reminders: remindersConfig(env),
    incidents: {
      callerChecksPerUserPerMinute: int(env, 'CALLER_CHECK_RATE_PER_MINUTE', 10, 1, 1000),
      callerChecksPerOrgPerMinute: int(env, 'CALLER_CHECK_ORG_RATE_PER_MINUTE', 60, 1, 10_000),
    },
    http: {
      bodyLimit: str(env, 'HTTP_BODY_LIMIT', '256kb'),
      uploadLimitBytes: int(env, 'UPLOAD_LIMIT_BYTES', 5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
      trustProxy: oneOf(env, 'TRUST_PROXY', ['true', 'false'] as const, 'false') === 'true',
    },
  };
}

function remindersConfig(env: Env): RemindersConfig {
  const metricsToken = optional(env, 'METRICS_TOKEN');
  if (metricsToken !== null && metricsToken.length < 24) throw new ConfigError('METRICS_TOKEN', 'must be at least 24 characters');
  return {
    sweepHour: int(env, 'REMINDER_SWEEP_HOUR', 6, 0, 23),
    catchUpDays: int(env, 'REMINDER_CATCH_UP_DAYS', 30, 1, 365),
    sweepAttempts: int(env, 'REMINDER_SWEEP_ATTEMPTS', 5, 1, 50),
    sweepBackoffMs: int(env, 'REMINDER_SWEEP_BACKOFF_MS', 60_000, 10, 3_600_000),
    maxAttempts: int(env, 'NOTIFY_MAX_ATTEMPTS', 8, 1, 50),
    backoffMs: int(env, 'NOTIFY_BACKOFF_MS', 30_000, 10, 3_600_000),
    deliveryConcurrency: int(env, 'NOTIFY_CONCURRENCY', 8, 1, 100),
    webhookTimeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    taskDueWorkingDays: {
      compromised: int(env, 'TASK_DUE_DAYS_COMPROMISED', 1, 0, 60),
      leaver: int(env, 'TASK_DUE_DAYS_LEAVER', 5, 0, 60),
      other: int(env, 'TASK_DUE_DAYS_OTHER', 5, 0, 60),
    },
    metricsToken,
    metricsCacheSeconds: int(env, 'METRICS_CACHE_SECONDS', 30, 0, 3600),
  };
}

/** The dependency-injection token of the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Column types differ between SQLite and PostgreSQL and entity decorators are evaluated when their
 * module is imported, before Nest builds the config provider: they ask here. A process serves one
 * database kind for its whole life, so reading it once is enough.
 */
let cachedKind: DatabaseKind | null = null;
export function databaseKindForSchema(env: Env = process.env): DatabaseKind {
  cachedKind ??= env.DATABASE_URL ? 'postgres' : 'sqlite';
  return cachedKind;
}
