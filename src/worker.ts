import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { loadConfigOrExit } from './main';

/** The worker process: queue processors only, no HTTP. Several can run against PostgreSQL. */
async function worker(): Promise<void> {
  const config = loadConfigOrExit();
  if (config.database.kind === 'sqlite') {
    // Only one process may open the SQLite file (design.md section 1): run the API with WORKERS=inline.
    process.stderr.write(
      'Invalid configuration: DATABASE_URL must be set: the worker process needs PostgreSQL (with SQLite use WORKERS=inline)\n',
    );
    process.exit(78);
  }
  const app = await NestFactory.createApplicationContext(AppModule.register({ config, workers: true }), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  app.get(Logger).log('Custode worker started');
}

worker().catch((error: unknown) => {
  process.stderr.write(`Custode worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
