import { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/**
 * A multi-row INSERT that leaves the given objects alone. After `repository.insert(array)` TypeORM
 * reads generated values back, and on SQLite it can write them onto the wrong objects (seen: two
 * technicians inserted together came back with each other's names).
 */
export async function insertMany<T extends object>(em: EntityManager, entity: new () => T, rows: T[]): Promise<void> {
  if (rows.length === 0) return;
  await em
    .createQueryBuilder()
    .insert()
    .into(entity)
    .values(rows as QueryDeepPartialEntity<T>[])
    .updateEntity(false)
    .execute();
}
