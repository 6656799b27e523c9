import { Injectable } from '@nestjs/common';
import { AttachmentContent, AttachmentsService } from '../attachments/attachments.service';
import { DomainError } from '../common/errors/domain-error';
import { DEFAULT_PAGE_SIZE, Page, decodeCursor, toPage } from '../common/http/pagination';
import { UnitOfWork } from '../database/unit-of-work.service';
import { NominationDto, NominationQueryDto } from './dto/nomination.dto';
import { NominationViews, mapNomination } from './nomination-views';
import { NominationsRepository } from './nominations.repository';
import { NominationsService } from './nominations.service';

/** What the Mayor's office reads: the list (current and history), one nomination, its act. */
@Injectable()
export class NominationsQueryService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: NominationsRepository,
    private readonly views: NominationViews,
    private readonly attachments: AttachmentsService,
    private readonly nominations: NominationsService,
  ) {}

  async list(organizationId: string, query: NominationQueryDto): Promise<Page<NominationDto>> {
    await this.nominations.expireDue(organizationId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor);
    return this.uow.read(async (em) => {
      const rows = await this.repository.findPage(
        em,
        organizationId,
        { role: query.role, status: query.status, holderId: query.holderId },
        cursor ? { actDate: String(cursor.k), id: cursor.id } : null,
        limit + 1,
      );
      const names = await this.views.names(em, organizationId, rows);
      return toPage(
        rows,
        limit,
        (n) => ({ k: n.actDate, id: n.id }),
        (n) => mapNomination(n, names),
      );
    });
  }

  async get(organizationId: string, id: string): Promise<NominationDto> {
    await this.nominations.expireDue(organizationId);
    return this.uow.read(async (em) => {
      const row = await this.repository.findById(em, organizationId, id);
      if (!row) throw new DomainError('NOMINATION_NOT_FOUND', 'Nomination not found');
      return this.views.one(em, row);
    });
  }

  async act(organizationId: string, id: string): Promise<AttachmentContent> {
    return this.uow.read(async (em) => {
      const row = await this.repository.findById(em, organizationId, id);
      if (!row) throw new DomainError('NOMINATION_NOT_FOUND', 'Nomination not found');
      if (row.actAttachmentId === null) throw new DomainError('ATTACHMENT_NOT_FOUND', 'This nomination has no act attached yet');
      return this.attachments.content(em, organizationId, row.actAttachmentId);
    });
  }
}
