import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn, UuidColumn } from '../database/column-types';

export const EMPLOYMENT_STATUSES = ['active', 'leaver'] as const;
export type EmploymentStatus = (typeof EMPLOYMENT_STATUSES)[number];

/** A person of the Comune who holds or keeps security devices. */
@Entity('holders')
export class HolderEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @Column({ name: 'first_name', type: 'varchar', length: 100 })
  firstName: string;

  @Column({ name: 'last_name', type: 'varchar', length: 100 })
  lastName: string;

  /** Uppercase, validated; unique per Comune. */
  @Column({ name: 'fiscal_code', type: 'varchar', length: 16 })
  fiscalCode: string;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  office: string | null;

  @Column({ name: 'role_description', type: 'varchar', length: 200, nullable: true })
  roleDescription: string | null;

  @Column({ name: 'employment_status', type: 'varchar', length: 16 })
  employmentStatus: EmploymentStatus;

  @Column({ name: 'leaver_reason', type: 'varchar', length: 32, nullable: true })
  leaverReason: string | null;

  /** Last working day, 'YYYY-MM-DD' in Europe/Rome. */
  @Column({ name: 'left_on', type: 'varchar', length: 10, nullable: true })
  leftOn: string | null;

  @Column({ name: 'leaver_note', type: 'text', nullable: true })
  leaverNote: string | null;

  /** The Custode user who is this person: what "my devices" of an operator means. */
  @UuidColumn({ name: 'user_id', nullable: true })
  userId: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;

  /** Optimistic lock, compared with If-Match and bumped by the repository's guarded update. */
  @Column({ type: 'integer' })
  version: number;
}

export const holderName = (h: Pick<HolderEntity, 'firstName' | 'lastName'>): string => `${h.firstName} ${h.lastName}`;
