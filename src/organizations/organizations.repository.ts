import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MembershipEntity } from '../auth/entities/membership.entity';
import { OrganizationEntity } from './organization.entity';

@Injectable()
export class OrganizationsRepository {
  findById(em: EntityManager, id: string): Promise<OrganizationEntity | null> {
    return em.getRepository(OrganizationEntity).findOneBy({ id });
  }

  findByIstatCode(em: EntityManager, istatCode: string): Promise<OrganizationEntity | null> {
    return em.getRepository(OrganizationEntity).findOneBy({ istatCode });
  }

  async insert(em: EntityManager, org: OrganizationEntity): Promise<void> {
    await em.getRepository(OrganizationEntity).insert(org);
  }

  async save(em: EntityManager, org: OrganizationEntity): Promise<OrganizationEntity> {
    return em.getRepository(OrganizationEntity).save(org);
  }

  /** A page by name; `userId` restricts to the Comuni the user belongs to. */
  findPage(
    em: EntityManager,
    q: { userId: string | null; after: { name: string; id: string } | null; limit: number },
  ): Promise<OrganizationEntity[]> {
    const qb = em
      .getRepository(OrganizationEntity)
      .createQueryBuilder('o')
      .orderBy('o.name', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .limit(q.limit);
    if (q.userId) {
      qb.innerJoin(MembershipEntity, 'm', 'm.organization_id = o.id AND m.user_id = :userId', { userId: q.userId });
    }
    if (q.after) qb.andWhere('(o.name > :name OR (o.name = :name AND o.id > :id))', q.after);
    return qb.getMany();
  }
}
