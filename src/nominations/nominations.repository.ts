import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { DeviceEntity } from '../devices/entities/device.entity';
import { HolderEntity } from '../holders/holder.entity';
import { OrganizationEntity } from '../organizations/organization.entity';
import { WorkstationEntity } from '../workstations/workstation.entity';
import { NominationEntity } from './nomination.entity';
import { NominationRole, NominationStatus } from './nomination-lifecycle';

export interface NominationFilter {
  role?: NominationRole;
  status?: NominationStatus;
  holderId?: string;
}

export const CERTIFICATE_KINDS = ['workstation_certificate', 'server_certificate'] as const;
/** A certificate still valid at the CA needs someone who answers for it. */
const ENDED_CERTIFICATE_STATUSES = ['revoked', 'expired'];

export interface LiveCertificate {
  id: string;
  label: string;
  workstationId: string | null;
  /** The custodian recorded in the inventory, on the device or else on its workstation. */
  inventoryCustodianId: string | null;
}

/**
 * Queries of the nominations feature. Holders, devices, workstations and tasks belong to the
 * inventory (issue 4): they are only read here.
 */
@Injectable()
export class NominationsRepository {
  /**
   * Serializes every nomination change of one Comune. On PostgreSQL a row lock on the
   * organization; on SQLite the unit of work already runs one transaction at a time.
   */
  async lockOrganization(em: EntityManager, organizationId: string): Promise<boolean> {
    const qb = em
      .getRepository(OrganizationEntity)
      .createQueryBuilder('o')
      .select('o.id')
      .where('o.id = :organizationId', { organizationId });
    if (em.connection.driver.options.type === 'postgres') qb.setLock('pessimistic_write');
    return (await qb.getOne()) !== null;
  }

  async insert(em: EntityManager, row: NominationEntity): Promise<void> {
    await em.getRepository(NominationEntity).insert(row);
  }

  findById(em: EntityManager, organizationId: string, id: string): Promise<NominationEntity | null> {
    return em.getRepository(NominationEntity).findOneBy({ organizationId, id });
  }

