import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In } from 'typeorm';
import { WorkstationEntity, WorkstationKind, WorkstationStatus } from './workstation.entity';

export interface WorkstationFilter {
  q?: string;
  kind?: WorkstationKind;
  status?: WorkstationStatus;
  office?: string;
  custodianHolderId?: string;
}

@Injectable()
export class WorkstationsRepository {
  findById(em: EntityManager, organizationId: string, id: string): Promise<WorkstationEntity | null> {
    return em.getRepository(WorkstationEntity).findOneBy({ organizationId, id });
  }

  findByIds(em: EntityManager, organizationId: string, ids: string[]): Promise<WorkstationEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : em.getRepository(WorkstationEntity).findBy({ organizationId, id: In(ids) });
  }

  findByCode(em: EntityManager, organizationId: string, code: string): Promise<WorkstationEntity | null> {
    return em.getRepository(WorkstationEntity).findOneBy({ organizationId, code });
  }

  findByCustodian(em: EntityManager, organizationId: string, holderId: string): Promise<WorkstationEntity[]> {
    return em.getRepository(WorkstationEntity).findBy({ organizationId, custodianHolderId: holderId, status: 'active' });
  }

  async insert(em: EntityManager, workstation: WorkstationEntity): Promise<void> {
    await em.getRepository(WorkstationEntity).insert(workstation);
  }

  async updateIfVersion(em: EntityManager, w: WorkstationEntity, version: number): Promise<boolean> {
    const { id, organizationId, createdAt: _c, version: _v, ...fields } = w;
    const result = await em
      .createQueryBuilder()
      .update(WorkstationEntity)
      .set({ ...fields, version: version + 1 })
      .where('id = :id AND organization_id = :organizationId AND version = :version', { id, organizationId, version })
      .execute();
    return result.affected === 1;
  }

  findPage(
    em: EntityManager,
    organizationId: string,
    filter: WorkstationFilter,
    after: { code: string; id: string } | null,
    limit: number,
  ): Promise<WorkstationEntity[]> {
    const qb = em
      .getRepository(WorkstationEntity)
      .createQueryBuilder('w')
      .where('w.organization_id = :organizationId', { organizationId })
      .orderBy('w.code', 'ASC')
      .addOrderBy('w.id', 'ASC')
      .limit(limit);
    if (filter.q) {
      const like = `%${filter.q.toLowerCase().replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
      qb.andWhere(
        new Brackets((w) =>
          w
            .where("LOWER(w.code) LIKE :like ESCAPE '\\'", { like })
            .orWhere("LOWER(w.hostname) LIKE :like ESCAPE '\\'", { like })
            .orWhere("w.ip_address LIKE :like ESCAPE '\\'", { like }),
        ),
      );
    }
    if (filter.kind) qb.andWhere('w.kind = :kind', { kind: filter.kind });
    if (filter.status) qb.andWhere('w.status = :status', { status: filter.status });
    if (filter.office) qb.andWhere('LOWER(w.office) = :office', { office: filter.office.toLowerCase() });
    if (filter.custodianHolderId) qb.andWhere('w.custodian_holder_id = :cid', { cid: filter.custodianHolderId });
    if (after) qb.andWhere('(w.code > :code OR (w.code = :code AND w.id > :id))', after);
    return qb.getMany();
  }
}
