import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { insertMany } from '../database/insert-many';
import { CallerCheckEntity, CallerCheckOutcome } from './caller-check.entity';
import { InterventionEntity, InterventionStatus, InterventionTechnicianEntity, InterventionWorkstationEntity } from './intervention.entity';
import { ProviderEntity, TechnicianEntity } from './provider.entity';

type Keyset = { at: Date; id: string } | null;

/** Queries of providers, technicians, interventions and caller checks. */
@Injectable()
export class InterventionsRepository {
  // ----- providers and technicians -----

  async insertProvider(em: EntityManager, row: ProviderEntity): Promise<void> {
    await em.getRepository(ProviderEntity).insert(row as QueryDeepPartialEntity<ProviderEntity>);
  }

  /** Writes the provider if it is still at `version`; false when someone else changed it. */
  async updateProviderIfVersion(em: EntityManager, row: ProviderEntity, version: number): Promise<boolean> {
    const { id, organizationId, createdAt: _c, version: _v, ...fields } = row;
    const result = await em
      .createQueryBuilder()
      .update(ProviderEntity)
      .set({ ...(fields as QueryDeepPartialEntity<ProviderEntity>), version: version + 1 })
      .where('id = :id AND organization_id = :organizationId AND version = :version', { id, organizationId, version })
      .execute();
    return result.affected === 1;
  }

  findProvider(em: EntityManager, organizationId: string, id: string): Promise<ProviderEntity | null> {
    return em.getRepository(ProviderEntity).findOneBy({ organizationId, id });
  }

