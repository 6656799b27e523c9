import { inspect } from 'node:util';
import { LoggerService } from '@nestjs/common';
import { redactText } from '../common/logging';
import { AppConfig } from '../config/configuration';

const RANK = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const;
type Level = Exclude<keyof typeof RANK, 'silent'>;

/**
 * The CLI's Nest logger: plain lines on stderr, so stdout carries only command results (and stays
 * parseable with --json). Quiet by default: the CLI runs with LOG_LEVEL=warn unless told otherwise.
 */
export class CliLogger implements LoggerService {
  private readonly threshold: number;

  private readonly withStacks: boolean;

  constructor(
    private readonly write: (text: string) => void,
    level: AppConfig['logLevel'],
  ) {
    this.threshold = RANK[level];
    this.withStacks = RANK[level] <= RANK.debug;
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.emit('fatal', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  log(message: unknown, ...rest: unknown[]): void {
    this.emit('info', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('trace', message, rest);
  }

  private emit(level: Level, message: unknown, rest: unknown[]): void {
    if (RANK[level] < this.threshold) return;
    // Nest passes the context (a class name) last.
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? String(rest.pop()) : null;
    const parts = [message, ...rest]
      .filter((p) => p !== undefined)
      .map((p) => (typeof p === 'string' ? p : inspect(p, { depth: 4, breakLength: Infinity })))
      // Stack traces only when debugging; a line per event otherwise.
      .map((p) => (this.withStacks ? p : p.split('\n', 1)[0]!));
    this.write(redactText(`${level}${context ? ` [${context}]` : ''}: ${parts.join(' ')}\n`));
  }
}
