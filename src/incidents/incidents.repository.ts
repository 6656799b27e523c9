import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { insertMany } from '../database/insert-many';
import { DeviceEntity } from '../devices/entities/device.entity';
import { DeviceKind, LIVE_STATUSES } from '../devices/lifecycle';
import { OrganizationEntity } from '../organizations/organization.entity';
import { BreachRecordEntity } from './breach-record.entity';
import { IncidentEntity, IncidentStatus, IncidentType } from './incident.entity';
import {
  IncidentAttachmentEntity,
  IncidentDeviceEntity,
  IncidentEventEntity,
  IncidentHolderEntity,
  IncidentWorkstationEntity,
} from './incident-links.entity';
import { queriesOn } from '../database/queries-on';

export interface IncidentFilter {
  status?: IncidentStatus;
  type?: IncidentType;
  possibleBreach?: boolean;
  /** Members who see only what they reported. */
  onlyReportedBy?: string | null;
}

type Keyset = { at: Date; id: string } | null;

export interface IncidentLinks {
  devices: IncidentDeviceEntity[];
  holders: IncidentHolderEntity[];
  workstations: IncidentWorkstationEntity[];
}

/** Queries of the incident register. The inventory's devices are read here, never written. */
@Injectable()
export class IncidentsRepository {
  async insertIncident(em: EntityManager, row: IncidentEntity): Promise<void> {
    await em.getRepository(IncidentEntity).insert(row as QueryDeepPartialEntity<IncidentEntity>);
  }

  /** Writes the incident if it is still at `version`; false when someone else changed it first. */
  async updateIncidentIfVersion(em: EntityManager, row: IncidentEntity, version: number): Promise<boolean> {
    const { id, organizationId, createdAt: _c, version: _v, ...fields } = row;
    const result = await em
      .createQueryBuilder()
      .update(IncidentEntity)
      .set({ ...(fields as QueryDeepPartialEntity<IncidentEntity>), version: version + 1 })
      .where('id = :id AND organization_id = :organizationId AND version = :version', { id, organizationId, version })
      .execute();
    return result.affected === 1;
  }

  findIncident(em: EntityManager, organizationId: string, id: string): Promise<IncidentEntity | null> {
    return em.getRepository(IncidentEntity).findOneBy({ organizationId, id });
  }

