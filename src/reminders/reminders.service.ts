import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { OrgAccess } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { DEFAULT_PAGE_SIZE, Page, decodeCursor, toPage } from '../common/http/pagination';
import { Clock, isLocalDate, romeDate } from '../common/time';
import { UnitOfWork } from '../database/unit-of-work.service';
import { MessageComposer } from './delivery/message-composer';
import {
  AcknowledgeReminderDto,
  AcknowledgementDto,
  InboxItemDto,
  ReminderDto,
  ReminderQueryDto,
  SweepResultDto,
  mapReminder,
} from './dto/reminder.dto';
import { ReminderEntity } from './entities/reminder.entity';
import { REMINDER_CLOCK } from './reminder-clock';
import { ReminderSweepService } from './reminder-sweep.service';
import { RemindersRepository } from './reminders.repository';

@Injectable()
export class RemindersService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: RemindersRepository,
    private readonly sweeper: ReminderSweepService,
    private readonly composer: MessageComposer,
    private readonly audit: AuditService,
    @Inject(REMINDER_CLOCK) private readonly clock: Clock,
  ) {}

  /** On demand: the Comune's sweep now, looking back REMINDER_CATCH_UP_DAYS; answers with what it created. */
  async sweep(access: OrgAccess): Promise<SweepResultDto> {
    const result = await this.sweeper.sweepOrganization(access.actor, access.organizationId, 'full');
    const listed = result.reminderIds.slice(0, 200);
    const rows = await this.uow.read((em) => em.getRepository(ReminderEntity).findBy({ id: In(listed) }));
    return {
      today: result.today,
      since: result.since,
      devicesExamined: result.devicesExamined,
      created: result.created,
      items: rows.sort(byDueThenId).map(mapReminder),
    };
  }

  async list(organizationId: string, query: ReminderQueryDto): Promise<Page<ReminderDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor);
    const rows = await this.uow.read((em) =>
      this.repository.page(em, organizationId, query, cursor ? { createdAt: String(cursor.k), id: cursor.id } : null, limit + 1),
    );
    return toPage(rows, limit, (r) => ({ k: r.createdAt.toISOString(), id: r.id }), mapReminder);
  }

  /**
   * "Renewal requested": the step is acknowledged for every recipient, the ladder's other open
   * rows are cancelled, and no further step of this expiry is written until `pausedUntil` (or, with
   * no date, until the expiry changes or a successor arrives).
   */
  async acknowledge(access: OrgAccess, reminderId: string, dto: AcknowledgeReminderDto): Promise<AcknowledgementDto> {
    const today = romeDate(this.clock.now());
    if (dto.pausedUntil !== undefined && (!isLocalDate(dto.pausedUntil) || dto.pausedUntil <= today)) {
      throw new DomainError('REMINDER_PAUSE_DATE_INVALID', `pausedUntil must be a real day after today (${today})`);
    }
    return this.uow.run(async (tx) => {
      const row = await this.repository.findInOrg(tx.em, access.organizationId, reminderId);
      if (!row) throw new DomainError('REMINDER_NOT_FOUND', 'Reminder not found');
      if (row.subjectType !== 'device') {
        throw new DomainError(
          'REMINDER_NOT_ACKNOWLEDGEABLE',
          'Only device expiry reminders are acknowledged: a task reminder ends when the task moves on, a nomination reminder when the ' +
            'nomination is renewed or ends, a password rotation reminder when the change is recorded on the credential',
        );
      }
      if (access.role === 'operator') await this.assertOwnDevice(tx.em, access, row.subjectId);
      const ladder = await tx.em
        .getRepository(ReminderEntity)
        .findBy({ subjectType: 'device', subjectId: row.subjectId, expiresAt: row.expiresAt });
      const sameStep = ladder
        .filter((r) => r.stepDays === row.stepDays && ['pending', 'queued', 'sending', 'sent'].includes(r.state))
        .map((r) => r.id);
      const otherOpen = ladder
        .filter((r) => r.stepDays !== row.stepDays && ['pending', 'queued', 'sending'].includes(r.state))
        .map((r) => r.id);
      const acknowledged = await this.repository.transition(tx.em, sameStep, ['pending', 'queued', 'sending', 'sent'], 'acknowledged', {
        closedReason: 'acknowledged',
      });
      const cancelled = await this.repository.transition(tx.em, otherOpen, ['pending', 'queued', 'sending'], 'cancelled', {
        closedReason: 'acknowledged',
      });
      await this.repository.insertPause(tx.em, {
        id: randomUUID(),
        organizationId: access.organizationId,
        subjectType: 'device',
        subjectId: row.subjectId,
        expiresAt: row.expiresAt,
        pausedUntil: dto.pausedUntil ?? null,
        acknowledgedStep: row.stepDays,
        note: dto.note.trim(),
        createdBy: access.actor.label,
        createdAt: new Date(),
      });
      await this.audit.append(tx, {
        organizationId: access.organizationId,
        actor: access.actor,
        action: 'reminder.acknowledged',
        entity: 'device',
        entityId: row.subjectId,
        data: {
          reminderId: row.id,
          stepDays: row.stepDays,
          expiresAt: row.expiresAt.toISOString(),
          pausedUntil: dto.pausedUntil ?? null,
          note: dto.note.trim(),
        },
      });
      return { acknowledged, cancelled, pausedUntil: dto.pausedUntil ?? null };
    });
  }

  /** The caller's in-app messages in this Comune, newest first. */
  async inbox(access: OrgAccess, query: ReminderQueryDto): Promise<Page<InboxItemDto>> {
    if (access.userId === null) return { items: [], nextCursor: null };
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor);
    return this.uow.read(async (em) => {
      const rows = await this.repository.page(
        em,
        access.organizationId,
        { recipient: `user:${access.userId}`, channel: 'in_app', reference: query.reference, deviceId: query.deviceId, state: query.state },
        cursor ? { createdAt: String(cursor.k), id: cursor.id } : null,
        limit + 1,
      );
      const visible = rows.filter((r) => r.state !== 'pending' && r.state !== 'queued' && r.state !== 'cancelled');
      const items: (ReminderEntity & { message: { subject: string; text: string } })[] = [];
      for (const r of visible) {
        const message = await this.composer.compose(em, r).catch(() => ({ subject: r.reference, text: '' }));
        items.push(Object.assign(r, { message: { subject: message.subject, text: message.text } }));
      }
      return toPage(
        items,
        limit,
        (r) => ({ k: r.createdAt.toISOString(), id: r.id }),
        (r) => ({
          id: r.id,
          reference: r.reference,
          subject: r.message.subject,
          text: r.message.text,
          state: r.state,
          deviceId: r.deviceId,
          stepDays: r.stepDays,
          dueOn: r.dueOn,
          sentAt: r.sentAt?.toISOString() ?? null,
          readAt: r.readAt?.toISOString() ?? null,
        }),
      );
    });
  }

  async markRead(access: OrgAccess, reminderId: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const row = await this.repository.findInOrg(tx.em, access.organizationId, reminderId);
      if (!row || row.channel !== 'in_app' || row.recipient !== `user:${access.userId}`)
        throw new DomainError('REMINDER_NOT_FOUND', 'Reminder not found');
      if (row.readAt) return;
      await tx.em.getRepository(ReminderEntity).update({ id: row.id }, { readAt: new Date() });
    });
  }

  private async assertOwnDevice(em: Parameters<RemindersRepository['findDevice']>[0], access: OrgAccess, deviceId: string): Promise<void> {
    const device = await this.repository.findDevice(em, access.organizationId, deviceId);
    const ids = [device?.holderId, device?.custodianHolderId].filter((id): id is string => !!id);
    const people = await this.repository.people(em, access.organizationId, ids);
    if (![...people.values()].some((p) => p.userId !== null && p.userId === access.userId)) {
      throw new DomainError('REMINDER_NOT_FOUND', 'Reminder not found');
    }
  }
}

const byDueThenId = (a: ReminderEntity, b: ReminderEntity): number => a.dueOn.localeCompare(b.dueOn) || a.id.localeCompare(b.id);
