import { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DateUtils } from 'typeorm/util/DateUtils';

/**
 * Multi-row INSERTs that leave the given objects alone, in chunks that keep every statement under
 * SQLite's 32,766 bound parameters (500 rows × up to 65 columns). The rows must be complete: after
 * `repository.insert(array)` TypeORM reads generated values back, and on SQLite it can write them
 * onto the wrong objects (seen: two technicians inserted together came back with each other's names).
 *
 * A chunk whose rows give every column a value is written as one plain parameterized statement:
 * TypeORM's query builder names, escapes and looks up each of the chunk's thousands of parameters
 * (a bulk import of 1,000 certificates spent more time there than in SQLite). Values go through the
 * driver's preparePersistentValue as the builder's do; a chunk with a missing value (a default or
 * a generated column to fill) goes through the builder.
 */
export async function insertMany<T extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<T>,
  rows: T[],
  chunk = 500,
): Promise<void> {
  if (rows.length === 0) return;
  const metadata = em.connection.getMetadata(entity);
  // The builder's own choice (getInsertedColumns), less what makes a chunk take the builder's path.
  const columns = metadata.columns.filter((column) => column.isInsert && !column.isVirtualProperty);
  for (let i = 0; i < rows.length; i += chunk) {
    const slice = rows.slice(i, i + chunk);
    const plain = plainInsert(em, metadata, columns, slice);
    if (plain) {
      await em.query(plain.sql, plain.parameters);
      continue;
    }
    await em
      .createQueryBuilder()
      .insert()
      .into(entity)
      // JSON columns defeat TypeORM's deep-partial typing; the rows are complete.
      .values(slice as QueryDeepPartialEntity<T>[])
      .updateEntity(false)
      .execute();
  }
}

/** The statement and its parameters, or null when a row leaves a column to its default. */
function plainInsert(
  em: EntityManager,
  metadata: EntityMetadata,
  columns: ColumnMetadata[],
  rows: ObjectLiteral[],
): { sql: string; parameters: unknown[] } | null {
  const driver = em.connection.driver;
  const sqlite = driver.options.type === 'better-sqlite3';
  if (!sqlite && driver.options.type !== 'postgres') return null;
  // The builder fills these itself: discriminators, increment keys (PostgreSQL leaves them to
  // DEFAULT), jsonb wrapped in jsonb() on SQLite. No entity has them today.
  if (columns.some((column) => column.isDiscriminator || column.isGenerated || (sqlite && column.type === 'jsonb'))) return null;
  const parameters: unknown[] = [];
  const tuples: string[] = [];
  for (const row of rows) {
    const placeholders: string[] = [];
    for (const column of columns) {
      const value: unknown = driver.preparePersistentValue(column.getEntityValue(row), column);
      if (value === undefined || typeof value === 'function') return null;
      parameters.push(sqlite ? sqliteParameter(value) : value);
      placeholders.push(sqlite ? '?' : `$${parameters.length}`);
    }
    tuples.push(`(${placeholders.join(', ')})`);
  }
  const table = metadata.tablePath
    .split('.')
    .map((part) => driver.escape(part))
    .join('.');
  const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
  return { sql: `INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')}`, parameters };
}

/**
 * What TypeORM's SQLite driver writes for a value: booleans as 0/1, integers as INTEGER (it
 * inlines numbers into the SQL; better-sqlite3 binds a JavaScript number as REAL, a bigint as
 * INTEGER), dates as its UTC datetime text.
 */
function sqliteParameter(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (value instanceof Date) return DateUtils.mixedDateToUtcDatetimeString(value);
  return value;
}
