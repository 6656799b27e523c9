import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MembershipEntity } from './entities/membership.entity';
import { UserEntity } from './entities/user.entity';
import { OrgRole } from './roles';

export interface MemberRow {
  membership: MembershipEntity;
  user: UserEntity;
}

@Injectable()
export class UsersRepository {
  async insertMembership(em: EntityManager, membership: MembershipEntity): Promise<void> {
    await em.getRepository(MembershipEntity).insert(membership);
  }

  async updateMembershipRole(em: EntityManager, id: string, role: OrgRole): Promise<void> {
    await em.getRepository(MembershipEntity).update({ id }, { role });
  }

  async deleteMembership(em: EntityManager, id: string): Promise<void> {
    await em.getRepository(MembershipEntity).delete({ id });
  }

  countRole(em: EntityManager, organizationId: string, role: OrgRole): Promise<number> {
    return em.getRepository(MembershipEntity).countBy({ organizationId, role });
  }

  async findMember(em: EntityManager, organizationId: string, userId: string): Promise<MemberRow | null> {
    const membership = await em.getRepository(MembershipEntity).findOneBy({ organizationId, userId });
    if (!membership) return null;
    const user = await em.getRepository(UserEntity).findOneBy({ id: userId });
    return user ? { membership, user } : null;
  }

  async findMembersPage(
    em: EntityManager,
    organizationId: string,
    after: { email: string; id: string } | null,
    limit: number,
  ): Promise<MemberRow[]> {
    const qb = em
      .getRepository(MembershipEntity)
      .createQueryBuilder('m')
      .innerJoinAndMapOne('m.user', UserEntity, 'u', 'u.id = m.user_id')
      .where('m.organization_id = :organizationId', { organizationId })
      .orderBy('u.email', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(limit);
    if (after) qb.andWhere('(u.email > :email OR (u.email = :email AND u.id > :id))', after);
    const rows = (await qb.getMany()) as (MembershipEntity & { user: UserEntity })[];
    return rows.map(({ user, ...membership }) => ({ membership: membership as MembershipEntity, user }));
  }

  async listMembershipsOf(
    em: EntityManager,
    userId: string,
  ): Promise<{ organizationId: string; organizationName: string; istatCode: string; role: OrgRole }[]> {
    const rows = await em
      .createQueryBuilder()
      .select(['m.organization_id AS "organizationId"', 'o.name AS "organizationName"', 'o.istat_code AS "istatCode"', 'm.role AS "role"'])
      .from(MembershipEntity, 'm')
      .innerJoin('organizations', 'o', 'o.id = m.organization_id')
      .where('m.user_id = :userId', { userId })
      .orderBy('o.name', 'ASC')
      .getRawMany<{ organizationId: string; organizationName: string; istatCode: string; role: OrgRole }>();
    return rows;
  }
}
