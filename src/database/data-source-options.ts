import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/configuration';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * The one definition of the database connection, shared by the app and `ormconfig.ts`.
 * The schema comes only from migrations: `synchronize` is off and there is no switch for it.
 */
export function dataSourceOptions(config: AppConfig, options: { runMigrations: boolean }): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: options.runMigrations,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: ['error' as const, 'warn' as const, 'migration' as const],
  };
  if (config.database.kind === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: config.database.url ?? undefined,
      schema: config.database.schema ?? undefined,
      // Raw SQL resolves unqualified names in the same schema as the entities.
      extra: { max: 10, ...(config.database.schema ? { options: `-c search_path=${config.database.schema}` } : {}) },
    };
  }
  const path = config.database.sqlitePath;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: path,
    enableWAL: true,
    timeout: config.database.busyTimeoutMs,
    // The registers are legal evidence: an acknowledged write must survive a power cut.
    prepareDatabase: (db: Database.Database) => {
      db.pragma('synchronous = FULL');
      db.pragma(`busy_timeout = ${config.database.busyTimeoutMs}`);
      // Gather the statistics the planner needs to pick the right index (SQLite's advice for
      // long-lived connections); without them holder and workstation look-ups took the wrong index.
      // analysis_limit bounds the work per index (SQLite's recommended 400 rows sampled), so a
      // start on a large database does not scan every table in full.
      db.pragma('analysis_limit = 400');
      db.pragma('optimize = 0x10002');
    },
  };
}
