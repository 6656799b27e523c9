import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/configuration';
import { dataSourceOptions } from './src/database/data-source-options';

/** The TypeORM CLI data source (`npm run migration:run`): same options as the app. */
export default new DataSource(dataSourceOptions(loadConfig(), { runMigrations: false }));
