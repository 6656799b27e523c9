import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In, IsNull, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { insertMany } from '../database/insert-many';
import type { DeviceKind, DeviceStatus } from './lifecycle';
import { rotationDueOn } from './credential-rotation';
import {
  CustodyAssignmentEntity,
  DeviceCertificateEntity,
  DeviceCredentialEntity,
  DeviceEventEntity,
  DeviceSmartCardEntity,
  HandoverReceiptEntity,
} from './entities/device-details.entity';
import { DeviceEntity } from './entities/device.entity';
import { queriesOn } from '../database/queries-on';

export type DeviceSortField = 'expiresAt' | 'createdAt' | 'label';

export interface DeviceFilter {
  kind?: DeviceKind;
  status?: DeviceStatus;
  holderId?: string;
  workstationId?: string;
  office?: string;
  q?: string;
  /** Devices expiring between now and now + N days. */
  expiringBefore?: Date;
  /** true: expiry in the past; false: no expiry or in the future. */
  expired?: boolean;
  now: Date;
  /** Operators: only devices this holder holds or keeps (null: they are no holder, so nothing). */
  onlyHolderId?: string | null;
}

export interface DeviceSort {
  field: DeviceSortField;
  descending: boolean;
}

export interface DeviceDetails {
  certificates: Map<string, DeviceCertificateEntity>;
  smartCards: Map<string, DeviceSmartCardEntity>;
  credentials: Map<string, DeviceCredentialEntity>;
}

const BULK_CHUNK = 500;

const SORT_COLUMN: Record<DeviceSortField, string> = { expiresAt: 'd.expires_at', createdAt: 'd.created_at', label: 'LOWER(d.label)' };

@Injectable()
export class DevicesRepository {
  findById(em: EntityManager, organizationId: string, id: string): Promise<DeviceEntity | null> {
    return em.getRepository(DeviceEntity).findOneBy({ organizationId, id });
  }

