import { Injectable } from '@nestjs/common';
import { AttachmentContent, AttachmentsService, UploadedFileLike } from '../attachments/attachments.service';
import { AuditService } from '../audit/audit.service';
import { OrgAccess } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { UnitOfWork } from '../database/unit-of-work.service';
import { IncidentAttachmentDto } from './dto/incident.dto';
import { assertNotClosed, assertVisible, saveIncident } from './incident-access';
import { IncidentTimeline } from './incident-timeline';
import { IncidentsRepository } from './incidents.repository';

/** Evidence files of an incident: stored by the attachments module with SHA-256, size and media type. */
@Injectable()
export class IncidentEvidenceService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: IncidentsRepository,
    private readonly attachments: AttachmentsService,
    private readonly timeline: IncidentTimeline,
    private readonly audit: AuditService,
  ) {}

  /** A reporter may add evidence to their own report; the ALS to any incident. */
  async add(
    access: OrgAccess,
    incidentId: string,
    file: UploadedFileLike | undefined,
    description: string | undefined,
  ): Promise<IncidentAttachmentDto> {
    // Seen before the file is checked, so a stranger learns nothing from the answer.
    await this.uow.read(async (em) => assertVisible(access, await this.repository.findIncident(em, access.organizationId, incidentId)));
    const upload = await this.attachments.checkEvidenceUpload(file);
    return this.uow.run(async (tx) => {
      const incident = await this.repository.findIncident(tx.em, access.organizationId, incidentId);
      assertVisible(access, incident);
      assertNotClosed(incident);
      const stored = await this.attachments.store(tx, access.organizationId, access.actor, upload, `incident:${incident.id}`);
      const addedAt = new Date();
      await this.repository.insertAttachment(tx.em, {
        incidentId: incident.id,
        attachmentId: stored.id,
        organizationId: access.organizationId,
        description: description ?? null,
        addedAt,
        addedBy: access.actor.label,
      });
      await this.timeline.add(
        tx,
        incident,
        access.actor,
        'evidence_added',
        `Prova allegata: ${stored.fileName} (${stored.mediaType}, ${stored.sizeBytes} byte, SHA-256 ${stored.sha256})${description ? `: ${description}` : '.'}`,
        { attachmentId: stored.id, sha256: stored.sha256 },
      );
      await saveIncident(this.repository, tx, incident);
      await this.audit.append(tx, {
        organizationId: access.organizationId,
        actor: access.actor,
        action: 'incident.evidence_added',
        entity: 'incident',
        entityId: incident.id,
        data: { attachmentId: stored.id, sha256: stored.sha256 },
      });
      return { ...stored, description: description ?? null, addedAt: addedAt.toISOString(), addedBy: access.actor.label };
    });
  }

  async download(access: OrgAccess, incidentId: string, attachmentId: string): Promise<AttachmentContent> {
    return this.uow.read(async (em) => {
      const incident = await this.repository.findIncident(em, access.organizationId, incidentId);
      assertVisible(access, incident);
      if (!(await this.repository.attachments(em, incident.id)).some((a) => a.attachmentId === attachmentId)) {
        throw new DomainError('ATTACHMENT_NOT_FOUND', 'Attachment not found');
      }
      return this.attachments.content(em, access.organizationId, attachmentId);
    });
  }
}
