import { Column, Entity, Unique } from 'typeorm';
import { CreatedAtColumn, UuidColumn } from '../../database/column-types';
import type { OrgRole } from '../roles';

@Entity('memberships')
@Unique('uq_memberships_user_org', ['userId', 'organizationId'])
export class MembershipEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'user_id' })
  userId: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @Column({ type: 'varchar', length: 32 })
  role: OrgRole;

  @CreatedAtColumn()
  createdAt: Date;
}
