import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { DEFAULT_PAGE_SIZE, Page, PageQueryDto, decodeCursor, toPage } from '../common/http/pagination';
import { UnitOfWork } from '../database/unit-of-work.service';
import { CreateOrganizationDto, OrganizationDto, UpdateOrganizationDto, mapOrganization } from './dto/organization.dto';
import { OrganizationsRepository } from './organizations.repository';

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: OrganizationsRepository,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, dto: CreateOrganizationDto): Promise<OrganizationDto> {
    return this.uow.run(async (tx) => {
      const existing = await this.repository.findByIstatCode(tx.em, dto.istatCode);
      if (existing) {
        throw new DomainError('ISTAT_CODE_TAKEN', `ISTAT code ${dto.istatCode} belongs to ${existing.name}`, {
          organizationId: existing.id,
        });
      }
      const now = new Date();
      const org = {
        id: randomUUID(),
        istatCode: dto.istatCode,
        name: dto.name.trim(),
        province: dto.province?.toUpperCase() ?? null,
        settings: { ...dto.settings },
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await this.repository.insert(tx.em, org);
      const data = { istatCode: org.istatCode, name: org.name, province: org.province };
      await this.audit.append(tx, {
        organizationId: null,
        actor,
        action: 'organization.created',
        entity: 'organization',
        entityId: org.id,
        data,
      });
      await this.audit.append(tx, {
        organizationId: org.id,
        actor,
        action: 'organization.created',
        entity: 'organization',
        entityId: org.id,
        data,
      });
      return mapOrganization(org);
    });
  }

  async get(id: string): Promise<OrganizationDto> {
    const org = await this.uow.read((em) => this.repository.findById(em, id));
    if (!org) throw new DomainError('ORGANIZATION_NOT_FOUND', 'Organization not found');
    return mapOrganization(org);
  }

  async update(actor: Actor, id: string, dto: UpdateOrganizationDto): Promise<OrganizationDto> {
    return this.uow.run(async (tx) => {
      const org = await this.repository.findById(tx.em, id);
      if (!org) throw new DomainError('ORGANIZATION_NOT_FOUND', 'Organization not found');
      const before = { name: org.name, province: org.province, settings: org.settings };
      if (dto.name !== undefined) org.name = dto.name.trim();
      if (dto.province !== undefined) org.province = dto.province.toUpperCase();
      if (dto.settings !== undefined) org.settings = { ...org.settings, ...dto.settings };
      const saved = await this.repository.save(tx.em, org);
      await this.audit.append(tx, {
        organizationId: id,
        actor,
        action: 'organization.updated',
        entity: 'organization',
        entityId: id,
        data: { before, after: { name: saved.name, province: saved.province, settings: saved.settings } },
      });
      return mapOrganization(saved);
    });
  }

  /** The superadmin sees every Comune; anyone else the Comuni they belong to. */
  async list(viewer: { userId: string | null; all: boolean }, query: PageQueryDto): Promise<Page<OrganizationDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor);
    const rows = await this.uow.read((em) =>
      this.repository.findPage(em, {
        userId: viewer.all ? null : viewer.userId,
        after: cursor ? { name: String(cursor.k), id: cursor.id } : null,
        limit: limit + 1,
      }),
    );
    return toPage(rows, limit, (o) => ({ k: o.name, id: o.id }), mapOrganization);
  }
}
