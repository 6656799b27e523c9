import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AttachmentEntity } from './attachment.entity';

@Injectable()
export class AttachmentsRepository {
  async insert(em: EntityManager, row: AttachmentEntity): Promise<void> {
    await em.getRepository(AttachmentEntity).insert(row);
  }

  /** Metadata only. */
  findById(em: EntityManager, organizationId: string, id: string): Promise<AttachmentEntity | null> {
    return em.getRepository(AttachmentEntity).findOneBy({ organizationId, id });
  }

  findByIds(em: EntityManager, organizationId: string, ids: string[]): Promise<AttachmentEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return em
      .getRepository(AttachmentEntity)
      .createQueryBuilder('a')
      .where('a.organization_id = :organizationId AND a.id IN (:...ids)', { organizationId, ids })
      .getMany();
  }

  /** Metadata and bytes. */
  findWithContent(em: EntityManager, organizationId: string, id: string): Promise<AttachmentEntity | null> {
    return em
      .getRepository(AttachmentEntity)
      .createQueryBuilder('a')
      .addSelect('a.content')
      .where('a.organization_id = :organizationId AND a.id = :id', { organizationId, id })
      .getOne();
  }

  countForOrganization(em: EntityManager, organizationId: string): Promise<number> {
    return em.getRepository(AttachmentEntity).countBy({ organizationId });
  }
}
