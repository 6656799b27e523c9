import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/configuration';
import { createHttpApp } from './bootstrap';
import { FirstRunService } from './auth/first-run.service';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createHttpApp(config, { workers: config.workers === 'inline' });
  const firstRun = await app.get(FirstRunService).ensureSuperadmin();
  await app.listen(config.port);
  const base = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  const lines = [
    `Custode is running: ${base}`,
    `  API docs:   ${base}/api/docs`,
    `  Readiness:  ${base}/health/ready`,
    `  Database:   ${config.database.kind === 'sqlite' ? config.database.sqlitePath : 'PostgreSQL'}; workers: ${config.workers}`,
  ];
  if (firstRun.created) {
    lines.push(`  First run: platform administrator ${firstRun.email}`);
    if (firstRun.generatedPassword) {
      // Printed once, to the console only (not to the logs); it must be changed at first sign-in.
      lines.push(`  One-time password: ${firstRun.generatedPassword}  (change it at first sign-in)`);
    }
  }
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

export function loadConfigOrExit(): ReturnType<typeof loadConfig> {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`Custode failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
