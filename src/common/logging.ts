import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino from 'pino';
import type { Options } from 'pino-http';
import type { AppConfig } from '../config/configuration';

/** A codice fiscale anywhere in a string (including omocodic letters). */
const FISCAL_CODE =
  /\b[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z]\b/g;
/** Bearer and feed tokens, should one reach a URL or a message. */
const TOKENS = /\bc(?:us|at|fd)_[A-Za-z0-9_-]{20,}/g;

export function redactText(text: string): string {
  return text.replace(FISCAL_CODE, '[CF]').replace(TOKENS, '[TOKEN]');
}

/**
 * Structured JSON logs with request ids. Passwords, tokens and codici fiscali never reach them:
 * headers and known fields are removed by path; URLs and messages are scrubbed by pattern.
 */
export function loggerParams(config: AppConfig): Params {
  const destination = config.logFile ? pino.destination({ dest: config.logFile, append: true, mkdir: true, sync: true }) : undefined;
  const options: Options = {
    level: config.logLevel,
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
    },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.currentPassword',
        '*.newPassword',
        '*.token',
        '*.fiscalCode',
        '*.passwordMap',
      ],
      remove: true,
    },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactText(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as typeof args);
      },
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
  };
  return { pinoHttp: destination ? [options, destination] : options };
}
