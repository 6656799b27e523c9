import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In, IsNull } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import { MembershipEntity } from '../../auth/entities/membership.entity';
import { OrgAccess } from '../../auth/principal';
import { TokenHasher } from '../../auth/token-hasher';
import { DomainError } from '../../common/errors/domain-error';
import { Clock, romeDate } from '../../common/time';
import { UnitOfWork } from '../../database/unit-of-work.service';
import { DeviceEntity } from '../../devices/entities/device.entity';
import { DEVICE_KINDS, KIND_LABELS_IT, LIVE_STATUSES } from '../../devices/lifecycle';
import { HolderEntity } from '../../holders/holder.entity';
import { OrganizationEntity } from '../../organizations/organization.entity';
import { TASK_TYPE_LABELS_IT } from '../../tasks/dto/task.dto';
import { TaskEntity } from '../../tasks/task.entity';
import { CalendarFeedDto } from '../dto/channels.dto';
import { CalendarFeedEntity } from '../entities/calendar-feed.entity';
import { REMINDER_CLOCK } from '../reminder-clock';
import { IcsEvent, icsCalendar } from './ics';

const HORIZON_MS = 400 * 86_400_000;
const MAX_EVENTS = 2000;
const ANY_LIVE = [...new Set(DEVICE_KINDS.flatMap((k) => LIVE_STATUSES[k] as readonly string[]))];
const NOTE = 'Apri Custode come di consueto per i dettagli. Questo calendario non contiene link.';

/**
 * A per-user iCalendar feed of expiries and task deadlines, behind a read-only token that only
 * reads the feed and can be revoked (only its HMAC is stored). What a user sees follows their
 * role: the ALS, the Mayor's office and the auditor every device; the ALP the certificates; an
 * operator their own devices.
 */
@Injectable()
export class CalendarFeedService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tokens: TokenHasher,
    private readonly audit: AuditService,
    @Inject(REMINDER_CLOCK) private readonly clock: Clock,
  ) {}

  /** Creates the caller's feed token, revoking the previous one. */
  async create(access: OrgAccess): Promise<CalendarFeedDto> {
    if (access.userId === null) throw new DomainError('FORBIDDEN', 'Only a signed-in person has a calendar feed');
    const userId = access.userId;
    const { token, hash } = this.tokens.generate('feed');
    await this.uow.run(async (tx) => {
      const now = new Date();
      await tx.em
        .getRepository(CalendarFeedEntity)
        .update({ organizationId: access.organizationId, userId, revokedAt: IsNull() }, { revokedAt: now });
      const row: CalendarFeedEntity = {
        id: randomUUID(),
        organizationId: access.organizationId,
        userId,
        tokenHash: hash,
        createdAt: now,
        revokedAt: null,
        lastUsedAt: null,
      };
      await tx.em.getRepository(CalendarFeedEntity).insert(row);
      await this.audit.append(tx, {
        organizationId: access.organizationId,
        actor: access.actor,
        action: 'calendar_feed.created',
        entity: 'calendar_feed',
        entityId: row.id,
      });
    });
    return { path: `/api/v1/calendar/${token}.ics`, token };
  }

  async revoke(access: OrgAccess): Promise<void> {
    await this.uow.run(async (tx) => {
      const result = await tx.em
        .getRepository(CalendarFeedEntity)
        .update({ organizationId: access.organizationId, userId: access.userId ?? '', revokedAt: IsNull() }, { revokedAt: new Date() });
      if (!result.affected) throw new DomainError('CALENDAR_FEED_NOT_FOUND', 'No calendar feed to revoke');
      await this.audit.append(tx, {
        organizationId: access.organizationId,
        actor: access.actor,
        action: 'calendar_feed.revoked',
        entity: 'calendar_feed',
        entityId: null,
      });
    });
  }

  /** The feed for a token; an unknown or revoked token, or a former member, is not found. */
  async render(token: string): Promise<string> {
    if (this.tokens.kindOf(token) !== 'feed') throw new DomainError('CALENDAR_FEED_NOT_FOUND', 'Calendar feed not found');
    const hash = this.tokens.hash(token);
    return this.uow.read(async (em) => {
      const feed = await em.getRepository(CalendarFeedEntity).findOneBy({ tokenHash: hash, revokedAt: IsNull() });
      const membership = feed
        ? await em.getRepository(MembershipEntity).findOneBy({ organizationId: feed.organizationId, userId: feed.userId })
        : null;
      if (!feed || !membership) throw new DomainError('CALENDAR_FEED_NOT_FOUND', 'Calendar feed not found');
      const org = await em.getRepository(OrganizationEntity).findOneByOrFail({ id: feed.organizationId });
      const events = [...(await this.deviceEvents(em, feed, membership.role)), ...(await this.taskEvents(em, feed, membership.role))];
      return icsCalendar(`Custode - ${org.name}`, events.slice(0, MAX_EVENTS));
    });
  }

  private async deviceEvents(em: EntityManager, feed: CalendarFeedEntity, role: string): Promise<IcsEvent[]> {
    const now = this.clock.now().getTime();
    const qb = em
      .getRepository(DeviceEntity)
      .createQueryBuilder('d')
      .where('d.organization_id = :org', { org: feed.organizationId })
      .andWhere('d.expires_at >= :from AND d.expires_at < :to', { from: new Date(now - 30 * 86_400_000), to: new Date(now + HORIZON_MS) })
      .andWhere('d.successor_id IS NULL AND d.status IN (:...live)', { live: ANY_LIVE })
      .orderBy('d.expires_at', 'ASC')
      .limit(MAX_EVENTS);
    if (role === 'workstation_admin') qb.andWhere('d.kind IN (:...kinds)', { kinds: ['workstation_certificate', 'server_certificate'] });
    if (role === 'operator') {
      const mine = (await em.getRepository(HolderEntity).findBy({ organizationId: feed.organizationId, userId: feed.userId })).map(
        (h) => h.id,
      );
      if (mine.length === 0) return [];
      qb.andWhere(
        new Brackets((w) => w.where('d.holder_id IN (:...mine)', { mine }).orWhere('d.custodian_holder_id IN (:...mine)', { mine })),
      );
    }
    const devices = await qb.getMany();
    return devices.map((d) => ({
      uid: `device-${d.id}-${(d.expiresAt as Date).getTime()}@custode`,
      day: romeDate(d.expiresAt as Date),
      summary: `Scadenza: ${KIND_LABELS_IT[d.kind]} ${d.label}`,
      description: NOTE,
      stamp: d.updatedAt,
    }));
  }

  private async taskEvents(em: EntityManager, feed: CalendarFeedEntity, role: string): Promise<IcsEvent[]> {
    if (role === 'operator') return [];
    const where = { organizationId: feed.organizationId, status: In(['open', 'requested']) };
    const tasks = await em.getRepository(TaskEntity).find({
      where: role === 'security_admin' || role === 'workstation_admin' ? { ...where, assigneeRole: role } : where,
      order: { dueOn: 'ASC' },
      take: MAX_EVENTS,
    });
    return tasks
      .filter((task) => task.dueOn !== null)
      .map((task) => ({
        uid: `task-${task.id}@custode`,
        day: task.dueOn as string,
        summary: `Attività: ${TASK_TYPE_LABELS_IT[task.type] ?? task.type}`,
        description: NOTE,
        stamp: task.updatedAt,
      }));
  }
}
