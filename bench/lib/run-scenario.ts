import { killChildren } from './children';
import { dropAll } from './databases';

/**
 * Runs a scenario as a script: on success, failure or Ctrl-C the child processes are stopped and the
 * databases, schemas and Redis keys it made are removed, so a run never leaves anything behind.
 */
export function runScenario(main: () => Promise<void>): void {
  const stop = () => {
    killChildren();
    void dropAll().finally(() => process.exit(130));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  main()
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(async () => {
      killChildren();
      await dropAll();
    });
}
