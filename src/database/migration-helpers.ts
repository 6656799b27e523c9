import { QueryRunner, TableColumnOptions } from 'typeorm';

/**
 * Migrations are written once for both databases with TypeORM's schema builder; these helpers give
 * each column the type the entity expects on the running driver (see column-types.ts).
 */
export function columnKit(queryRunner: QueryRunner) {
  const pg = queryRunner.connection.driver.options.type === 'postgres';
  const ts = pg ? 'timestamptz' : 'datetime';
  return {
    pg,
    id: (name = 'id'): TableColumnOptions => ({ name, type: pg ? 'uuid' : 'varchar', length: pg ? undefined : '36', isPrimary: true }),
    uuid: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: pg ? 'uuid' : 'varchar',
      length: pg ? undefined : '36',
      isNullable: nullable,
    }),
    str: (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
    }),
    text: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable }),
    int: (name: string, dflt?: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'integer',
      isNullable: nullable,
      default: dflt,
    }),
    bigint: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable }),
    bool: (name: string, dflt: boolean): TableColumnOptions => ({
      name,
      type: 'boolean',
      isNullable: false,
      default: pg ? String(dflt) : dflt ? 1 : 0,
    }),
    time: (name: string, nullable = false): TableColumnOptions => ({ name, type: ts, isNullable: nullable }),
    date: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '10', isNullable: nullable }),
    json: (name: string, nullable = false): TableColumnOptions => ({ name, type: pg ? 'jsonb' : 'json', isNullable: nullable }),
    createdAt: (): TableColumnOptions => ({ name: 'created_at', type: ts, isNullable: false, default: pg ? 'now()' : "(datetime('now'))" }),
    updatedAt: (): TableColumnOptions => ({ name: 'updated_at', type: ts, isNullable: false, default: pg ? 'now()' : "(datetime('now'))" }),
    version: (): TableColumnOptions => ({ name: 'version', type: 'integer', isNullable: false, default: 1 }),
  };
}
