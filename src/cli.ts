import 'reflect-metadata';
import { Console } from 'node:console';
import { runCli } from './cli/run-cli';

// stdout carries only command results (parseable with --json): anything a library prints with
// console.* (TypeORM's migration log on a fresh database, for one) goes to stderr.
globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });

runCli(process.argv.slice(2), { io: { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) } })
  .catch((error: unknown) => {
    process.stderr.write(`custode: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 70;
  })
  .then((code) => {
    // Exit explicitly: a Redis client still reconnecting must not keep a finished command alive.
    process.stdout.write('', () => process.exit(code));
  });
