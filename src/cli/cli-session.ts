import { Actor } from '../audit/actor';

/** Where the CLI writes: the process streams in production, buffers in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * Exit codes, stable for scripts: 1 is reserved for "the check found a problem" (a broken audit
 * chain), so a failure of the tool itself never looks like a finding.
 */
export const ExitCode = {
  OK: 0,
  CHECK_FAILED: 1,
  USAGE: 2,
  INTERNAL: 70, // EX_SOFTWARE
  CONFIG: 78, // EX_CONFIG, as main.ts
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** One invocation of the CLI: its output streams, who is acting, and the exit code it ends with. */
export class CliSession {
  exitCode: ExitCode = ExitCode.OK;

  constructor(
    readonly io: CliIo,
    /** `{ type: 'system', id: 'cli', label: 'cli:<os user>' }` on every audit row the CLI causes. */
    readonly actor: Actor,
    /** Print stack traces of unexpected errors (LOG_LEVEL debug or trace). */
    readonly verbose: boolean,
    /** The environment the CLI was configured from (secrets named by `--password-env` come from it). */
    readonly env: Record<string, string | undefined> = {},
  ) {}
}

export const cliActor = (osUser: string): Actor => ({ type: 'system', id: 'cli', label: `cli:${osUser}` });
