import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn, UuidColumn } from '../database/column-types';

export const WORKSTATION_KINDS = ['workstation', 'server'] as const;
export type WorkstationKind = (typeof WORKSTATION_KINDS)[number];
export const WORKSTATION_STATUSES = ['active', 'dismissed'] as const;
export type WorkstationStatus = (typeof WORKSTATION_STATUSES)[number];

/** A PC or server of the Comune: the AgID ABSC 1.4 inventory fields. */
@Entity('workstations')
export class WorkstationEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: WorkstationKind;

  /** Inventory code, usually the certificate name `<ISTAT>-PC-<n>` or `<ISTAT>-CO-<n>`. */
  @Column({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'varchar', length: 253, nullable: true })
  hostname: string | null;

  @Column({ name: 'ip_address', type: 'varchar', length: 45, nullable: true })
  ipAddress: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  office: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  function: string | null;

  @Column({ name: 'is_portable', type: 'boolean' })
  isPortable: boolean;

  @Column({ name: 'is_personal', type: 'boolean' })
  isPersonal: boolean;

  @UuidColumn({ name: 'custodian_holder_id', nullable: true })
  custodianHolderId: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: WorkstationStatus;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;

  @Column({ type: 'integer' })
  version: number;
}
