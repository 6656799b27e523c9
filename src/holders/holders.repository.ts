import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In } from 'typeorm';
import { MembershipEntity } from '../auth/entities/membership.entity';
import { UserEntity } from '../auth/entities/user.entity';
import { EmploymentStatus, HolderEntity } from './holder.entity';

export interface HolderFilter {
  q?: string;
  office?: string;
  employmentStatus?: EmploymentStatus;
  fiscalCode?: string;
}

@Injectable()
export class HoldersRepository {
  findById(em: EntityManager, organizationId: string, id: string): Promise<HolderEntity | null> {
    return em.getRepository(HolderEntity).findOneBy({ organizationId, id });
  }

  findByIds(em: EntityManager, organizationId: string, ids: string[]): Promise<HolderEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : em.getRepository(HolderEntity).findBy({ organizationId, id: In(ids) });
  }

  findByFiscalCode(em: EntityManager, organizationId: string, fiscalCode: string): Promise<HolderEntity | null> {
    return em.getRepository(HolderEntity).findOneBy({ organizationId, fiscalCode });
  }

  async insert(em: EntityManager, holder: HolderEntity): Promise<void> {
    await em.getRepository(HolderEntity).insert(holder);
  }

  /** Writes the changed fields if the row is still at `version`; false when someone else changed it. */
  async updateIfVersion(em: EntityManager, holder: HolderEntity, version: number): Promise<boolean> {
    const { id, organizationId, createdAt: _c, version: _v, ...fields } = holder;
    const result = await em
      .createQueryBuilder()
      .update(HolderEntity)
      .set({ ...fields, version: version + 1 })
      .where('id = :id AND organization_id = :organizationId AND version = :version', { id, organizationId, version })
      .execute();
    return result.affected === 1;
  }

  isMember(em: EntityManager, organizationId: string, userId: string): Promise<boolean> {
    return em.getRepository(MembershipEntity).existsBy({ organizationId, userId });
  }

  /**
   * The holder record of a signed-in user: the one linked by `user_id`, or else the one whose
   * e-mail is the user's sign-in e-mail (and no other user is linked to it).
   */
  async findForUser(em: EntityManager, organizationId: string, userId: string): Promise<HolderEntity | null> {
    const linked = await em.getRepository(HolderEntity).findOneBy({ organizationId, userId });
    if (linked) return linked;
    const user = await em.getRepository(UserEntity).findOneBy({ id: userId });
    if (!user) return null;
    return em
      .getRepository(HolderEntity)
      .createQueryBuilder('h')
      .where('h.organization_id = :organizationId AND h.user_id IS NULL AND LOWER(h.email) = :email', {
        organizationId,
        email: user.email.toLowerCase(),
      })
      .orderBy('h.created_at', 'ASC')
      .getOne();
  }

  findPage(
    em: EntityManager,
    organizationId: string,
    filter: HolderFilter,
    after: { name: string; id: string } | null,
    limit: number,
  ): Promise<HolderEntity[]> {
    // Sorted by "last first" name, lowercased so the order is the same on both databases.
    const sortKey = "LOWER(h.last_name || ' ' || h.first_name)";
    const qb = em
      .getRepository(HolderEntity)
      .createQueryBuilder('h')
      .where('h.organization_id = :organizationId', { organizationId })
      .orderBy(sortKey, 'ASC')
      .addOrderBy('h.id', 'ASC')
      .limit(limit);
    if (filter.q) {
      const like = `%${filter.q.toLowerCase().replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
      qb.andWhere(
        new Brackets((w) =>
          w
            .where("LOWER(h.first_name) LIKE :like ESCAPE '\\'", { like })
            .orWhere("LOWER(h.last_name) LIKE :like ESCAPE '\\'", { like })
            .orWhere("LOWER(h.email) LIKE :like ESCAPE '\\'", { like }),
        ),
      );
    }
    if (filter.office) qb.andWhere('LOWER(h.office) = :office', { office: filter.office.toLowerCase() });
    if (filter.employmentStatus) qb.andWhere('h.employment_status = :status', { status: filter.employmentStatus });
    if (filter.fiscalCode) qb.andWhere('h.fiscal_code = :fiscalCode', { fiscalCode: filter.fiscalCode });
    if (after) qb.andWhere(`(${sortKey} > :name OR (${sortKey} = :name AND h.id > :id))`, after);
    return qb.getMany();
  }
}
