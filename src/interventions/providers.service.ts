import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { assertVersion } from '../common/http/if-match';
import { DEFAULT_PAGE_SIZE, Page, decodeCursor, toPage } from '../common/http/pagination';
import { Tx, UnitOfWork } from '../database/unit-of-work.service';
import { AddTechnicianDto, CreateProviderDto, ProviderDto, ProviderQueryDto, UpdateProviderDto, mapProvider } from './dto/provider.dto';
import { InterventionsRepository } from './interventions.repository';
import { normalizeCompany, normalizePersonName } from './name-matching';
import { ProviderEntity, TechnicianEntity } from './provider.entity';

const auditView = (p: ProviderEntity) => ({
  name: p.name,
  aliases: p.aliases,
  contractReference: p.contractReference,
  callbackPhone: p.callbackPhone,
  callbackEmail: p.callbackEmail,
  verificationSource: p.verificationSource,
  active: p.active,
});

/** Maintenance providers with their verified call-back contacts and named technicians (ALS). */
@Injectable()
export class ProvidersService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: InterventionsRepository,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, organizationId: string, dto: CreateProviderDto): Promise<ProviderDto> {
    return this.uow.run(async (tx) => {
      const now = new Date();
      const provider: ProviderEntity = {
        id: randomUUID(),
        organizationId,
        name: dto.name,
        normalizedName: normalizeCompany(dto.name),
        aliases: uniqueNames(dto.aliases ?? [], normalizeCompany),
        contractReference: dto.contractReference ?? null,
        callbackPhone: dto.callbackPhone,
        callbackEmail: dto.callbackEmail,
        verificationSource: dto.verificationSource,
        verifiedBy: actor.label,
        verifiedAt: now,
        notes: dto.notes ?? null,
        active: true,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await this.assertNamesFree(tx.em, provider);
      await this.repository.insertProvider(tx.em, provider);
      const technicians = uniqueNames(dto.technicians ?? [], normalizePersonName).map((name) => technician(provider, name, actor, now));
      await this.repository.insertTechnicians(tx.em, technicians);
      await this.audit.append(tx, {
        organizationId,
        actor,
        action: 'provider.created',
        entity: 'provider',
        entityId: provider.id,
        data: { ...auditView(provider), technicians: technicians.map((t) => t.fullName) },
      });
      return mapProvider(provider, technicians);
    });
  }

  async update(actor: Actor, organizationId: string, id: string, expected: number, dto: UpdateProviderDto): Promise<ProviderDto> {
    return this.uow.run(async (tx) => {
      const provider = await this.require(tx.em, organizationId, id);
      assertVersion('provider', provider.version, expected);
      const before = auditView(provider);
      const contactChanged =
        (dto.callbackPhone !== undefined && dto.callbackPhone !== provider.callbackPhone) ||
        (dto.callbackEmail !== undefined && dto.callbackEmail !== provider.callbackEmail);
      if (contactChanged && !dto.verificationSource) {
        throw new DomainError(
          'PROVIDER_VERIFICATION_REQUIRED',
          'A new phone or e-mail must be verified: send verificationSource (how you verified it)',
        );
      }
      if (dto.name !== undefined) Object.assign(provider, { name: dto.name, normalizedName: normalizeCompany(dto.name) });
      if (dto.aliases !== undefined) provider.aliases = uniqueNames(dto.aliases, normalizeCompany);
      if (dto.contractReference !== undefined) provider.contractReference = dto.contractReference;
      if (dto.callbackPhone !== undefined) provider.callbackPhone = dto.callbackPhone;
      if (dto.callbackEmail !== undefined) provider.callbackEmail = dto.callbackEmail;
      if (dto.notes !== undefined) provider.notes = dto.notes;
      if (dto.active !== undefined) provider.active = dto.active;
      if (dto.verificationSource)
        Object.assign(provider, { verificationSource: dto.verificationSource, verifiedBy: actor.label, verifiedAt: new Date() });
      provider.updatedAt = new Date();
      await this.assertNamesFree(tx.em, provider);
      if (!(await this.repository.updateProviderIfVersion(tx.em, provider, expected))) assertVersion('provider', expected + 1, expected);
      provider.version = expected + 1;
      await this.audit.append(tx, {
        organizationId,
        actor,
        action: 'provider.updated',
        entity: 'provider',
        entityId: id,
        data: { before, after: auditView(provider), reverified: Boolean(dto.verificationSource) },
      });
      return mapProvider(provider, await this.repository.techniciansOf(tx.em, organizationId, [id]));
    });
  }

