import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In, IsNull, LessThanOrEqual } from 'typeorm';
import { MembershipEntity } from '../auth/entities/membership.entity';
import { UserEntity } from '../auth/entities/user.entity';
import { DeviceEntity } from '../devices/entities/device.entity';
import { DEVICE_KINDS, LIVE_STATUSES } from '../devices/lifecycle';
import { HolderEntity } from '../holders/holder.entity';
import { OrganizationEntity } from '../organizations/organization.entity';
import { TaskEntity } from '../tasks/task.entity';
import { WorkstationEntity } from '../workstations/workstation.entity';
import { ReminderPauseEntity } from './entities/reminder-pause.entity';
import { ReminderPolicyEntity } from './entities/reminder-policy.entity';
import { ReminderSweepStateEntity } from './entities/reminder-sweep-state.entity';
import { OPEN_STATES, ReminderEntity, ReminderState, SubjectType } from './entities/reminder.entity';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { InstantRange } from './reminder-ladder';

/** Every status in which some kind's reminders run (each kind is checked again in code). */
const ANY_LIVE_STATUS = [...new Set(DEVICE_KINDS.flatMap((k) => LIVE_STATUSES[k] as readonly string[]))];

export type DeviceForReminder = Pick<
  DeviceEntity,
  'id' | 'organizationId' | 'kind' | 'status' | 'label' | 'holderId' | 'custodianHolderId' | 'workstationId' | 'expiresAt' | 'successorId'
>;

export interface PersonRef {
  holderId: string;
  userId: string | null;
  email: string | null;
  employmentStatus: string;
}

/** Rows per INSERT: SQLite binds at most 32,766 parameters; a ledger row takes 24. */
const INSERT_CHUNK = 200;

/** Queries of the reminders module. The inventory's tables are read here, never written. */
@Injectable()
export class RemindersRepository {
  // ----- inventory reads -----

