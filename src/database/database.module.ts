import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { dataSourceOptions } from './data-source-options';
import { BackupService } from './backup.service';
import { UnitOfWork } from './unit-of-work.service';

/** Global like the config: every feature reaches the database through the one UnitOfWork. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => dataSourceOptions(config, { runMigrations: true }),
    }),
  ],
  providers: [UnitOfWork, BackupService],
  exports: [UnitOfWork, BackupService],
})
export class DatabaseModule {}
