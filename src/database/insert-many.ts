import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/**
 * Multi-row INSERTs that leave the given objects alone, in chunks that keep every statement under
 * SQLite's 32,766 bound parameters (500 rows × up to 65 columns). The rows must be complete: after
 * `repository.insert(array)` TypeORM reads generated values back, and on SQLite it can write them
 * onto the wrong objects (seen: two technicians inserted together came back with each other's names).
 */
export async function insertMany<T extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<T>,
  rows: T[],
  chunk = 500,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await em
      .createQueryBuilder()
      .insert()
      .into(entity)
      // JSON columns defeat TypeORM's deep-partial typing; the rows are complete.
      .values(rows.slice(i, i + chunk) as QueryDeepPartialEntity<T>[])
      .updateEntity(false)
      .execute();
  }
}
