import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Mutex } from 'async-mutex';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/configuration';

/** What a unit of work hands to its body: the transaction's manager and post-commit hooks. */
export interface Tx {
  readonly em: EntityManager;
  /** Runs after the transaction has committed (never after a rollback); errors are logged. */
  afterCommit(hook: () => void | Promise<void>): void;
  /**
   * Runs inside the transaction once its body has returned, just before COMMIT, in the order
   * registered (a hook may register another); a failure rolls the whole unit back. The audit trail
   * writes here, so every transaction takes the chain head's lock last (one lock order, no deadlock).
   */
  beforeCommit(hook: () => Promise<void>): void;
}

/**
 * The only way to reach the database. On SQLite, TypeORM's better-sqlite3 driver gives every caller
 * the same connection: two concurrent `transaction()` calls would nest as savepoints and a late
 * failure in one would roll back the other's acknowledged write. So on SQLite every unit of work,
 * reads included (they would otherwise see another request's uncommitted rows), runs alone behind
 * one FIFO lock. On PostgreSQL each unit of work gets its own pooled connection and runs freely.
 */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger(UnitOfWork.name);
  private readonly lock: Mutex | null;
  private readonly inside = new AsyncLocalStorage<true>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.lock = config.database.kind === 'sqlite' ? new Mutex() : null;
  }

  /** Runs `work` in one transaction; everything it writes commits together or not at all. */
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      const hooks: (() => void | Promise<void>)[] = [];
      const finals: (() => Promise<void>)[] = [];
      let ended = false;
      const beforeCommit = (hook: () => Promise<void>) => {
        // Registered once the hooks have run, it would never run: an audit row silently lost.
        if (ended) throw new Error('beforeCommit called on a transaction that has already ended');
        finals.push(hook);
      };
      const result = await this.dataSource.transaction(async (em) => {
        try {
          const value = await work({ em, afterCommit: (hook) => void hooks.push(hook), beforeCommit });
          for (let i = 0; i < finals.length; i++) await finals[i]!();
          return value;
        } finally {
          ended = true;
        }
      });
      // Hooks run outside this unit's context, so they may open units of work of their own.
      this.inside.exit(() => {
        for (const hook of hooks) {
          Promise.resolve()
            .then(hook)
            .catch((error: unknown) => this.logger.error({ err: error }, 'after-commit hook failed'));
        }
      });
      return result;
    });
  }

  /** Runs read-only queries; on SQLite behind the same lock so they never see uncommitted rows. */
  read<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.exclusive(() => work(this.dataSource.manager));
  }

  private exclusive<T>(body: () => Promise<T>): Promise<T> {
    if (this.inside.getStore()) {
      // A nested unit of work would deadlock on SQLite and escape the outer transaction on PostgreSQL.
      throw new Error('UnitOfWork called inside another unit of work: pass the Tx down instead');
    }
    const guarded = () => this.inside.run(true, body);
    return this.lock ? this.lock.runExclusive(guarded) : guarded();
  }
}