  findByIds(em: EntityManager, organizationId: string, ids: string[]): Promise<NominationEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : em.getRepository(NominationEntity).findBy({ organizationId, id: In(ids) });
  }

  /**
   * Writes `changes` only if the row is still in `from` at `version`: a concurrent change makes
   * this return false instead of silently overwriting it.
   */
  async updateIfUnchanged(
    em: EntityManager,
    row: Pick<NominationEntity, 'id' | 'organizationId' | 'status' | 'version'>,
    changes: Partial<NominationEntity>,
  ): Promise<boolean> {
    const result = await em
      .createQueryBuilder()
      .update(NominationEntity)
      .set({ ...changes, updatedAt: new Date(), version: row.version + 1 })
      .where('id = :id AND organization_id = :organizationId AND status = :status AND version = :version', {
        id: row.id,
        organizationId: row.organizationId,
        status: row.status,
        version: row.version,
      })
      .execute();
    return result.affected === 1;
  }

  findActive(em: EntityManager, organizationId: string, roles?: readonly NominationRole[]): Promise<NominationEntity[]> {
    return em.getRepository(NominationEntity).find({
      where: { organizationId, status: 'active', ...(roles ? { role: In([...roles]) } : {}) },
      order: { effectiveFrom: 'ASC', id: 'ASC' },
    });
  }

  /** Active or signed nominations whose last day in force is before `today`. */
  findEndedBy(em: EntityManager, organizationId: string, today: string): Promise<NominationEntity[]> {
    return em
      .getRepository(NominationEntity)
      .createQueryBuilder('n')
      .where('n.organization_id = :organizationId', { organizationId })
      .andWhere("n.status IN ('active', 'signed')")
      .andWhere('n.effective_until IS NOT NULL AND n.effective_until < :today', { today })
      .orderBy('n.effective_until', 'ASC')
      .getMany();
  }

  /** Newest act first; the cursor is the last (act date, id) seen. */
  findPage(
    em: EntityManager,
    organizationId: string,
    filter: NominationFilter,
    after: { actDate: string; id: string } | null,
    limit: number,
  ): Promise<NominationEntity[]> {
    const qb = em
      .getRepository(NominationEntity)
      .createQueryBuilder('n')
      .where('n.organization_id = :organizationId', { organizationId })
      .orderBy('n.act_date', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .limit(limit);
    if (filter.role) qb.andWhere('n.role = :role', { role: filter.role });
    if (filter.status) qb.andWhere('n.status = :status', { status: filter.status });
    if (filter.holderId) qb.andWhere('n.holder_id = :holderId', { holderId: filter.holderId });
    if (after) qb.andWhere('(n.act_date < :actDate OR (n.act_date = :actDate AND n.id < :id))', after);
    return qb.getMany();
  }

  /** Every nomination of the Comune, for the register (a Comune has tens, not thousands). */
  findAll(em: EntityManager, organizationId: string): Promise<NominationEntity[]> {
    return em.getRepository(NominationEntity).find({ where: { organizationId }, order: { actDate: 'ASC', createdAt: 'ASC', id: 'ASC' } });
  }

  // --- the inventory, read-only ---

  findHolders(em: EntityManager, organizationId: string, ids: string[]): Promise<HolderEntity[]> {
    const unique = [...new Set(ids)];
    return unique.length === 0 ? Promise.resolve([]) : em.getRepository(HolderEntity).findBy({ organizationId, id: In(unique) });
  }

  /** Which of these holders have a smart card in the `active` state. */
  async holdersWithActiveSmartCard(em: EntityManager, organizationId: string, holderIds: string[]): Promise<Set<string>> {
    if (holderIds.length === 0) return new Set();
    const rows = await em
      .getRepository(DeviceEntity)
      .createQueryBuilder('d')
      .select('DISTINCT d.holder_id', 'holderId')
      .where("d.organization_id = :organizationId AND d.kind = 'smart_card' AND d.status = 'active'", { organizationId })
      .andWhere('d.holder_id IN (:...holderIds)', { holderIds: [...new Set(holderIds)] })
      .getRawMany<{ holderId: string }>();
    return new Set(rows.map((r) => r.holderId));
  }

  async liveCertificates(em: EntityManager, organizationId: string): Promise<LiveCertificate[]> {
    const rows = await em
      .getRepository(DeviceEntity)
      .createQueryBuilder('d')
      .leftJoin(WorkstationEntity, 'w', 'w.id = d.workstation_id AND w.organization_id = d.organization_id')
      .select('d.id', 'id')
      .addSelect('d.label', 'label')
      .addSelect('d.workstation_id', 'workstationId')
      .addSelect('COALESCE(d.custodian_holder_id, w.custodian_holder_id)', 'inventoryCustodianId')
      .where('d.organization_id = :organizationId', { organizationId })
      .andWhere('d.kind IN (:...kinds)', { kinds: [...CERTIFICATE_KINDS] })
      .andWhere('d.status NOT IN (:...ended)', { ended: ENDED_CERTIFICATE_STATUSES })
      .orderBy('d.label', 'ASC')
      .getRawMany<LiveCertificate>();
    return rows.map((r) => ({ ...r, workstationId: r.workstationId ?? null, inventoryCustodianId: r.inventoryCustodianId ?? null }));
  }

  /** Labels of the certificates (devices) among `ids`, keyed by id. */
  async certificateLabels(em: EntityManager, organizationId: string, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await em
      .getRepository(DeviceEntity)
      .findBy({ organizationId, id: In([...new Set(ids)]), kind: In([...CERTIFICATE_KINDS]) });
    return new Map(rows.map((d) => [d.id, d.label]));
  }

  /** Codes of the workstations among `ids`, keyed by id. */
  async workstationCodes(em: EntityManager, organizationId: string, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await em.getRepository(WorkstationEntity).findBy({ organizationId, id: In([...new Set(ids)]) });
    return new Map(rows.map((w) => [w.id, w.code]));
  }
}
