import { userInfo } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { CommandFactory, CommandRunnerService } from 'nest-commander';
import { AppConfig, ConfigError, loadConfig, processEnvironment } from '../config/configuration';
import { QueueName } from '../queue/jobs';
import { CliLogger } from './cli-logger';
import { CliModule } from './cli.module';
import { CliProgram } from './cli-program';
import { CliIo, CliSession, ExitCode, cliActor } from './cli-session';
import { reportFailure } from './custode-command';

export interface RunCliOptions {
  io: CliIo;
  /** The environment to configure from; the process's when absent (tests pass a test database's). */
  env?: Record<string, string | undefined>;
  /** Recorded in the audit actor label `cli:<os user>`. */
  osUser?: string;
}

/**
 * Runs one CLI invocation (`argv` without node and script) and resolves to its exit code:
 * 0 done, 1 a check found a problem, 2 bad input, 70 internal error, 78 bad configuration.
 * Never exits the process: src/cli.ts does, so tests can run commands in-process.
 */
export async function runCli(argv: string[], { io, env, osUser = currentOsUser() }: RunCliOptions): Promise<ExitCode> {
  let config: AppConfig;
  try {
    config = env ? loadConfig(env) : loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`${error.message}\n`);
    return ExitCode.CONFIG;
  }
  const logLevel = cliLogLevel(config.logLevel);
  const session = new CliSession(io, cliActor(osUser), logLevel === 'debug' || logLevel === 'trace', env ?? processEnvironment());
  const json = argv.includes('--json');
  let app: INestApplicationContext | null = null;
  try {
    app = await CommandFactory.createWithoutRunning(CliModule.register(config, session), {
      logger: new CliLogger(io.stderr, logLevel),
      abortOnError: false,
      cliName: 'custode',
      outputConfiguration: { writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) },
      errorHandler: (error) => {
        throw error;
      },
      serviceErrorHandler: (error) => {
        throw error;
      },
    });
    app.get(CliProgram).prepare();
    await app.get(CommandRunnerService).run(['node', 'custode', ...argv]);
  } catch (error) {
    if (isCommanderError(error)) {
      // commander has already printed the message or the help text.
      session.exitCode = error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    } else {
      reportFailure(session, error, json);
    }
  } finally {
    if (app) {
      await settleQueueConnections(app);
      await app.close();
    }
  }
  return session.exitCode;
}

/** commander's CommanderError (nest-commander bundles its own commander, so no instanceof). */
function isCommanderError(error: unknown): error is Error & { code: string; exitCode: number } {
  const code: unknown = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('commander.');
}

/**
 * A command is usually over before the queues' Redis connections are. BullMQ closing a connection
 * that is still initializing emits an 'error' nobody listens to any more, which crashes the process
 * as an unhandled rejection (taskforcesh/bullmq#3546). Let them finish connecting first, briefly:
 * with Redis down they never will, and the command must not wait for it.
 */
async function settleQueueConnections(app: INestApplicationContext): Promise<void> {
  const ready = Object.values(QueueName).map((name) => {
    const queue = app.get<Queue>(getQueueToken(name), { strict: false });
    return queue.waitUntilReady().catch(() => undefined);
  });
  await Promise.race([Promise.all(ready), delay(2000, undefined, { ref: false })]);
}

/**
 * Quiet by default: a command's output is its result, not the application's logs. The service's
 * default level (info) counts as warn here; LOG_LEVEL=debug or trace shows everything.
 */
export function cliLogLevel(level: AppConfig['logLevel']): AppConfig['logLevel'] {
  return level === 'info' ? 'warn' : level;
}

function currentOsUser(): string {
  try {
    return userInfo().username;
  } catch {
    // A container user with no passwd entry.
    return `uid-${process.getuid?.() ?? 'unknown'}`;
  }
}