  findIncidentsByIds(em: EntityManager, organizationId: string, ids: string[]): Promise<IncidentEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : em.getRepository(IncidentEntity).findBy({ organizationId, id: In(ids) });
  }

  incidentsPage(em: EntityManager, organizationId: string, f: IncidentFilter, after: Keyset, limit: number): Promise<IncidentEntity[]> {
    const qb = em
      .getRepository(IncidentEntity)
      .createQueryBuilder('i')
      .where('i.organization_id = :organizationId', { organizationId })
      .orderBy('i.created_at', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .limit(limit);
    if (f.onlyReportedBy !== undefined) {
      if (f.onlyReportedBy === null) qb.andWhere('1 = 0');
      else qb.andWhere('i.reported_by_user_id = :reporter', { reporter: f.onlyReportedBy });
    }
    if (f.status) qb.andWhere('i.status = :status', { status: f.status });
    if (f.type) qb.andWhere('i.type = :type', { type: f.type });
    if (f.possibleBreach !== undefined) qb.andWhere('i.possible_breach = :possibleBreach', { possibleBreach: f.possibleBreach });
    if (after) {
      qb.andWhere(
        new Brackets((w) =>
          w.where('i.created_at < :at', { at: after.at }).orWhere('i.created_at = :at AND i.id < :id', { at: after.at, id: after.id }),
        ),
      );
    }
    return qb.getMany();
  }

  /**
   * Next number of the year, 'YYYY/NNNN'; PostgreSQL serializes on the Comune's row (SQLite has one writer).
   * FOR NO KEY UPDATE: numbering writers queue on it, while rows that merely reference the Comune
   * (their foreign-key checks take KEY SHARE) are inserted by other requests meanwhile.
   */
  async nextNumber(em: EntityManager, organizationId: string, year: string): Promise<string> {
    if (em.connection.driver.options.type === 'postgres') {
      await em.query('SELECT id FROM organizations WHERE id = $1 FOR NO KEY UPDATE', [organizationId]);
    }
    const count = await em
      .getRepository(IncidentEntity)
      .createQueryBuilder('i')
      .where('i.organization_id = :organizationId AND i.number LIKE :prefix', { organizationId, prefix: `${year}/%` })
      .getCount();
    return `${year}/${String(count + 1).padStart(4, '0')}`;
  }

  // ----- links -----

  async links(em: EntityManager, incidentIds: string[]): Promise<IncidentLinks> {
    if (incidentIds.length === 0) return { devices: [], holders: [], workstations: [] };
    const where = { incidentId: In(incidentIds) };
    const [devices, holders, workstations] = await queriesOn(
      em,
      () => em.getRepository(IncidentDeviceEntity).find({ where, order: { addedAt: 'ASC' } }),
      () => em.getRepository(IncidentHolderEntity).find({ where, order: { addedAt: 'ASC' } }),
      () => em.getRepository(IncidentWorkstationEntity).find({ where, order: { addedAt: 'ASC' } }),
    );
    return { devices, holders, workstations };
  }

  /** Adds the links not already there; returns the ids newly linked. */
  async addLinks(
    em: EntityManager,
    base: { incidentId: string; organizationId: string; addedAt: Date; addedBy: string },
    ids: { deviceIds: string[]; holderIds: string[]; workstationIds: string[] },
  ): Promise<{ deviceIds: string[]; holderIds: string[]; workstationIds: string[] }> {
    const existing = await this.links(em, [base.incidentId]);
    const fresh = <T>(wanted: string[], have: T[], key: (row: T) => string) =>
      [...new Set(wanted)].filter((id) => !have.some((row) => key(row) === id));
    const deviceIds = fresh(ids.deviceIds, existing.devices, (r) => r.deviceId);
    const holderIds = fresh(ids.holderIds, existing.holders, (r) => r.holderId);
    const workstationIds = fresh(ids.workstationIds, existing.workstations, (r) => r.workstationId);
    if (deviceIds.length)
      await insertMany(
        em,
        IncidentDeviceEntity,
        deviceIds.map((deviceId) => ({ ...base, deviceId })),
      );
    if (holderIds.length)
      await insertMany(
        em,
        IncidentHolderEntity,
        holderIds.map((holderId) => ({ ...base, holderId })),
      );
    if (workstationIds.length)
      await insertMany(
        em,
        IncidentWorkstationEntity,
        workstationIds.map((workstationId) => ({ ...base, workstationId })),
      );
    return { deviceIds, holderIds, workstationIds };
  }

  // ----- evidence and timeline -----

  async insertAttachment(em: EntityManager, row: IncidentAttachmentEntity): Promise<void> {
    await em.getRepository(IncidentAttachmentEntity).insert(row);
  }

  attachments(em: EntityManager, incidentId: string): Promise<IncidentAttachmentEntity[]> {
    return em.getRepository(IncidentAttachmentEntity).find({ where: { incidentId }, order: { addedAt: 'ASC', attachmentId: 'ASC' } });
  }

  async insertEvent(em: EntityManager, row: IncidentEventEntity): Promise<void> {
    await em.getRepository(IncidentEventEntity).insert(row as QueryDeepPartialEntity<IncidentEventEntity>);
  }

  events(em: EntityManager, incidentId: string): Promise<IncidentEventEntity[]> {
    return em.getRepository(IncidentEventEntity).find({ where: { incidentId }, order: { at: 'ASC', id: 'ASC' } });
  }

  // ----- the breach register -----

  async insertBreach(em: EntityManager, row: BreachRecordEntity): Promise<void> {
    await em.getRepository(BreachRecordEntity).insert(row as QueryDeepPartialEntity<BreachRecordEntity>);
  }

  async updateBreachIfVersion(em: EntityManager, row: BreachRecordEntity, version: number): Promise<boolean> {
    const { id, organizationId, createdAt: _c, version: _v, ...fields } = row;
    const result = await em
      .createQueryBuilder()
      .update(BreachRecordEntity)
      .set({ ...(fields as QueryDeepPartialEntity<BreachRecordEntity>), version: version + 1 })
      .where('id = :id AND organization_id = :organizationId AND version = :version', { id, organizationId, version })
      .execute();
    return result.affected === 1;
  }

  findBreach(em: EntityManager, organizationId: string, incidentId: string): Promise<BreachRecordEntity | null> {
    return em.getRepository(BreachRecordEntity).findOneBy({ organizationId, incidentId });
  }

  /** The register, newest awareness first. */
  breachPage(em: EntityManager, organizationId: string, after: Keyset, limit: number): Promise<BreachRecordEntity[]> {
    const qb = em
      .getRepository(BreachRecordEntity)
      .createQueryBuilder('b')
      .where('b.organization_id = :organizationId', { organizationId })
      .orderBy('b.aware_at', 'DESC')
      .addOrderBy('b.id', 'DESC')
      .limit(limit);
    if (after) {
      qb.andWhere(
        new Brackets((w) =>
          w.where('b.aware_at < :at', { at: after.at }).orWhere('b.aware_at = :at AND b.id < :id', { at: after.at, id: after.id }),
        ),
      );
    }
    return qb.getMany();
  }

  // ----- reads of other modules' tables -----

  /** The Comune's name, ISTAT code and contacts (the DPO's), for the register and the DCSD report. */
  organization(em: EntityManager, id: string): Promise<OrganizationEntity | null> {
    return em.getRepository(OrganizationEntity).findOneBy({ id });
  }

  devicesByIds(em: EntityManager, organizationId: string, ids: string[]): Promise<DeviceEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : em.getRepository(DeviceEntity).findBy({ organizationId, id: In([...new Set(ids)]) });
  }

  /** Live devices of one kind held (or kept) by a holder, or installed on a workstation. */
  liveDevices(
    em: EntityManager,
    organizationId: string,
    kinds: DeviceKind[],
    by: { holderId?: string; workstationId?: string },
  ): Promise<DeviceEntity[]> {
    const statuses = [...new Set(kinds.flatMap((k) => LIVE_STATUSES[k] as readonly string[]))];
    const qb = em
      .getRepository(DeviceEntity)
      .createQueryBuilder('d')
      .where('d.organization_id = :organizationId AND d.kind IN (:...kinds) AND d.status IN (:...statuses)', {
        organizationId,
        kinds,
        statuses,
      })
      .orderBy('d.label', 'ASC');
    if (by.holderId) qb.andWhere('(d.holder_id = :holderId OR d.custodian_holder_id = :holderId)', { holderId: by.holderId });
    if (by.workstationId) qb.andWhere('d.workstation_id = :workstationId', { workstationId: by.workstationId });
    return qb.getMany();
  }
}
