/**
 * Custode's HTTP process for a benchmark: the production app (createHttpApp, configuration from
 * the environment like `npm start`) listening on 127.0.0.1 only, started by the bench with IPC.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { FirstRunService } from '../../src/auth/first-run.service';
import { createHttpApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/configuration';
import { ReminderDispatcher } from '../../src/reminders/reminder-dispatcher.service';
import { ReminderSweepService } from '../../src/reminders/reminder-sweep.service';
import { traceSql } from './sql-trace';

interface Command {
  type: string;
  id?: number;
  op?: string;
  organizationId?: string;
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createHttpApp(config, { workers: config.workers === 'inline' });
  const traceFile = process.env.BENCH_SQL_TRACE;
  const writeTrace = traceFile ? traceSql(app.get(DataSource), traceFile) : () => undefined;
  await app.get(FirstRunService).ensureSuperadmin();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.on('message', (m: Command) => {
    if (m.type === 'call') {
      call(m).then(
        (result) => process.send!({ type: 'result', id: m.id, result }),
        (error: unknown) => process.send!({ type: 'result', id: m.id, error: error instanceof Error ? error.stack : String(error) }),
      );
      return;
    }
    if (m.type !== 'stop') return;
    writeTrace();
    app
      .close()
      .catch(() => undefined)
      .finally(() => process.exit(0));
  });
  process.send!({ type: 'ready', port });

  /** Service calls the scenarios time inside Custode's process (no HTTP route runs them as a daily job does). */
  async function call(m: Command): Promise<unknown> {
    const started = performance.now();
    switch (m.op) {
      case 'sweep': {
        // The daily job's path: from the Comune's last sweep to today.
        const result = await app
          .get(ReminderSweepService)
          .sweepOrganization({ type: 'system', id: 'bench', label: 'bench' }, m.organizationId!, 'daily');
        return {
          ms: performance.now() - started,
          devicesExamined: result.devicesExamined,
          created: result.created,
          since: result.since,
          today: result.today,
        };
      }
      case 'dispatch': {
        const enqueued = await app.get(ReminderDispatcher).dispatchDue();
        return { ms: performance.now() - started, enqueued };
      }
      default:
        throw new Error(`unknown op ${m.op}`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
