import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { DomainError } from '../common/errors/domain-error';
import { UnitOfWork } from './unit-of-work.service';

export interface BackupResult {
  file: string;
  bytes: number;
  milliseconds: number;
}

/**
 * A consistent copy of the SQLite database while the service keeps writing: `VACUUM INTO` reads
 * one snapshot (WAL lets writers go on) and writes a compact, self-contained file. PostgreSQL has
 * its own tools (pg_dump, base backups): see docs/operations.md.
 */
@Injectable()
export class BackupService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
  ) {}

  async backup(target: string): Promise<BackupResult> {
    if (this.config.database.kind !== 'sqlite') {
      throw new DomainError('BACKUP_UNSUPPORTED', 'Custode backs up its SQLite file; for PostgreSQL use pg_dump (see docs/operations.md)');
    }
    const file = resolve(target);
    if (existsSync(file)) throw new DomainError('BACKUP_TARGET_EXISTS', `${file} already exists: choose a new file`);
    const started = performance.now();
    await this.uow.read((em) => em.query('VACUUM INTO ?', [file]));
    return { file, bytes: statSync(file).size, milliseconds: Math.round(performance.now() - started) };
  }
}
