import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { assertVersion } from '../common/http/if-match';
import { DEFAULT_PAGE_SIZE, Page, decodeCursor, toPage } from '../common/http/pagination';
import { UnitOfWork } from '../database/unit-of-work.service';
import { HoldersService } from '../holders/holders.service';
import { CreateWorkstationDto, UpdateWorkstationDto, WorkstationDto, WorkstationQueryDto, mapWorkstation } from './dto/workstation.dto';
import { WorkstationEntity, WorkstationKind } from './workstation.entity';
import { WorkstationsRepository } from './workstations.repository';

/** A workstation as other modules see it. */
export interface WorkstationRef {
  id: string;
  code: string;
  kind: WorkstationKind;
  hostname: string | null;
  office: string | null;
  custodianHolderId: string | null;
}

const refOf = (w: WorkstationEntity): WorkstationRef => ({
  id: w.id,
  code: w.code,
  kind: w.kind,
  hostname: w.hostname,
  office: w.office,
  custodianHolderId: w.custodianHolderId,
});

const AUDITED = [
  'kind',
  'code',
  'hostname',
  'ipAddress',
  'office',
  'function',
  'isPortable',
  'isPersonal',
  'custodianHolderId',
  'status',
] as const;
const auditView = (w: WorkstationEntity) => Object.fromEntries(AUDITED.map((k) => [k, w[k]]));

@Injectable()
export class WorkstationsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: WorkstationsRepository,
    private readonly holders: HoldersService,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, organizationId: string, dto: CreateWorkstationDto): Promise<WorkstationDto> {
    return this.uow.run(async (tx) => {
      await this.assertCodeFree(tx.em, organizationId, dto.code, null);
      const custodian = dto.custodianHolderId ? await this.holders.requireInTx(tx.em, organizationId, dto.custodianHolderId) : null;
      const now = new Date();
      const w: WorkstationEntity = {
        id: randomUUID(),
        organizationId,
        kind: dto.kind ?? 'workstation',
        code: dto.code,
        hostname: dto.hostname ?? null,
        ipAddress: dto.ipAddress ?? null,
        office: dto.office ?? null,
        function: dto.function ?? null,
        isPortable: dto.isPortable ?? false,
        isPersonal: dto.isPersonal ?? false,
        custodianHolderId: custodian?.id ?? null,
        status: 'active',
        notes: dto.notes ?? null,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await this.repository.insert(tx.em, w);
      await this.audit.append(tx, {
        organizationId,
        actor,
        action: 'workstation.created',
        entity: 'workstation',
        entityId: w.id,
        data: auditView(w),
      });
      return mapWorkstation(w, custodian?.name ?? null);
    });
  }

  async get(organizationId: string, id: string): Promise<WorkstationDto> {
    return this.uow.read(async (em) => {
      const w = await this.repository.findById(em, organizationId, id);
      if (!w) throw new DomainError('WORKSTATION_NOT_FOUND', 'Workstation not found');
      const names = await this.holders.refsInTx(em, organizationId, [w.custodianHolderId]);
      return mapWorkstation(w, w.custodianHolderId ? (names.get(w.custodianHolderId)?.name ?? null) : null);
    });
  }

  async update(actor: Actor, organizationId: string, id: string, expected: number, dto: UpdateWorkstationDto): Promise<WorkstationDto> {
    return this.uow.run(async (tx) => {
      const w = await this.repository.findById(tx.em, organizationId, id);
      if (!w) throw new DomainError('WORKSTATION_NOT_FOUND', 'Workstation not found');
      assertVersion('workstation', w.version, expected);
      if (dto.code !== undefined && dto.code !== w.code) await this.assertCodeFree(tx.em, organizationId, dto.code, w.id);
      if (dto.custodianHolderId) await this.holders.requireInTx(tx.em, organizationId, dto.custodianHolderId);
      const before = auditView(w);
      const { version: _v, ...changes } = dto;
      for (const [key, value] of Object.entries(changes)) {
        if (value !== undefined) (w as unknown as Record<string, unknown>)[key] = value;
      }
      w.updatedAt = new Date();
      if (!(await this.repository.updateIfVersion(tx.em, w, expected))) assertVersion('workstation', expected + 1, expected);
      w.version = expected + 1;
      await this.audit.append(tx, {
        organizationId,
        actor,
        action: 'workstation.updated',
        entity: 'workstation',
        entityId: id,
        data: { before, after: auditView(w) },
      });
      const names = await this.holders.refsInTx(tx.em, organizationId, [w.custodianHolderId]);
      return mapWorkstation(w, w.custodianHolderId ? (names.get(w.custodianHolderId)?.name ?? null) : null);
    });
  }

  async list(organizationId: string, query: WorkstationQueryDto): Promise<Page<WorkstationDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor);
    return this.uow.read(async (em) => {
      const rows = await this.repository.findPage(
        em,
        organizationId,
        query,
        cursor ? { code: String(cursor.k), id: cursor.id } : null,
        limit + 1,
      );
      const names = await this.holders.refsInTx(
        em,
        organizationId,
        rows.map((w) => w.custodianHolderId),
      );
      return toPage(
        rows,
        limit,
        (w) => ({ k: w.code, id: w.id }),
        (w) => mapWorkstation(w, w.custodianHolderId ? (names.get(w.custodianHolderId)?.name ?? null) : null),
      );
    });
  }

  // For other modules, inside their unit of work ------------------------------------------------

  async requireInTx(em: EntityManager, organizationId: string, id: string): Promise<WorkstationRef> {
    const w = await this.repository.findById(em, organizationId, id);
    if (!w) throw new DomainError('WORKSTATION_NOT_FOUND', 'Workstation not found', { workstationId: id });
    return refOf(w);
  }

  async refsInTx(em: EntityManager, organizationId: string, ids: (string | null)[]): Promise<Map<string, WorkstationRef>> {
    const unique = [...new Set(ids.filter((id): id is string => id !== null))];
    const rows = await this.repository.findByIds(em, organizationId, unique);
    return new Map(rows.map((w) => [w.id, refOf(w)]));
  }

  async findByCodeInTx(em: EntityManager, organizationId: string, code: string): Promise<WorkstationRef | null> {
    const w = await this.repository.findByCode(em, organizationId, code);
    return w ? refOf(w) : null;
  }

  /** Active workstations the holder is responsible for (leaver flow). */
  async custodiedByInTx(em: EntityManager, organizationId: string, holderId: string): Promise<WorkstationRef[]> {
    return (await this.repository.findByCustodian(em, organizationId, holderId)).map(refOf);
  }

  private async assertCodeFree(em: EntityManager, organizationId: string, code: string, selfId: string | null): Promise<void> {
    const existing = await this.repository.findByCode(em, organizationId, code);
    if (existing && existing.id !== selfId) {
      throw new DomainError('WORKSTATION_CODE_TAKEN', `Workstation code ${code} is already used in this Comune`, {
        workstationId: existing.id,
      });
    }
  }
}