  async addTechnician(actor: Actor, organizationId: string, providerId: string, dto: AddTechnicianDto): Promise<ProviderDto> {
    return this.uow.run(async (tx) => {
      const provider = await this.require(tx.em, organizationId, providerId);
      const existing = await this.repository.techniciansOf(tx.em, organizationId, [providerId]);
      const normalized = normalizePersonName(dto.fullName);
      if (existing.some((t) => t.normalizedName === normalized)) {
        throw new DomainError('TECHNICIAN_NAME_TAKEN', 'This provider already has a technician with this name', { providerId });
      }
      const row = technician(provider, dto.fullName, actor, new Date());
      await this.repository.insertTechnicians(tx.em, [row]);
      await this.audit.append(tx, {
        organizationId,
        actor,
        action: 'provider.technician_added',
        entity: 'provider',
        entityId: providerId,
        data: { technicianId: row.id, fullName: row.fullName },
      });
      return mapProvider(provider, [...existing, row]);
    });
  }

  /** A technician who left the provider: kept in history, never expected again. */
  async deactivateTechnician(actor: Actor, organizationId: string, providerId: string, technicianId: string): Promise<ProviderDto> {
    return this.uow.run(async (tx) => {
      const provider = await this.require(tx.em, organizationId, providerId);
      const technicians = await this.repository.techniciansOf(tx.em, organizationId, [providerId]);
      const target = technicians.find((t) => t.id === technicianId);
      if (!target) throw new DomainError('TECHNICIAN_NOT_FOUND', 'Technician not found');
      if (target.active) {
        const now = new Date();
        await this.repository.deactivateTechnician(tx.em, technicianId, now);
        Object.assign(target, { active: false, deactivatedAt: now });
        await this.audit.append(tx, {
          organizationId,
          actor,
          action: 'provider.technician_deactivated',
          entity: 'provider',
          entityId: providerId,
          data: { technicianId, fullName: target.fullName },
        });
      }
      return mapProvider(provider, technicians);
    });
  }

  async get(organizationId: string, id: string): Promise<ProviderDto> {
    return this.uow.read(async (em) =>
      mapProvider(await this.require(em, organizationId, id), await this.repository.techniciansOf(em, organizationId, [id])),
    );
  }

  async list(organizationId: string, query: ProviderQueryDto): Promise<Page<ProviderDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor);
    return this.uow.read(async (em) => {
      const rows = await this.repository.providersPage(
        em,
        organizationId,
        query.active,
        cursor ? { name: String(cursor.k), id: cursor.id } : null,
        limit + 1,
      );
      const technicians = await this.repository.techniciansOf(
        em,
        organizationId,
        rows.map((p) => p.id),
      );
      return toPage(
        rows,
        limit,
        (p) => ({ k: p.normalizedName, id: p.id }),
        (p) => mapProvider(p, technicians),
      );
    });
  }

  // For the interventions service, inside its unit of work -----------------------------------------

  async requireInTx(tx: Tx, organizationId: string, id: string): Promise<ProviderEntity> {
    return this.require(tx.em, organizationId, id);
  }

  private async require(em: EntityManager, organizationId: string, id: string): Promise<ProviderEntity> {
    const provider = await this.repository.findProvider(em, organizationId, id);
    if (!provider) throw new DomainError('PROVIDER_NOT_FOUND', 'Provider not found');
    return provider;
  }

  /** Two providers must not answer to the same name: a caller's company would match both. */
  private async assertNamesFree(em: EntityManager, provider: ProviderEntity): Promise<void> {
    const mine = new Set([provider.normalizedName, ...provider.aliases.map(normalizeCompany)]);
    for (const other of await this.repository.providersOf(em, provider.organizationId, false)) {
      if (other.id === provider.id) continue;
      const clash = [other.normalizedName, ...other.aliases.map(normalizeCompany)].find((n) => mine.has(n));
      if (clash !== undefined) {
        throw new DomainError('PROVIDER_NAME_TAKEN', `Another provider (${other.name}) already answers to this name`, {
          providerId: other.id,
        });
      }
    }
  }
}

function technician(provider: ProviderEntity, fullName: string, actor: Actor, at: Date): TechnicianEntity {
  return {
    id: randomUUID(),
    organizationId: provider.organizationId,
    providerId: provider.id,
    fullName,
    normalizedName: normalizePersonName(fullName),
    active: true,
    createdBy: actor.label,
    createdAt: at,
    deactivatedAt: null,
  };
}

/** Names as given, without repeats under `normalize`. */
function uniqueNames(names: string[], normalize: (s: string) => string): string[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const key = normalize(n);
    return key !== '' && !seen.has(key) && (seen.add(key), true);
  });
}