  /** Live devices without a successor whose expiry lies in one of `ranges`: one index range scan each. */
  async findDevicesExpiringIn(
    em: EntityManager,
    organizationId: string,
    range: InstantRange,
    after: { expiresAt: Date; id: string } | null,
    limit: number,
  ): Promise<DeviceForReminder[]> {
    const qb = em
      .getRepository(DeviceEntity)
      .createQueryBuilder('d')
      .select([
        'd.id',
        'd.organizationId',
        'd.kind',
        'd.status',
        'd.label',
        'd.holderId',
        'd.custodianHolderId',
        'd.workstationId',
        'd.expiresAt',
        'd.successorId',
      ])
      .where('d.organization_id = :organizationId', { organizationId })
      .andWhere('d.expires_at >= :from AND d.expires_at < :to', { from: range.from, to: range.to })
      .andWhere('d.successor_id IS NULL')
      .andWhere('d.status IN (:...live)', { live: ANY_LIVE_STATUS })
      .orderBy('d.expires_at', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .limit(limit);
    if (after) {
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('d.expires_at > :afterAt', { afterAt: after.expiresAt })
            .orWhere('d.expires_at = :afterAt AND d.id > :afterId', { afterId: after.id }),
        ),
      );
    }
    return qb.getMany();
  }

  findDevice(em: EntityManager, organizationId: string, id: string): Promise<DeviceForReminder | null> {
    return em.getRepository(DeviceEntity).findOneBy({ id, organizationId });
  }

  findDeviceById(em: EntityManager, id: string): Promise<DeviceForReminder | null> {
    return em.getRepository(DeviceEntity).findOneBy({ id });
  }

  findDevicesByIds(em: EntityManager, organizationId: string, ids: string[]): Promise<DeviceEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : em.getRepository(DeviceEntity).findBy({ organizationId, id: In(ids) });
  }

  async people(em: EntityManager, organizationId: string, holderIds: string[]): Promise<Map<string, PersonRef>> {
    if (holderIds.length === 0) return new Map();
    const rows = await em.getRepository(HolderEntity).find({
      select: { id: true, userId: true, email: true, employmentStatus: true },
      where: { organizationId, id: In(holderIds) },
    });
    return new Map(rows.map((h) => [h.id, { holderId: h.id, userId: h.userId, email: h.email, employmentStatus: h.employmentStatus }]));
  }

  async holder(em: EntityManager, organizationId: string, id: string): Promise<HolderEntity | null> {
    return em.getRepository(HolderEntity).findOneBy({ id, organizationId });
  }

  async workstationCustodians(em: EntityManager, organizationId: string, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await em
      .getRepository(WorkstationEntity)
      .find({ select: { id: true, custodianHolderId: true }, where: { organizationId, id: In(ids) } });
    return new Map(rows.filter((w) => w.custodianHolderId).map((w) => [w.id, w.custodianHolderId as string]));
  }

  /** Members holding `role` whose account is enabled. */
  async memberIds(em: EntityManager, organizationId: string, role: string): Promise<string[]> {
    const rows = await em
      .getRepository(MembershipEntity)
      .createQueryBuilder('m')
      .innerJoin(UserEntity, 'u', 'u.id = m.user_id')
      .select('m.user_id', 'userId')
      .where('m.organization_id = :organizationId AND m.role = :role AND u.disabled_at IS NULL', { organizationId, role })
      .getRawMany<{ userId: string }>();
    return rows.map((r) => r.userId).sort();
  }

  user(em: EntityManager, id: string): Promise<UserEntity | null> {
    return em.getRepository(UserEntity).findOneBy({ id });
  }

  organization(em: EntityManager, id: string): Promise<OrganizationEntity | null> {
    return em.getRepository(OrganizationEntity).findOneBy({ id });
  }

  async organizationIds(em: EntityManager, after: string | null, limit: number): Promise<string[]> {
    const qb = em.getRepository(OrganizationEntity).createQueryBuilder('o').select('o.id', 'id').orderBy('o.id', 'ASC').limit(limit);
    if (after) qb.where('o.id > :after', { after });
    return (await qb.getRawMany<{ id: string }>()).map((r) => r.id);
  }

  task(em: EntityManager, organizationId: string, id: string): Promise<TaskEntity | null> {
    return em.getRepository(TaskEntity).findOneBy({ id, organizationId });
  }

  /** Open or requested tasks whose due day is at or before `day` (reminders and escalations). */
  tasksDueBy(em: EntityManager, organizationId: string, day: string): Promise<TaskEntity[]> {
    return em.getRepository(TaskEntity).find({
      where: { organizationId, status: In(['open', 'requested']), dueOn: LessThanOrEqual(day) },
      order: { dueOn: 'ASC', id: 'ASC' },
      take: 5000,
    });
  }

  // ----- policies, pauses, sweep state, endpoints -----

  policies(em: EntityManager, organizationId: string): Promise<ReminderPolicyEntity[]> {
    return em.getRepository(ReminderPolicyEntity).findBy({ organizationId });
  }

  async savePolicy(em: EntityManager, row: ReminderPolicyEntity): Promise<void> {
    await em.getRepository(ReminderPolicyEntity).save(row);
  }

  /** Pauses of these subjects (any expiry; the caller matches the expiry). */
  async pauses(em: EntityManager, organizationId: string, subjectIds: string[]): Promise<ReminderPauseEntity[]> {
    if (subjectIds.length === 0) return [];
    return em.getRepository(ReminderPauseEntity).findBy({ organizationId, subjectId: In(subjectIds) });
  }

  /** Pauses that end in (after, today]: their ladders resume and must be swept. */
  pausesEndingBetween(em: EntityManager, organizationId: string, after: string, today: string): Promise<ReminderPauseEntity[]> {
    return em
      .getRepository(ReminderPauseEntity)
      .createQueryBuilder('p')
      .where('p.organization_id = :organizationId AND p.paused_until > :after AND p.paused_until <= :today', {
        organizationId,
        after,
        today,
      })
      .getMany();
  }

  async insertPause(em: EntityManager, row: ReminderPauseEntity): Promise<void> {
    await em.getRepository(ReminderPauseEntity).insert(row);
  }

  sweepState(em: EntityManager, organizationId: string): Promise<ReminderSweepStateEntity | null> {
    return em.getRepository(ReminderSweepStateEntity).findOneBy({ organizationId });
  }

  async saveSweepState(em: EntityManager, row: ReminderSweepStateEntity): Promise<void> {
    await em.getRepository(ReminderSweepStateEntity).save(row);
  }

  endpoint(em: EntityManager, organizationId: string, id: string): Promise<WebhookEndpointEntity | null> {
    return em.getRepository(WebhookEndpointEntity).findOneBy({ id, organizationId });
  }

  activeEndpoints(em: EntityManager, organizationId: string): Promise<WebhookEndpointEntity[]> {
    return em
      .getRepository(WebhookEndpointEntity)
      .find({ where: { organizationId, revokedAt: IsNull() }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  // ----- the ledger -----

  /** INSERT ... ON CONFLICT DO NOTHING; returns the ids actually inserted. */
  async insertOrIgnore(em: EntityManager, rows: ReminderEntity[]): Promise<string[]> {
    const created: string[] = [];
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      await em.createQueryBuilder().insert().into(ReminderEntity).values(chunk).orIgnore().updateEntity(false).execute();
      const found = await em.getRepository(ReminderEntity).find({ select: { id: true }, where: { id: In(chunk.map((r) => r.id)) } });
      created.push(...found.map((r) => r.id));
    }
    return created;
  }

  /** Why an open row must not go out any more, or null when it still applies. */
  async obsoleteReason(em: EntityManager, row: ReminderEntity): Promise<string | null> {
    if (row.subjectType !== 'device' && row.subjectType !== 'task') return null; // asked of the owning module
    if (row.subjectType === 'task') {
      const task = await this.task(em, row.organizationId, row.subjectId);
      return !task || (task.status !== 'open' && task.status !== 'requested') ? `task ${task?.status ?? 'deleted'}` : null;
    }
    const device = await this.findDeviceById(em, row.subjectId);
    if (!device) return 'device deleted';
    if (device.successorId) return 'successor';
    if (!(LIVE_STATUSES[device.kind] as readonly string[]).includes(device.status)) return `status:${device.status}`;
    if (device.expiresAt?.getTime() !== row.expiresAt.getTime()) return 'expiry changed';
    const pauses = await em
      .getRepository(ReminderPauseEntity)
      .findBy({ subjectType: 'device', subjectId: row.subjectId, expiresAt: row.expiresAt });
    return pauses.some((p) => p.pausedUntil === null || p.pausedUntil > row.dueOn) ? 'acknowledged' : null;
  }

  findById(em: EntityManager, id: string): Promise<ReminderEntity | null> {
    return em.getRepository(ReminderEntity).findOneBy({ id });
  }

  findInOrg(em: EntityManager, organizationId: string, id: string): Promise<ReminderEntity | null> {
    return em.getRepository(ReminderEntity).findOneBy({ id, organizationId });
  }

  /** Open rows of one subject. */
  openRowsOf(em: EntityManager, subjectType: SubjectType, subjectId: string): Promise<ReminderEntity[]> {
    return em.getRepository(ReminderEntity).findBy({ subjectType, subjectId, state: In([...OPEN_STATES]) });
  }

  /**
   * Moves rows from one of `from` to `to`; returns how many moved. The WHERE on the state makes
   * every move a compare-and-set: two workers never both claim a row.
   */
  async transition(
    em: EntityManager,
    ids: string[],
    from: readonly ReminderState[],
    to: ReminderState,
    extra: Partial<Pick<ReminderEntity, 'lastError' | 'sentAt' | 'closedReason' | 'readAt'>> & { incrementAttempts?: boolean } = {},
  ): Promise<number> {
    if (ids.length === 0) return 0;
    const { incrementAttempts, ...fields } = extra;
    const now = new Date();
    const qb = em
      .createQueryBuilder()
      .update(ReminderEntity)
      .set({ state: to, stateChangedAt: now, updatedAt: now, ...fields, ...(incrementAttempts ? { attempts: () => 'attempts + 1' } : {}) })
      .where('id IN (:...ids)', { ids })
      .andWhere('state IN (:...from)', { from: [...from] });
    const result = await qb.execute();
    return result.affected ?? 0;
  }

  /** Pending rows whose time has come, oldest first. */
  dispatchable(em: EntityManager, now: Date, limit: number): Promise<ReminderEntity[]> {
    return em
      .getRepository(ReminderEntity)
      .createQueryBuilder('r')
      .select(['r.id', 'r.channel'])
      .where("r.state = 'pending' AND r.send_at <= :now", { now })
      .orderBy('r.send_at', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Rows left `queued` or `sending` for longer than `olderThan` (a lost job, a dead worker). */
  stale(em: EntityManager, states: ReminderState[], olderThan: Date, limit: number): Promise<ReminderEntity[]> {
    return em
      .getRepository(ReminderEntity)
      .createQueryBuilder('r')
      .where('r.state IN (:...states) AND r.state_changed_at < :olderThan', { states, olderThan })
      .orderBy('r.state_changed_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  page(
    em: EntityManager,
    organizationId: string,
    q: { state?: string; deviceId?: string; recipient?: string; channel?: string; reference?: string },
    after: { createdAt: string; id: string } | null,
    limit: number,
  ): Promise<ReminderEntity[]> {
    const qb = em
      .getRepository(ReminderEntity)
      .createQueryBuilder('r')
      .where('r.organization_id = :organizationId', { organizationId })
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(limit);
    if (q.state) qb.andWhere('r.state = :state', { state: q.state });
    if (q.deviceId) qb.andWhere('r.device_id = :deviceId', { deviceId: q.deviceId });
    if (q.recipient) qb.andWhere('r.recipient = :recipient', { recipient: q.recipient });
    if (q.channel) qb.andWhere('r.channel = :channel', { channel: q.channel });
    if (q.reference) qb.andWhere('r.reference = :reference', { reference: q.reference });
    if (after) {
      const at = new Date(after.createdAt);
      qb.andWhere(
        new Brackets((w) => w.where('r.created_at < :at', { at }).orWhere('r.created_at = :at AND r.id < :id', { id: after.id })),
      );
    }
    return qb.getMany();
  }

  async countByState(em: EntityManager): Promise<{ state: string; count: number }[]> {
    const rows = await em
      .getRepository(ReminderEntity)
      .createQueryBuilder('r')
      .select('r.state', 'state')
      .addSelect('COUNT(*)', 'count')
      .groupBy('r.state')
      .getRawMany<{ state: string; count: string | number }>();
    return rows.map((r) => ({ state: r.state, count: Number(r.count) }));
  }
}
