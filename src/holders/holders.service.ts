import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { assertVersion } from '../common/http/if-match';
import { DEFAULT_PAGE_SIZE, Page, decodeCursor, toPage } from '../common/http/pagination';
import { Tx, UnitOfWork } from '../database/unit-of-work.service';
import { CreateHolderDto, HolderDto, HolderQueryDto, UpdateHolderDto, mapHolder } from './dto/holder.dto';
import { HolderEntity, holderName } from './holder.entity';
import { HoldersRepository } from './holders.repository';

/** A holder as other modules see it: enough to name and reach the person. */
export interface HolderRef {
  id: string;
  name: string;
  fiscalCode: string;
  email: string | null;
  office: string | null;
  employmentStatus: HolderEntity['employmentStatus'];
}

const refOf = (h: HolderEntity): HolderRef => ({
  id: h.id,
  name: holderName(h),
  fiscalCode: h.fiscalCode,
  email: h.email,
  office: h.office,
  employmentStatus: h.employmentStatus,
});

@Injectable()
export class HoldersService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: HoldersRepository,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, organizationId: string, dto: CreateHolderDto): Promise<HolderDto> {
    return this.uow.run(async (tx) => {
      await this.assertFiscalCodeFree(tx.em, organizationId, dto.fiscalCode, null);
      if (dto.userId) await this.assertMember(tx.em, organizationId, dto.userId);
      const now = new Date();
      const holder: HolderEntity = {
        id: randomUUID(),
        organizationId,
        firstName: dto.firstName,
        lastName: dto.lastName,
        fiscalCode: dto.fiscalCode,
        email: dto.email ?? null,
        office: dto.office ?? null,
        roleDescription: dto.roleDescription ?? null,
        employmentStatus: 'active',
        leaverReason: null,
        leftOn: null,
        leaverNote: null,
        userId: dto.userId ?? null,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await this.repository.insert(tx.em, holder);
      await this.audit.append(tx, {
        organizationId,
        actor,
        action: 'holder.created',
        entity: 'holder',
        entityId: holder.id,
        data: { name: holderName(holder), office: holder.office, userId: holder.userId },
      });
      return mapHolder(holder);
    });
  }

  async get(organizationId: string, id: string): Promise<HolderDto> {
    const holder = await this.uow.read((em) => this.repository.findById(em, organizationId, id));
    if (!holder) throw new DomainError('HOLDER_NOT_FOUND', 'Holder not found');
    return mapHolder(holder);
  }

  async update(actor: Actor, organizationId: string, id: string, expected: number, dto: UpdateHolderDto): Promise<HolderDto> {
    return this.uow.run(async (tx) => {
      const holder = await this.repository.findById(tx.em, organizationId, id);
      if (!holder) throw new DomainError('HOLDER_NOT_FOUND', 'Holder not found');
      assertVersion('holder', holder.version, expected);
      if (dto.fiscalCode !== undefined && dto.fiscalCode !== holder.fiscalCode) {
        await this.assertFiscalCodeFree(tx.em, organizationId, dto.fiscalCode, holder.id);
      }
      if (dto.userId) await this.assertMember(tx.em, organizationId, dto.userId);
      const before = {
        name: holderName(holder),
        email: holder.email,
        office: holder.office,
        roleDescription: holder.roleDescription,
        userId: holder.userId,
      };
      if (dto.firstName !== undefined) holder.firstName = dto.firstName;
      if (dto.lastName !== undefined) holder.lastName = dto.lastName;
      if (dto.fiscalCode !== undefined) holder.fiscalCode = dto.fiscalCode;
      if (dto.email !== undefined) holder.email = dto.email;
      if (dto.office !== undefined) holder.office = dto.office;
      if (dto.roleDescription !== undefined) holder.roleDescription = dto.roleDescription;
      if (dto.userId !== undefined) holder.userId = dto.userId;
      holder.updatedAt = new Date();
      if (!(await this.repository.updateIfVersion(tx.em, holder, expected))) assertVersion('holder', expected + 1, expected);
      holder.version = expected + 1;
      await this.audit.append(tx, {
        organizationId,
        actor,
        action: 'holder.updated',
        entity: 'holder',
        entityId: id,
        data: {
          before,
          after: {
            name: holderName(holder),
            email: holder.email,
            office: holder.office,
            roleDescription: holder.roleDescription,
            userId: holder.userId,
          },
        },
      });
      return mapHolder(holder);
    });
  }

