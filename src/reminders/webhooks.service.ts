import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { OrgAccess } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { UnitOfWork } from '../database/unit-of-work.service';
import { WebhookSender } from './delivery/webhook-sender';
import { CreateWebhookDto, CreatedWebhookDto, WebhookDto, mapWebhook } from './dto/channels.dto';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';

/** A Comune's webhook endpoints: every reminder step is also POSTed there, signed. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly sender: WebhookSender,
    private readonly audit: AuditService,
  ) {}

  async create(access: OrgAccess, dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    const row: WebhookEndpointEntity = {
      id: randomUUID(),
      organizationId: access.organizationId,
      url: dto.url,
      description: dto.description.trim(),
      createdBy: access.actor.label,
      createdAt: new Date(),
      revokedAt: null,
    };
    await this.uow.run(async (tx) => {
      await tx.em.getRepository(WebhookEndpointEntity).insert(row);
      await this.audit.append(tx, {
        organizationId: access.organizationId,
        actor: access.actor,
        action: 'webhook.created',
        entity: 'webhook',
        entityId: row.id,
        data: { url: row.url, description: row.description },
      });
    });
    return { ...mapWebhook(row), secret: this.sender.secretFor(row.id) };
  }

  async list(organizationId: string): Promise<WebhookDto[]> {
    const rows = await this.uow.read((em) =>
      em.getRepository(WebhookEndpointEntity).find({ where: { organizationId }, order: { createdAt: 'ASC', id: 'ASC' } }),
    );
    return rows.map(mapWebhook);
  }

  async revoke(access: OrgAccess, id: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const row = await tx.em.getRepository(WebhookEndpointEntity).findOneBy({ id, organizationId: access.organizationId });
      if (!row) throw new DomainError('WEBHOOK_NOT_FOUND', 'Webhook not found');
      await tx.em.getRepository(WebhookEndpointEntity).update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
      await this.audit.append(tx, {
        organizationId: access.organizationId,
        actor: access.actor,
        action: 'webhook.revoked',
        entity: 'webhook',
        entityId: id,
      });
    });
  }
}
