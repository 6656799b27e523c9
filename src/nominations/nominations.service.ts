import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Actor, SYSTEM_ACTOR } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { AttachmentsService, UploadedFileLike } from '../attachments/attachments.service';
import { OrgAccess } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { Clock, romeDate } from '../common/time';
import { Tx, UnitOfWork } from '../database/unit-of-work.service';
import { HolderEntity, holderName } from '../holders/holder.entity';
import { NominationReminders } from '../reminders/nomination-reminders.service';
import { ActivateNominationDto, CreateNominationDto, NominationDto, RevokeNominationDto, SignNominationDto } from './dto/nomination.dto';
import { NOMINATION_CLOCK } from './nomination-clock';
import { actLabel, italianDate } from './nomination-labels';
import { NominationAction, SINGLE_HOLDER_ROLES, allowedNominationActions, nextNominationStatus } from './nomination-lifecycle';
import { checkedScope } from './nomination-scope';
import { NominationViews } from './nomination-views';
import { NominationEntity } from './nomination.entity';
import { NominationsRepository } from './nominations.repository';
import { PrivilegeRemovalTasks } from './privilege-removal-tasks.service';

/** The Mayor's office's acts on nominations: create, attach the signed act, sign, activate, revoke. */
@Injectable()
export class NominationsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: NominationsRepository,
    private readonly views: NominationViews,
    private readonly attachments: AttachmentsService,
    private readonly audit: AuditService,
    private readonly privilegeRemoval: PrivilegeRemovalTasks,
    private readonly reminders: NominationReminders,
    @Inject(NOMINATION_CLOCK) private readonly clock: Clock,
  ) {}

  async create(access: OrgAccess, dto: CreateNominationDto): Promise<NominationDto> {
    if (dto.effectiveUntil !== undefined && dto.effectiveUntil < dto.effectiveFrom) {
      throw new DomainError('NOMINATION_DATES_INVALID', 'effectiveUntil is before effectiveFrom');
    }
    const organizationId = access.organizationId;
    return this.uow.run(async (tx) => {
      const holder = await this.nominee(tx, organizationId, dto.holderId);
      assertNotSelf(access, holder);
      const scope = await checkedScope(tx.em, this.repository, organizationId, dto.role, dto.scope);
      const now = this.clock.now();
      const row: NominationEntity = {
        id: randomUUID(),
        organizationId,
        role: dto.role,
        holderId: holder.id,
        status: 'draft',
        actType: dto.actType ?? 'decreto_sindacale',
        actNumber: dto.actNumber.trim(),
        actDate: dto.actDate,
        effectiveFrom: dto.effectiveFrom,
        effectiveUntil: dto.effectiveUntil ?? null,
        signedBy: dto.signedBy.trim(),
        scope,
        notes: dto.notes?.trim() || null,
        actAttachmentId: null,
        signedAt: null,
        signedRecordedBy: null,
        registeredOn: null,
        activatedAt: null,
        activatedBy: null,
        endedAt: null,
        endedBy: null,
        endReason: null,
        supersededById: null,
        createdBy: access.actor.label,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await this.repository.insert(tx.em, row);
      const { role, holderId, actType, actNumber, actDate, effectiveFrom, effectiveUntil, signedBy } = row;
      await this.record(tx, access.actor, row, 'nomination.created', {
        role,
        holderId,
        actType,
        actNumber,
        actDate,
        effectiveFrom,
        effectiveUntil,
        signedBy,
        scope,
      });
      return this.views.one(tx.em, row);
    });
  }

  /** Stores the signed act (a PDF, checked before any transaction opens) and links it. */
  async attachAct(access: OrgAccess, id: string, file: UploadedFileLike | undefined): Promise<NominationDto> {
    const upload = await this.attachments.checkPdfUpload(file);
    return this.uow.run(async (tx) => {
      const row = await this.locked(tx, access.organizationId, id);
      const replaceable = row.status === 'draft' || ((row.status === 'signed' || row.status === 'active') && row.actAttachmentId === null);
      if (!replaceable) {
        throw new DomainError('NOMINATION_ACT_LOCKED', `The act of a ${row.status} nomination that already has one cannot be replaced`, {
          currentStatus: row.status,
        });
      }
      assertNotSelf(access, await this.nominee(tx, row.organizationId, row.holderId, { allowLeaver: true }));
      const stored = await this.attachments.store(tx, row.organizationId, access.actor, upload, 'nomination_act');
      await this.update(tx, row, { actAttachmentId: stored.id });
      await this.record(tx, access.actor, row, 'nomination.act_attached', {
        attachmentId: stored.id,
        sha256: stored.sha256,
        sizeBytes: stored.sizeBytes,
        replaced: row.actAttachmentId,
      });
      return this.views.one(tx.em, { ...row, actAttachmentId: stored.id, version: row.version + 1 });
    });
  }

  async sign(access: OrgAccess, id: string, dto: SignNominationDto): Promise<NominationDto> {
    return this.uow.run(async (tx) => {
      const row = await this.locked(tx, access.organizationId, id);
      assertAllowed(row, 'sign');
      assertNotSelf(access, await this.nominee(tx, row.organizationId, row.holderId, { allowLeaver: true }));
      if (row.actAttachmentId === null) {
        throw new DomainError('NOMINATION_ACT_REQUIRED', 'Attach the signed act (PDF) before recording the signature');
      }
      const changes = {
        status: 'signed' as const,
        signedAt: this.clock.now(),
        signedRecordedBy: access.actor.label,
        actNumber: dto.actNumber?.trim() ?? row.actNumber,
        actDate: dto.actDate ?? row.actDate,
      };
      const updated = await this.update(tx, row, changes);
      await this.record(tx, access.actor, row, 'nomination.signed', {
        from: row.status,
        actNumber: changes.actNumber,
        actDate: changes.actDate,
      });
      // A signed renewal stops the reminders of the nomination it renews.
      await this.reminders.onNominationChanged(tx, row.id);
      return this.views.one(tx.em, updated);
    });
  }

  /**
   * Registers the nomination as in force. An ALS or ALP nomination supersedes the one in force in
   * the same transaction; the organization row lock (PostgreSQL) or the single writer (SQLite)
   * plus a partial unique index make two ALS in force impossible under concurrent requests.
   */
  async activate(access: OrgAccess, id: string, dto: ActivateNominationDto): Promise<NominationDto> {
    return this.uow.run(async (tx) => {
      const row = await this.locked(tx, access.organizationId, id);
      assertAllowed(row, 'activate');
      const holder = await this.nominee(tx, row.organizationId, row.holderId);
      assertNotSelf(access, holder);
      const now = this.clock.now();
      const today = romeDate(now);
      const registeredOn = dto.registeredOn ?? today;
      if (registeredOn > today || registeredOn < row.actDate) {
        throw new DomainError('NOMINATION_DATES_INVALID', 'registeredOn must be between the act date and today', {
          actDate: row.actDate,
          today,
        });
      }
      if (row.effectiveUntil !== null && row.effectiveUntil < today) {
        throw new DomainError('NOMINATION_ENDED_BEFORE_ACTIVATION', 'The nomination ended before it could be registered', {
          effectiveUntil: row.effectiveUntil,
        });
      }
      const previous = SINGLE_HOLDER_ROLES.includes(row.role)
        ? await this.repository.findActive(tx.em, row.organizationId, [row.role])
        : [];
      const reason = `Sostituita dalla nomina di ${holderName(holder)} (${actLabel(row)})`;
      for (const p of previous) {
        await this.update(tx, p, {
          status: 'superseded',
          supersededById: row.id,
          endedAt: now,
          endedBy: access.actor.label,
          endReason: reason,
        });
        await this.record(tx, access.actor, p, 'nomination.superseded', { from: p.status, supersededById: row.id });
      }
      const updated = await this.update(tx, row, { status: 'active', registeredOn, activatedAt: now, activatedBy: access.actor.label });
      await this.record(tx, access.actor, row, 'nomination.activated', {
        from: row.status,
        registeredOn,
        supersededIds: previous.map((p) => p.id),
      });
      for (const p of previous) {
        if (p.holderId !== row.holderId) await this.privilegeRemoval.open(tx, access.actor, p, 'sostituita', today);
        await this.reminders.onNominationChanged(tx, p.id);
      }
      await this.reminders.onNominationChanged(tx, row.id);
      return this.views.one(tx.em, updated);
    });
  }

  async revoke(access: OrgAccess, id: string, dto: RevokeNominationDto): Promise<NominationDto> {
    return this.uow.run(async (tx) => {
      const row = await this.locked(tx, access.organizationId, id);
      assertAllowed(row, 'revoke');
      const now = this.clock.now();
      const reason = dto.reason.trim();
      const updated = await this.update(tx, row, { status: 'revoked', endedAt: now, endedBy: access.actor.label, endReason: reason });
      await this.record(tx, access.actor, row, 'nomination.revoked', { from: row.status, reason });
      if (row.status === 'active') await this.privilegeRemoval.open(tx, access.actor, row, 'revocata', romeDate(now));
      await this.reminders.onNominationChanged(tx, row.id);
      return this.views.one(tx.em, updated);
    });
  }

  /**
   * Moves nominations past their last day to `expired` (active ones leave a privilege-removal
   * task). Run before the Mayor's office reads, so what it sees is never stale; cheap when nothing
   * is due (one indexed read, no transaction).
   */
  async expireDue(organizationId: string): Promise<number> {
    const today = romeDate(this.clock.now());
    const due = await this.uow.read((em) => this.repository.findEndedBy(em, organizationId, today));
    if (due.length === 0) return 0;
    return this.uow.run(async (tx) => {
      await this.repository.lockOrganization(tx.em, organizationId);
      const rows = await this.repository.findEndedBy(tx.em, organizationId, today);
      for (const row of rows) {
        assertAllowed(row, 'expire');
        const endReason = `Scaduta: in vigore fino al ${italianDate(row.effectiveUntil)}`;
        await this.update(tx, row, { status: 'expired', endedAt: this.clock.now(), endedBy: SYSTEM_ACTOR.label, endReason });
        await this.record(tx, SYSTEM_ACTOR, row, 'nomination.expired', { from: row.status, effectiveUntil: row.effectiveUntil });
        if (row.status === 'active') await this.privilegeRemoval.open(tx, SYSTEM_ACTOR, row, 'scaduta', today);
        await this.reminders.onNominationChanged(tx, row.id);
      }
      return rows.length;
    });
  }

  // --- helpers ---

  /** Takes the Comune's nomination lock, then reads the row as it is now. */
  private async locked(tx: Tx, organizationId: string, id: string): Promise<NominationEntity> {
    await this.repository.lockOrganization(tx.em, organizationId);
    const row = await this.repository.findById(tx.em, organizationId, id);
    if (!row) throw new DomainError('NOMINATION_NOT_FOUND', 'Nomination not found');
    return row;
  }

  private async nominee(tx: Tx, organizationId: string, holderId: string, options: { allowLeaver?: boolean } = {}): Promise<HolderEntity> {
    const [holder] = await this.repository.findHolders(tx.em, organizationId, [holderId]);
    if (!holder) throw new DomainError('NOMINEE_NOT_FOUND', 'The nominee is not a holder of this Comune', { holderId });
    if (!options.allowLeaver && holder.employmentStatus === 'leaver') {
      throw new DomainError('NOMINEE_HAS_LEFT', 'The nominee has left the Comune', { holderId });
    }
    return holder;
  }

  private async update(tx: Tx, row: NominationEntity, changes: Partial<NominationEntity>): Promise<NominationEntity> {
    if (!(await this.repository.updateIfUnchanged(tx.em, row, changes))) {
      throw new DomainError('NOMINATION_TRANSITION_NOT_ALLOWED', 'The nomination was changed by someone else; read it again', {
        currentStatus: row.status,
      });
    }
    return { ...row, ...changes, version: row.version + 1 };
  }

  private record(tx: Tx, actor: Actor, row: NominationEntity, action: string, data: Record<string, unknown>): Promise<void> {
    return this.audit.append(tx, { organizationId: row.organizationId, actor, action, entity: 'nomination', entityId: row.id, data });
  }
}

function assertAllowed(row: NominationEntity, action: NominationAction): void {
  if (nextNominationStatus(row.status, action) === null) {
    throw new DomainError(
      'NOMINATION_TRANSITION_NOT_ALLOWED',
      `A ${row.status} nomination cannot be ${action === 'sign' ? 'signed' : `${action}d`}`,
      {
        currentStatus: row.status,
        action,
        allowedActions: allowedNominationActions(row.status),
      },
    );
  }
}

/** Nobody nominates themselves: the signed-in user may not be the nominee (design.md section 3). */
function assertNotSelf(access: OrgAccess, holder: HolderEntity): void {
  const byUser = access.userId !== null && holder.userId === access.userId;
  const byEmail = access.actor.type === 'user' && holder.email !== null && holder.email.toLowerCase() === access.actor.label.toLowerCase();
  if (byUser || byEmail) {
    throw new DomainError(
      'NOMINATION_SELF_NOT_ALLOWED',
      'Nobody can record their own nomination: another member of the Mayor’s office must',
    );
  }
}