  findByIds(em: EntityManager, organizationId: string, ids: string[]): Promise<DeviceEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : em.getRepository(DeviceEntity).findBy({ organizationId, id: In(ids) });
  }

  async insert(em: EntityManager, device: DeviceEntity): Promise<void> {
    await em.getRepository(DeviceEntity).insert(device);
  }

  /** Writes the device if it is still at `version`; false when someone else changed it first. */
  async updateIfVersion(em: EntityManager, device: DeviceEntity, version: number): Promise<boolean> {
    const { id, organizationId, createdAt: _c, version: _v, kind: _k, ...fields } = device;
    const result = await em
      .createQueryBuilder()
      .update(DeviceEntity)
      .set({ ...fields, version: version + 1 })
      .where('id = :id AND organization_id = :organizationId AND version = :version', { id, organizationId, version })
      .execute();
    return result.affected === 1;
  }

  async insertCertificate(em: EntityManager, row: DeviceCertificateEntity): Promise<void> {
    await em.getRepository(DeviceCertificateEntity).insert(row);
  }

  async insertSmartCard(em: EntityManager, row: DeviceSmartCardEntity): Promise<void> {
    await em.getRepository(DeviceSmartCardEntity).insert(row);
  }

  async saveSmartCard(em: EntityManager, row: DeviceSmartCardEntity): Promise<void> {
    await em.getRepository(DeviceSmartCardEntity).save(row);
  }

  /** The rotation's due day is derived here, on every write, so it never disagrees with its inputs. */
  async insertCredential(em: EntityManager, row: Omit<DeviceCredentialEntity, 'rotationDueOn'>): Promise<void> {
    await em.getRepository(DeviceCredentialEntity).insert({ ...row, rotationDueOn: rotationDueOn(row) });
  }

  async saveCredential(em: EntityManager, row: DeviceCredentialEntity): Promise<void> {
    row.rotationDueOn = rotationDueOn(row);
    await em.getRepository(DeviceCredentialEntity).save(row);
  }

  findCertificateByFingerprint(
    em: EntityManager,
    organizationId: string,
    fingerprintSha256: string,
  ): Promise<DeviceCertificateEntity | null> {
    return em.getRepository(DeviceCertificateEntity).findOneBy({ organizationId, fingerprintSha256 });
  }

  /** The certificates already stored among these fingerprints, by fingerprint (a bulk import's duplicate check). */
  async findCertificatesByFingerprints(
    em: EntityManager,
    organizationId: string,
    fingerprints: string[],
  ): Promise<Map<string, DeviceCertificateEntity>> {
    const found = new Map<string, DeviceCertificateEntity>();
    for (let i = 0; i < fingerprints.length; i += BULK_CHUNK) {
      const rows = await em
        .getRepository(DeviceCertificateEntity)
        .findBy({ organizationId, fingerprintSha256: In(fingerprints.slice(i, i + BULK_CHUNK)) });
      for (const row of rows) found.set(row.fingerprintSha256, row);
    }
    return found;
  }

  /**
   * A bulk import's rows, as multi-row inserts of BULK_CHUNK rows (at most 17 columns: under
   * SQLite's 32,766 parameters), without reading defaults back: the rows are complete.
   */
  async insertImported(
    em: EntityManager,
    rows: {
      devices: DeviceEntity[];
      certificates: DeviceCertificateEntity[];
      assignments: CustodyAssignmentEntity[];
      events: DeviceEventEntity[];
    },
  ): Promise<void> {
    await insertMany(em, DeviceEntity, rows.devices, BULK_CHUNK);
    await insertMany(em, DeviceCertificateEntity, rows.certificates, BULK_CHUNK);
    await insertMany(em, CustodyAssignmentEntity, rows.assignments, BULK_CHUNK);
    await insertMany(em, DeviceEventEntity, rows.events, BULK_CHUNK);
  }

  findSmartCardBySerial(em: EntityManager, organizationId: string, serialNumber: string): Promise<DeviceSmartCardEntity | null> {
    return em.getRepository(DeviceSmartCardEntity).findOneBy({ organizationId, serialNumber });
  }

  findCredential(em: EntityManager, organizationId: string, system: string, username: string): Promise<DeviceCredentialEntity | null> {
    return em
      .getRepository(DeviceCredentialEntity)
      .findOneBy({ organizationId, system: system as DeviceCredentialEntity['system'], username });
  }

  async details(em: EntityManager, ids: string[]): Promise<DeviceDetails> {
    if (ids.length === 0) return { certificates: new Map(), smartCards: new Map(), credentials: new Map() };
    const [certificates, smartCards, credentials] = await queriesOn(
      em,
      () => em.getRepository(DeviceCertificateEntity).findBy({ deviceId: In(ids) }),
      () => em.getRepository(DeviceSmartCardEntity).findBy({ deviceId: In(ids) }),
      () => em.getRepository(DeviceCredentialEntity).findBy({ deviceId: In(ids) }),
    );
    return {
      certificates: new Map(certificates.map((r) => [r.deviceId, r])),
      smartCards: new Map(smartCards.map((r) => [r.deviceId, r])),
      credentials: new Map(credentials.map((r) => [r.deviceId, r])),
    };
  }

  /** The kind details of these devices; a detail table no device here can have is not queried. */
  async detailsOf(em: EntityManager, devices: readonly Pick<DeviceEntity, 'id' | 'kind'>[]): Promise<DeviceDetails> {
    const idsOf = (test: (kind: DeviceKind) => boolean) => devices.filter((d) => test(d.kind)).map((d) => d.id);
    const [certificateIds, smartCardIds, credentialIds] = [
      idsOf((k) => k.endsWith('_certificate')),
      idsOf((k) => k === 'smart_card'),
      idsOf((k) => k === 'credential'),
    ];
    const [certificates, smartCards, credentials] = await queriesOn(
      em,
      async () => (certificateIds.length ? em.getRepository(DeviceCertificateEntity).findBy({ deviceId: In(certificateIds) }) : []),
      async () => (smartCardIds.length ? em.getRepository(DeviceSmartCardEntity).findBy({ deviceId: In(smartCardIds) }) : []),
      async () => (credentialIds.length ? em.getRepository(DeviceCredentialEntity).findBy({ deviceId: In(credentialIds) }) : []),
    );
    return {
      certificates: new Map(certificates.map((r) => [r.deviceId, r])),
      smartCards: new Map(smartCards.map((r) => [r.deviceId, r])),
      credentials: new Map(credentials.map((r) => [r.deviceId, r])),
    };
  }

  /** Live certificates of a workstation that no successor replaces yet (successor linking). */
  findReplaceableOnWorkstation(
    em: EntityManager,
    organizationId: string,
    workstationId: string,
    kinds: DeviceKind[],
    statuses: readonly DeviceStatus[],
    exceptId: string,
  ): Promise<DeviceEntity[]> {
    return em
      .getRepository(DeviceEntity)
      .createQueryBuilder('d')
      .where('d.organization_id = :organizationId AND d.workstation_id = :workstationId AND d.successor_id IS NULL', {
        organizationId,
        workstationId,
      })
      .andWhere('d.kind IN (:...kinds) AND d.status IN (:...statuses) AND d.id <> :exceptId', { kinds, statuses: [...statuses], exceptId })
      .getMany();
  }

  findPredecessors(em: EntityManager, organizationId: string, id: string): Promise<DeviceEntity[]> {
    return em.getRepository(DeviceEntity).findBy({ organizationId, successorId: id });
  }

  /** Devices the holder holds or keeps (leaver flow). */
  findOfHolder(em: EntityManager, organizationId: string, holderId: string): Promise<DeviceEntity[]> {
    return em
      .getRepository(DeviceEntity)
      .createQueryBuilder('d')
      .where('d.organization_id = :organizationId', { organizationId })
      .andWhere('(d.holder_id = :holderId OR d.custodian_holder_id = :holderId)', { holderId })
      .orderBy('d.created_at', 'ASC')
      .getMany();
  }

  async insertEvent(em: EntityManager, event: DeviceEventEntity): Promise<void> {
    // JSON columns (data, evidence) defeat TypeORM's deep-partial typing; the row is complete.
    await em.getRepository(DeviceEventEntity).insert(event as unknown as QueryDeepPartialEntity<DeviceEventEntity>);
  }

  findEvents(em: EntityManager, deviceId: string): Promise<DeviceEventEntity[]> {
    return em.getRepository(DeviceEventEntity).find({ where: { deviceId }, order: { at: 'ASC', id: 'ASC' } });
  }

  async insertAssignment(em: EntityManager, row: CustodyAssignmentEntity): Promise<void> {
    await em.getRepository(CustodyAssignmentEntity).insert(row);
  }

  /** Ends the open assignment of this target kind; returns it (or null). */
  async endOpenAssignment(
    em: EntityManager,
    deviceId: string,
    target: 'holder' | 'workstation',
    at: Date,
    reason: string,
  ): Promise<CustodyAssignmentEntity | null> {
    const open = await em.getRepository(CustodyAssignmentEntity).findOneBy({ deviceId, target, endedAt: IsNull() });
    if (!open) return null;
    await em.getRepository(CustodyAssignmentEntity).update({ id: open.id }, { endedAt: at, endReason: reason });
    return { ...open, endedAt: at, endReason: reason };
  }

  findAssignments(em: EntityManager, deviceId: string): Promise<CustodyAssignmentEntity[]> {
    return em.getRepository(CustodyAssignmentEntity).find({ where: { deviceId }, order: { startedAt: 'ASC', id: 'ASC' } });
  }

  async insertReceipt(em: EntityManager, row: HandoverReceiptEntity): Promise<void> {
    await em.getRepository(HandoverReceiptEntity).insert(row);
  }

  findReceipt(em: EntityManager, organizationId: string, id: string): Promise<HandoverReceiptEntity | null> {
    return em.getRepository(HandoverReceiptEntity).findOneBy({ organizationId, id });
  }

  findReceiptsOfDevice(em: EntityManager, deviceId: string): Promise<HandoverReceiptEntity[]> {
    return em.getRepository(HandoverReceiptEntity).find({ where: { deviceId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async acknowledgeReceipt(em: EntityManager, id: string, at: Date, by: string, note: string | null): Promise<boolean> {
    const result = await em
      .createQueryBuilder()
      .update(HandoverReceiptEntity)
      .set({ acknowledgedAt: at, acknowledgedBy: by, acknowledgementNote: note })
      .where('id = :id AND acknowledged_at IS NULL', { id })
      .execute();
    return result.affected === 1;
  }

  /**
   * Next receipt number of the year, 'YYYY/NNNN'; PostgreSQL serializes on the Comune's row.
   * FOR NO KEY UPDATE: numbering writers queue on it, while rows that merely reference the Comune
   * (their foreign-key checks take KEY SHARE) are inserted by other requests meanwhile.
   */
  async nextReceiptNumber(em: EntityManager, organizationId: string, year: string): Promise<string> {
    if (em.connection.driver.options.type === 'postgres') {
      await em.query('SELECT id FROM organizations WHERE id = $1 FOR NO KEY UPDATE', [organizationId]);
    }
    const count = await em
      .getRepository(HandoverReceiptEntity)
      .createQueryBuilder('r')
      .where('r.organization_id = :organizationId AND r.number LIKE :prefix', { organizationId, prefix: `${year}/%` })
      .getCount();
    return `${year}/${String(count + 1).padStart(4, '0')}`;
  }

  /** The query of a page (filter, order, cursor, limit) on devices `d`; readDeviceRows joins the rest onto it. */
  pageQuery(
    em: EntityManager,
    organizationId: string,
    filter: DeviceFilter,
    sort: DeviceSort,
    after: { k: string | number | null; id: string } | null,
    limit: number,
  ): SelectQueryBuilder<DeviceEntity> {
    const qb = this.filtered(em, organizationId, filter);
    const dir = sort.descending ? 'DESC' : 'ASC';
    const col = SORT_COLUMN[sort.field];
    if (sort.field === 'expiresAt' && (filter.expiringBefore || filter.expired === true)) {
      // The filter leaves out devices without an expiry: ordering by the column alone lets the
      // (organization_id, expires_at) index give the order, so a page reads its rows instead of
      // sorting every match (bench:api, docs/benchmarks.md).
      qb.orderBy(col, dir).addOrderBy('d.id', dir);
    } else if (sort.field === 'expiresAt') {
      // Devices without an expiry come last in both directions.
      qb.orderBy('CASE WHEN d.expires_at IS NULL THEN 1 ELSE 0 END', 'ASC').addOrderBy(col, dir).addOrderBy('d.id', dir);
    } else {
      qb.orderBy(col, dir).addOrderBy('d.id', dir);
    }
    if (after) {
      const cmp = sort.descending ? '<' : '>';
      if (sort.field === 'expiresAt' && after.k === null) {
        qb.andWhere(`(d.expires_at IS NULL AND d.id ${cmp} :afterId)`, { afterId: after.id });
      } else {
        const k = sort.field === 'label' ? String(after.k) : new Date(String(after.k));
        const nulls = sort.field === 'expiresAt' ? ' OR d.expires_at IS NULL' : '';
        qb.andWhere(`(${col} ${cmp} :afterK OR (${col} = :afterK AND d.id ${cmp} :afterId)${nulls})`, { afterK: k, afterId: after.id });
      }
    }
    return qb.limit(limit);
  }

  private filtered(em: EntityManager, organizationId: string, f: DeviceFilter): SelectQueryBuilder<DeviceEntity> {
    const qb = em.getRepository(DeviceEntity).createQueryBuilder('d').where('d.organization_id = :organizationId', { organizationId });
    if (f.onlyHolderId !== undefined) {
      if (f.onlyHolderId === null) qb.andWhere('1 = 0');
      else qb.andWhere('(d.holder_id = :own OR d.custodian_holder_id = :own)', { own: f.onlyHolderId });
    }
    if (f.kind) qb.andWhere('d.kind = :kind', { kind: f.kind });
    if (f.status) qb.andWhere('d.status = :status', { status: f.status });
    if (f.holderId) qb.andWhere('(d.holder_id = :holderId OR d.custodian_holder_id = :holderId)', { holderId: f.holderId });
    if (f.workstationId) qb.andWhere('d.workstation_id = :workstationId', { workstationId: f.workstationId });
    if (f.office) {
      const office = f.office.toLowerCase();
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('EXISTS (SELECT 1 FROM holders h WHERE h.id IN (d.holder_id, d.custodian_holder_id) AND LOWER(h.office) = :office)', {
              office,
            })
            .orWhere('EXISTS (SELECT 1 FROM workstations w WHERE w.id = d.workstation_id AND LOWER(w.office) = :office)', { office }),
        ),
      );
    }
    if (f.q) {
      const like = `%${f.q.toLowerCase().replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
      qb.andWhere("LOWER(d.label) LIKE :like ESCAPE '\\'", { like });
    }
    if (f.expiringBefore) qb.andWhere('d.expires_at >= :now AND d.expires_at <= :until', { now: f.now, until: f.expiringBefore });
    if (f.expired === true) qb.andWhere('d.expires_at < :now', { now: f.now });
    if (f.expired === false) qb.andWhere('(d.expires_at IS NULL OR d.expires_at >= :now)', { now: f.now });
    return qb;
  }
}

/** The Comune's name and ISTAT code, for receipts and the import's CN check. */
export async function organizationHeader(em: EntityManager, organizationId: string): Promise<{ name: string; istatCode: string }> {
  const row = await em
    .createQueryBuilder()
    .select('o.name', 'name')
    .addSelect('o.istat_code', 'istatCode')
    .from('organizations', 'o')
    .where('o.id = :organizationId', { organizationId })
    .getRawOne<{ name: string; istatCode: string }>();
  if (!row) throw new Error(`organization ${organizationId} vanished`);
  return row;
}
