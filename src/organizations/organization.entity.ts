import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, JsonColumn, RowVersionColumn, UpdatedAtColumn, UuidColumn } from '../database/column-types';

/** Settings a Comune can change; every field optional so defaults can evolve. */
export interface OrganizationSettings {
  /** 'MM-DD' of the patron saint day, a local holiday for reminders. */
  patronSaintDay?: string;
  /** Certified e-mail (PEC) of the Comune. */
  pec?: string;
  /** Contact of the data protection officer (RPD/DPO). */
  dpoEmail?: string;
  /** Where escalations to the Mayor's office go. */
  mayorOfficeEmail?: string;
}

@Entity('organizations')
export class OrganizationEntity {
  @UuidColumn({ primary: true })
  id: string;

  /** Six-digit ISTAT code; codes change over time, so nothing keys on it. */
  @Column({ name: 'istat_code', type: 'varchar', length: 6, unique: true })
  istatCode: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** Two-letter province abbreviation (sigla), e.g. "MI". */
  @Column({ type: 'varchar', length: 2, nullable: true })
  province: string | null;

  @JsonColumn()
  settings: OrganizationSettings;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;

  @RowVersionColumn()
  version: number;
}
