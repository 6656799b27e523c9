import { Injectable } from '@nestjs/common';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { DeviceCredentialEntity } from '../devices/entities/device-details.entity';
import { DeviceEntity } from '../devices/entities/device.entity';
import { NominationEntity } from '../nominations/nomination.entity';
import type { NominationRole } from '../nominations/nomination-lifecycle';
import { DayCursor } from './day-ladder';
import { DayRange } from './reminder-ladder';

export type NominationForReminder = Pick<
  NominationEntity,
  'id' | 'organizationId' | 'role' | 'holderId' | 'status' | 'effectiveFrom' | 'effectiveUntil' | 'actType' | 'actNumber' | 'actDate'
>;

/** A credential's password rotation: the account and the device row it belongs to. */
export interface RotationForReminder {
  deviceId: string;
  organizationId: string;
  status: string;
  successorId: string | null;
  holderId: string | null;
  system: string;
  username: string;
  lastRotatedOn: string | null;
  issuedOn: string | null;
  rotationDays: number | null;
  rotationDueOn: string | null;
}

/** Statuses in which a credential can be used, so its password must change (a suspended one cannot log in). */
export const ROTATION_STATUSES = ['enabled', 'active'] as const;

/**
 * Reads of the nominations and credentials tables for their reminder ladders, through
 * (organization_id, effective_until) and (organization_id, rotation_due_on). Never writes them.
 */
@Injectable()
export class DayLaddersRepository {
  /** Active nominations whose last day in force lies in `band`. */
  nominationsEndingIn(
    em: EntityManager,
    organizationId: string,
    band: DayRange,
    after: DayCursor | null,
    limit: number,
  ): Promise<NominationForReminder[]> {
    const qb = this.nominations(em)
      .where('n.organization_id = :organizationId', { organizationId })
      .andWhere('n.effective_until >= :from AND n.effective_until < :to', band)
      .andWhere("n.status = 'active'")
      .orderBy('n.effective_until', 'ASC')
      .addOrderBy('n.id', 'ASC')
      .limit(limit);
    if (after)
      qb.andWhere('(n.effective_until > :afterDay OR (n.effective_until = :afterDay AND n.id > :afterId))', {
        afterDay: after.day,
        afterId: after.id,
      });
    return qb.getMany();
  }

  nomination(em: EntityManager, id: string): Promise<NominationForReminder | null> {
    return this.nominations(em).where('n.id = :id', { id }).getOne();
  }

  /** Signed or active nominations of these roles: the candidates to renew a nomination that ends. */
  async renewalCandidates(em: EntityManager, organizationId: string, roles: NominationRole[]): Promise<NominationForReminder[]> {
    if (roles.length === 0) return [];
    return this.nominations(em)
      .where('n.organization_id = :organizationId', { organizationId })
      .andWhere("n.status IN ('signed', 'active')")
      .andWhere('n.role IN (:...roles)', { roles: [...new Set(roles)] })
      .getMany();
  }

  /** Active nominations of `role` that have a last day: those a new nomination of that role may renew. */
  endingNominationsOfRole(em: EntityManager, organizationId: string, role: NominationRole): Promise<NominationForReminder[]> {
    return this.nominations(em)
      .where('n.organization_id = :organizationId AND n.role = :role', { organizationId, role })
      .andWhere("n.status = 'active' AND n.effective_until IS NOT NULL")
      .getMany();
  }

  /** Usable credentials without a successor whose password is due to change on a day in `band`. */
  async rotationsDueIn(
    em: EntityManager,
    organizationId: string,
    band: DayRange,
    after: DayCursor | null,
    limit: number,
  ): Promise<RotationForReminder[]> {
    const qb = this.rotations(em)
      .where('c.organization_id = :organizationId', { organizationId })
      .andWhere('c.rotation_due_on >= :from AND c.rotation_due_on < :to', band)
      .andWhere('d.successor_id IS NULL')
      .andWhere('d.status IN (:...statuses)', { statuses: [...ROTATION_STATUSES] })
      .orderBy('c.rotation_due_on', 'ASC')
      .addOrderBy('c.device_id', 'ASC')
      .limit(limit);
    if (after) {
      qb.andWhere('(c.rotation_due_on > :afterDay OR (c.rotation_due_on = :afterDay AND c.device_id > :afterId))', {
        afterDay: after.day,
        afterId: after.id,
      });
    }
    return (await qb.getRawMany<RotationForReminder>()).map(normalizeRotation);
  }

  async rotation(em: EntityManager, deviceId: string): Promise<RotationForReminder | null> {
    const row = await this.rotations(em).where('c.device_id = :deviceId', { deviceId }).getRawOne<RotationForReminder>();
    return row ? normalizeRotation(row) : null;
  }

  private nominations(em: EntityManager): SelectQueryBuilder<NominationEntity> {
    return em
      .getRepository(NominationEntity)
      .createQueryBuilder('n')
      .select([
        'n.id',
        'n.organizationId',
        'n.role',
        'n.holderId',
        'n.status',
        'n.effectiveFrom',
        'n.effectiveUntil',
        'n.actType',
        'n.actNumber',
        'n.actDate',
      ]);
  }

  private rotations(em: EntityManager): SelectQueryBuilder<DeviceCredentialEntity> {
    return em
      .getRepository(DeviceCredentialEntity)
      .createQueryBuilder('c')
      .innerJoin(DeviceEntity, 'd', 'd.id = c.device_id')
      .select('c.device_id', 'deviceId')
      .addSelect('c.organization_id', 'organizationId')
      .addSelect('d.status', 'status')
      .addSelect('d.successor_id', 'successorId')
      .addSelect('d.holder_id', 'holderId')
      .addSelect('c.system', 'system')
      .addSelect('c.username', 'username')
      .addSelect('c.last_rotated_on', 'lastRotatedOn')
      .addSelect('c.issued_on', 'issuedOn')
      .addSelect('c.rotation_days', 'rotationDays')
      .addSelect('c.rotation_due_on', 'rotationDueOn');
  }
}

function normalizeRotation(r: RotationForReminder): RotationForReminder {
  return {
    ...r,
    successorId: r.successorId ?? null,
    holderId: r.holderId ?? null,
    lastRotatedOn: r.lastRotatedOn ?? null,
    issuedOn: r.issuedOn ?? null,
    rotationDays: r.rotationDays === null || r.rotationDays === undefined ? null : Number(r.rotationDays),
    rotationDueOn: r.rotationDueOn ?? null,
  };
}
