import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { DEFAULT_PAGE_SIZE, Page, PageQueryDto, decodeCursor, toPage } from '../common/http/pagination';
import { UnitOfWork } from '../database/unit-of-work.service';
import { ApiTokenDto, CreateApiTokenDto, CreatedApiTokenDto } from './dto/user.dto';
import { ApiTokenEntity } from './entities/api-token.entity';
import { OrgAccess } from './principal';
import { TokenHasher } from './token-hasher';

@Injectable()
export class ApiTokensService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
    private readonly tokens: TokenHasher,
  ) {}

  /** Creates a token for an integration; the response is the only place the token appears. */
  async create(access: OrgAccess, dto: CreateApiTokenDto): Promise<CreatedApiTokenDto> {
    if (access.userId === null) throw new DomainError('FORBIDDEN', 'An API token cannot create API tokens');
    const { token, hash } = this.tokens.generate('api');
    const now = new Date();
    const row: ApiTokenEntity = {
      id: randomUUID(),
      organizationId: access.organizationId,
      name: dto.name.trim(),
      role: dto.role,
      tokenHash: hash,
      tokenPrefix: token.slice(0, 10),
      createdByUserId: access.userId,
      expiresAt: dto.expiresInDays ? new Date(now.getTime() + dto.expiresInDays * 86_400_000) : null,
      revokedAt: null,
      lastUsedAt: null,
      createdAt: now,
    };
    await this.uow.run(async (tx) => {
      await tx.em.getRepository(ApiTokenEntity).insert(row);
      await this.audit.append(tx, {
        organizationId: access.organizationId,
        actor: access.actor,
        action: 'api_token.created',
        entity: 'api_token',
        entityId: row.id,
        data: { name: row.name, role: row.role, expiresAt: row.expiresAt },
      });
    });
    return { ...mapApiToken(row), token };
  }

  async list(organizationId: string, query: PageQueryDto): Promise<Page<ApiTokenDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor);
    const rows = await this.uow.read((em) => {
      const qb = em
        .getRepository(ApiTokenEntity)
        .createQueryBuilder('t')
        .where('t.organization_id = :organizationId', { organizationId })
        .orderBy('t.id', 'ASC')
        .limit(limit + 1);
      if (cursor) qb.andWhere('t.id > :id', { id: cursor.id });
      return qb.getMany();
    });
    return toPage(rows, limit, (t) => ({ k: t.id, id: t.id }), mapApiToken);
  }

  async revoke(access: OrgAccess, id: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const row = await findToken(tx.em, access.organizationId, id);
      if (row.revokedAt) return;
      await tx.em.getRepository(ApiTokenEntity).update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
      await this.audit.append(tx, {
        organizationId: access.organizationId,
        actor: access.actor,
        action: 'api_token.revoked',
        entity: 'api_token',
        entityId: id,
        data: { name: row.name },
      });
    });
  }
}

async function findToken(em: EntityManager, organizationId: string, id: string): Promise<ApiTokenEntity> {
  const row = await em.getRepository(ApiTokenEntity).findOneBy({ id, organizationId });
  if (!row) throw new DomainError('API_TOKEN_NOT_FOUND', 'API token not found');
  return row;
}

export function mapApiToken(row: ApiTokenEntity): ApiTokenDto {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    tokenPrefix: row.tokenPrefix,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