  findProvidersByIds(em: EntityManager, organizationId: string, ids: string[]): Promise<ProviderEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : em.getRepository(ProviderEntity).findBy({ organizationId, id: In(ids) });
  }

  /** A Comune has a handful of providers: the caller check matches names and aliases in code. */
  providersOf(em: EntityManager, organizationId: string, onlyActive: boolean): Promise<ProviderEntity[]> {
    return em
      .getRepository(ProviderEntity)
      .find({ where: { organizationId, ...(onlyActive ? { active: true } : {}) }, order: { name: 'ASC', id: 'ASC' } });
  }

  providersPage(
    em: EntityManager,
    organizationId: string,
    active: boolean | undefined,
    after: { name: string; id: string } | null,
    limit: number,
  ): Promise<ProviderEntity[]> {
    const qb = em
      .getRepository(ProviderEntity)
      .createQueryBuilder('p')
      .where('p.organization_id = :organizationId', { organizationId })
      .orderBy('p.normalized_name', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(limit);
    if (active !== undefined) qb.andWhere('p.active = :active', { active });
    if (after) qb.andWhere('(p.normalized_name > :name OR (p.normalized_name = :name AND p.id > :id))', after);
    return qb.getMany();
  }

  async insertTechnicians(em: EntityManager, rows: TechnicianEntity[]): Promise<void> {
    if (rows.length > 0) await insertMany(em, TechnicianEntity, rows);
  }

  techniciansOf(em: EntityManager, organizationId: string, providerIds: string[]): Promise<TechnicianEntity[]> {
    if (providerIds.length === 0) return Promise.resolve([]);
    return em
      .getRepository(TechnicianEntity)
      .find({ where: { organizationId, providerId: In(providerIds) }, order: { fullName: 'ASC', id: 'ASC' } });
  }

  findTechniciansByIds(em: EntityManager, organizationId: string, ids: string[]): Promise<TechnicianEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : em.getRepository(TechnicianEntity).findBy({ organizationId, id: In(ids) });
  }

  async deactivateTechnician(em: EntityManager, id: string, at: Date): Promise<void> {
    await em.getRepository(TechnicianEntity).update({ id }, { active: false, deactivatedAt: at });
  }

  // ----- interventions -----

  async insertIntervention(em: EntityManager, row: InterventionEntity, technicianIds: string[], workstationIds: string[]): Promise<void> {
    await em.getRepository(InterventionEntity).insert(row);
    const base = { interventionId: row.id, organizationId: row.organizationId };
    if (technicianIds.length > 0)
      await insertMany(
        em,
        InterventionTechnicianEntity,
        technicianIds.map((technicianId) => ({ ...base, technicianId })),
      );
    if (workstationIds.length > 0)
      await insertMany(
        em,
        InterventionWorkstationEntity,
        workstationIds.map((workstationId) => ({ ...base, workstationId })),
      );
  }

  findIntervention(em: EntityManager, organizationId: string, id: string): Promise<InterventionEntity | null> {
    return em.getRepository(InterventionEntity).findOneBy({ organizationId, id });
  }

  async updateIntervention(em: EntityManager, row: InterventionEntity, version: number): Promise<boolean> {
    const { id, organizationId, createdAt: _c, version: _v, ...fields } = row;
    const result = await em
      .createQueryBuilder()
      .update(InterventionEntity)
      .set({ ...fields, version: version + 1 })
      .where('id = :id AND organization_id = :organizationId AND version = :version', { id, organizationId, version })
      .execute();
    return result.affected === 1;
  }

  /** Scheduled interventions of these providers whose window holds `at` (start inclusive, end exclusive). */
  inWindow(em: EntityManager, organizationId: string, providerIds: string[], at: Date): Promise<InterventionEntity[]> {
    if (providerIds.length === 0) return Promise.resolve([]);
    return em
      .getRepository(InterventionEntity)
      .createQueryBuilder('i')
      .where('i.organization_id = :organizationId AND i.provider_id IN (:...providerIds)', { organizationId, providerIds })
      .andWhere("i.status = 'scheduled' AND i.starts_at <= :at AND i.ends_at > :at", { at })
      .orderBy('i.starts_at', 'ASC')
      .addOrderBy('i.id', 'ASC')
      .getMany();
  }

  /**
   * The caller check's look-up in one query: the provider's interventions scheduled for `at`, each
   * with whether one of its named technicians (active, of the same Comune) has this normalized name.
   */
  async inWindowNaming(
    em: EntityManager,
    organizationId: string,
    providerId: string,
    at: Date,
    normalizedName: string,
  ): Promise<{ intervention: InterventionEntity; named: boolean }[]> {
    const qb = em.getRepository(InterventionEntity).createQueryBuilder('i');
    const named = qb
      .subQuery()
      .select('1')
      .from(InterventionTechnicianEntity, 'it')
      .innerJoin(TechnicianEntity, 't', 't.id = it.technician_id AND t.organization_id = it.organization_id')
      .where('it.intervention_id = i.id AND t.active = :active AND t.normalized_name = :normalizedName')
      .getQuery();
    const { entities, raw } = await qb
      .addSelect(`CASE WHEN EXISTS ${named} THEN 1 ELSE 0 END`, 'named')
      .where('i.organization_id = :organizationId AND i.provider_id = :providerId', { organizationId, providerId })
      .andWhere("i.status = 'scheduled' AND i.starts_at <= :at AND i.ends_at > :at", { at })
      .setParameters({ active: true, normalizedName })
      .orderBy('i.starts_at', 'ASC')
      .addOrderBy('i.id', 'ASC')
      .getRawAndEntities<{ i_id: string; named: number | string }>();
    const namedIds = new Set(raw.filter((r) => Number(r.named) === 1).map((r) => r.i_id));
    return entities.map((intervention) => ({ intervention, named: namedIds.has(intervention.id) }));
  }

  /** Counts a wrong phrase against these interventions (compare-and-add in SQL, so concurrent checks all count). */
  async countWrongPhrase(em: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await em
      .createQueryBuilder()
      .update(InterventionEntity)
      .set({ failedPhraseAttempts: () => 'failed_phrase_attempts + 1' })
      .where('id IN (:...ids)', { ids })
      .execute();
  }

  interventionsPage(
    em: EntityManager,
    organizationId: string,
    filter: { providerId?: string; status?: InterventionStatus; endsAfter?: Date },
    after: Keyset,
    limit: number,
  ): Promise<InterventionEntity[]> {
    const qb = em
      .getRepository(InterventionEntity)
      .createQueryBuilder('i')
      .where('i.organization_id = :organizationId', { organizationId })
      .orderBy('i.starts_at', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .limit(limit);
    if (filter.providerId) qb.andWhere('i.provider_id = :providerId', { providerId: filter.providerId });
    if (filter.status) qb.andWhere('i.status = :status', { status: filter.status });
    if (filter.endsAfter) qb.andWhere('i.ends_at >= :endsAfter', { endsAfter: filter.endsAfter });
    if (after) {
      qb.andWhere(
        new Brackets((w) =>
          w.where('i.starts_at < :at', { at: after.at }).orWhere('i.starts_at = :at AND i.id < :id', { at: after.at, id: after.id }),
        ),
      );
    }
    return qb.getMany();
  }

  interventionTechnicians(em: EntityManager, interventionIds: string[]): Promise<InterventionTechnicianEntity[]> {
    return interventionIds.length === 0
      ? Promise.resolve([])
      : em.getRepository(InterventionTechnicianEntity).findBy({ interventionId: In(interventionIds) });
  }

  interventionWorkstations(em: EntityManager, interventionIds: string[]): Promise<InterventionWorkstationEntity[]> {
    return interventionIds.length === 0
      ? Promise.resolve([])
      : em.getRepository(InterventionWorkstationEntity).findBy({ interventionId: In(interventionIds) });
  }

  // ----- caller checks -----

  async insertCheck(em: EntityManager, row: CallerCheckEntity): Promise<void> {
    await em.getRepository(CallerCheckEntity).insert(row);
  }

  findCheck(em: EntityManager, organizationId: string, id: string): Promise<CallerCheckEntity | null> {
    return em.getRepository(CallerCheckEntity).findOneBy({ organizationId, id });
  }

  /** Links a check to the incident filed from it; false if it is already linked to another. */
  async linkCheck(em: EntityManager, organizationId: string, id: string, incidentId: string): Promise<boolean> {
    const result = await em
      .createQueryBuilder()
      .update(CallerCheckEntity)
      .set({ incidentId })
      .where('id = :id AND organization_id = :organizationId AND incident_id IS NULL', { id, organizationId })
      .execute();
    return result.affected === 1;
  }

  checksPage(
    em: EntityManager,
    organizationId: string,
    outcome: CallerCheckOutcome | undefined,
    after: Keyset,
    limit: number,
  ): Promise<CallerCheckEntity[]> {
    const qb = em
      .getRepository(CallerCheckEntity)
      .createQueryBuilder('c')
      .where('c.organization_id = :organizationId', { organizationId })
      .orderBy('c.checked_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit);
    if (outcome) qb.andWhere('c.outcome = :outcome', { outcome });
    if (after) {
      qb.andWhere(
        new Brackets((w) =>
          w.where('c.checked_at < :at', { at: after.at }).orWhere('c.checked_at = :at AND c.id < :id', { at: after.at, id: after.id }),
        ),
      );
    }
    return qb.getMany();
  }
}
