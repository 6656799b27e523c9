import { Column, ColumnOptions, CreateDateColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { databaseKindForSchema } from '../config/configuration';

/**
 * One entity definition serves SQLite and PostgreSQL. Times are UTC instants: `timestamptz` on
 * PostgreSQL, TypeORM's UTC `datetime` text (sortable) on SQLite. Ids are UUIDs made by the app.
 */
export const timestampType = (): 'timestamptz' | 'datetime' => (databaseKindForSchema() === 'postgres' ? 'timestamptz' : 'datetime');
export const uuidType = (): 'uuid' | 'varchar' => (databaseKindForSchema() === 'postgres' ? 'uuid' : 'varchar');
export const jsonType = (): 'jsonb' | 'json' => (databaseKindForSchema() === 'postgres' ? 'jsonb' : 'json');

export const UuidColumn = (options: ColumnOptions = {}): PropertyDecorator =>
  Column({ type: uuidType(), length: databaseKindForSchema() === 'postgres' ? undefined : 36, ...options });
export const TimestampColumn = (options: ColumnOptions = {}): PropertyDecorator => Column({ type: timestampType(), ...options });
export const JsonColumn = (options: ColumnOptions = {}): PropertyDecorator => Column({ type: jsonType(), ...options });
export const CreatedAtColumn = (): PropertyDecorator => CreateDateColumn({ name: 'created_at', type: timestampType() });
export const UpdatedAtColumn = (): PropertyDecorator => UpdateDateColumn({ name: 'updated_at', type: timestampType() });
export const RowVersionColumn = (): PropertyDecorator => VersionColumn({ name: 'version' });