  async list(organizationId: string, query: HolderQueryDto): Promise<Page<HolderDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor);
    const rows = await this.uow.read((em) =>
      this.repository.findPage(em, organizationId, query, cursor ? { name: String(cursor.k), id: cursor.id } : null, limit + 1),
    );
    return toPage(rows, limit, (h) => ({ k: `${h.lastName} ${h.firstName}`.toLowerCase(), id: h.id }), mapHolder);
  }

  // For other modules, inside their unit of work ------------------------------------------------

  async requireInTx(em: EntityManager, organizationId: string, id: string): Promise<HolderRef> {
    const holder = await this.repository.findById(em, organizationId, id);
    if (!holder) throw new DomainError('HOLDER_NOT_FOUND', 'Holder not found', { holderId: id });
    return refOf(holder);
  }

  async refsInTx(em: EntityManager, organizationId: string, ids: (string | null)[]): Promise<Map<string, HolderRef>> {
    const unique = [...new Set(ids.filter((id): id is string => id !== null))];
    const rows = await this.repository.findByIds(em, organizationId, unique);
    return new Map(rows.map((h) => [h.id, refOf(h)]));
  }

  async findByFiscalCodeInTx(em: EntityManager, organizationId: string, fiscalCode: string): Promise<HolderRef | null> {
    const holder = await this.repository.findByFiscalCode(em, organizationId, fiscalCode);
    return holder ? refOf(holder) : null;
  }

  /** The holder record that is the signed-in user (see docs/inventory.md, "Operators"). */
  async holderIdOfUserInTx(em: EntityManager, organizationId: string, userId: string | null): Promise<string | null> {
    if (userId === null) return null;
    return (await this.repository.findForUser(em, organizationId, userId))?.id ?? null;
  }

  /** Marks the holder as a leaver; the caller runs the rest of the leaver flow in the same tx. */
  async markLeaverInTx(
    tx: Tx,
    actor: Actor,
    organizationId: string,
    id: string,
    leaver: { reason: string; leftOn: string; note: string | null },
  ): Promise<HolderRef> {
    const holder = await this.repository.findById(tx.em, organizationId, id);
    if (!holder) throw new DomainError('HOLDER_NOT_FOUND', 'Holder not found');
    if (holder.employmentStatus === 'leaver') {
      throw new DomainError('HOLDER_ALREADY_LEFT', `The holder already left on ${holder.leftOn ?? 'an unknown day'}`, {
        leftOn: holder.leftOn,
      });
    }
    const version = holder.version;
    Object.assign(holder, {
      employmentStatus: 'leaver',
      leaverReason: leaver.reason,
      leftOn: leaver.leftOn,
      leaverNote: leaver.note,
      updatedAt: new Date(),
    });
    if (!(await this.repository.updateIfVersion(tx.em, holder, version))) assertVersion('holder', version + 1, version);
    await this.audit.append(tx, {
      organizationId,
      actor,
      action: 'holder.left',
      entity: 'holder',
      entityId: id,
      data: { name: holderName(holder), reason: leaver.reason, leftOn: leaver.leftOn },
    });
    return refOf(holder);
  }

  private async assertFiscalCodeFree(em: EntityManager, organizationId: string, fiscalCode: string, selfId: string | null): Promise<void> {
    const existing = await this.repository.findByFiscalCode(em, organizationId, fiscalCode);
    if (existing && existing.id !== selfId) {
      throw new DomainError('FISCAL_CODE_TAKEN', `This codice fiscale already belongs to ${holderName(existing)} in this Comune`, {
        holderId: existing.id,
        holderName: holderName(existing),
      });
    }
  }

  private async assertMember(em: EntityManager, organizationId: string, userId: string): Promise<void> {
    if (!(await this.repository.isMember(em, organizationId, userId))) {
      throw new DomainError('VALIDATION_FAILED', 'userId is not a member of this Comune', {
        errors: [{ field: 'userId', messages: ['userId must be a member of this Comune'] }],
      });
    }
  }
}
