import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { insertMany } from '../database/insert-many';
import { AuditChainHeadEntity, AuditEventEntity } from './audit-event.entity';

@Injectable()
export class AuditRepository {
  async lockHead(em: EntityManager, chain: string): Promise<AuditChainHeadEntity | null> {
    const qb = em.getRepository(AuditChainHeadEntity).createQueryBuilder('h').where('h.chain = :chain', { chain });
    if (em.connection.driver.options.type === 'postgres') {
      qb.setLock('pessimistic_write');
      let head = await qb.getOne();
      if (!head) {
        // First append to a chain: make the head row exist, then lock it (two first writers would
        // race). Only then: every later append locks in one round trip, which matters because the
        // lock is held until the commit and serializes the Comune's writes.
        await em
          .createQueryBuilder()
          .insert()
          .into(AuditChainHeadEntity)
          .values({ chain, seq: 0, hash: '0'.repeat(64) })
          .orIgnore()
          .execute();
        head = await qb.getOne();
      }
      return head && head.seq > 0 ? head : null;
    }
    const head = await qb.getOne();
    return head && head.seq > 0 ? head : null;
  }

  insertEvents(em: EntityManager, rows: AuditEventEntity[]): Promise<void> {
    return insertMany(em, AuditEventEntity, rows);
  }

  async saveHead(em: EntityManager, head: AuditChainHeadEntity, isNew: boolean): Promise<void> {
    const repo = em.getRepository(AuditChainHeadEntity);
    if (isNew && em.connection.driver.options.type !== 'postgres') {
      await repo.insert(head);
    } else {
      await repo.update({ chain: head.chain }, { seq: head.seq, hash: head.hash });
    }
  }

  findHead(em: EntityManager, chain: string): Promise<AuditChainHeadEntity | null> {
    return em.getRepository(AuditChainHeadEntity).findOneBy({ chain });
  }

  findPage(
    em: EntityManager,
    organizationId: string,
    q: { entity?: string; entityId?: string; action?: string; beforeSeq: number | null; limit: number },
  ): Promise<AuditEventEntity[]> {
    const qb = em
      .getRepository(AuditEventEntity)
      .createQueryBuilder('a')
      .where('a.chain = :chain', { chain: organizationId })
      .orderBy('a.seq', 'DESC')
      .limit(q.limit);
    if (q.entity) qb.andWhere('a.entity = :entity', { entity: q.entity });
    if (q.entityId) qb.andWhere('a.entityId = :entityId', { entityId: q.entityId });
    if (q.action) qb.andWhere('a.action = :action', { action: q.action });
    if (q.beforeSeq !== null) qb.andWhere('a.seq < :before', { before: q.beforeSeq });
    return qb.getMany();
  }

  async *streamChain(em: EntityManager, chain: string, batchSize: number): AsyncGenerator<AuditEventEntity[]> {
    let after = 0;
    for (;;) {
      const batch = await em
        .getRepository(AuditEventEntity)
        .createQueryBuilder('a')
        .where('a.chain = :chain AND a.seq > :after', { chain, after })
        .orderBy('a.seq', 'ASC')
        .limit(batchSize)
        .getMany();
      if (batch.length === 0) return;
      yield batch;
      after = batch[batch.length - 1]!.seq;
    }
  }

  async listChains(em: EntityManager): Promise<string[]> {
    const rows = await em.getRepository(AuditChainHeadEntity).find({ select: { chain: true }, order: { chain: 'ASC' } });
    return rows.map((r) => r.chain);
  }
}
