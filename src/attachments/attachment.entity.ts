import { Column, Entity } from 'typeorm';
import { databaseKindForSchema } from '../config/configuration';
import { CreatedAtColumn, UuidColumn } from '../database/column-types';

/** An uploaded file kept as evidence. The bytes are never loaded unless asked for. */
@Entity('attachments')
export class AttachmentEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  /** Lowercase hex SHA-256 of `content`. */
  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes: number;

  /** Decided by Custode from the content, never taken from the client. */
  @Column({ name: 'media_type', type: 'varchar', length: 100 })
  mediaType: string;

  /** The client's file name, stripped of any path and control characters. */
  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName: string;

  @Column({ type: databaseKindForSchema() === 'postgres' ? 'bytea' : 'blob', select: false })
  content: Buffer;

  @CreatedAtColumn()
  createdAt: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 254 })
  createdBy: string;
}
