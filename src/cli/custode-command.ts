import { CommandRunner, Option } from 'nest-commander';
import { CliFailure, UsageError, describeFailure } from './cli-errors';
import { CliSession, ExitCode } from './cli-session';

export interface CommonOptions {
  json?: boolean;
}

/** What a command hands back: a text for a person, a document for `--json`, and its exit code. */
export interface CommandResult {
  text: string;
  json: unknown;
  exitCode?: ExitCode;
}

/**
 * Base of every Custode command (one per file in ./commands, listed in CLI_COMMANDS). A command
 * implements `execute` and returns its result or throws: printing, `--json`, exit codes and error
 * reporting live here, so every command behaves the same way.
 */
export abstract class CustodeCommand<O extends CommonOptions = CommonOptions> extends CommandRunner {
  /** Commands that take positional arguments (declared in `@Command({ arguments })`) set this. */
  protected readonly acceptsArguments: boolean = false;

  protected constructor(protected readonly session: CliSession) {
    super();
  }

  @Option({ flags: '--json', description: 'print the result as one JSON document on stdout (for scripts)' })
  parseJson(): boolean {
    return true;
  }

  protected abstract execute(params: string[], options: O): Promise<CommandResult>;

  async run(params: string[], options?: O): Promise<void> {
    const opts = options ?? ({} as O);
    try {
      if (!this.acceptsArguments && params.length > 0) throw new UsageError(`unexpected argument "${params[0]}"`);
      const result = await this.execute(params, opts);
      this.session.io.stdout(opts.json ? `${JSON.stringify(result.json, null, 2)}\n` : `${result.text}\n`);
      this.session.exitCode = result.exitCode ?? ExitCode.OK;
    } catch (error) {
      reportFailure(this.session, error, opts.json === true);
    }
  }
}

/** One line on stderr (JSON with --json); the stack only for unexpected errors and when verbose. */
export function reportFailure(session: CliSession, error: unknown, json: boolean): CliFailure {
  const failure = describeFailure(error);
  const internal = failure.exitCode === ExitCode.INTERNAL;
  if (json) {
    session.io.stderr(`${JSON.stringify({ error: { code: failure.code, message: failure.message } })}\n`);
  } else {
    session.io.stderr(
      `custode: ${internal ? 'internal error' : 'error'}: ${failure.message}${failure.code === 'USAGE' || internal ? '' : ` (${failure.code})`}\n`,
    );
  }
  if (internal && session.verbose && error instanceof Error && error.stack) session.io.stderr(`${error.stack}\n`);
  session.exitCode = failure.exitCode;
  return failure;
}
