import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AttachmentView, AttachmentsService } from '../attachments/attachments.service';
import { HolderEntity, holderName } from '../holders/holder.entity';
import { NominationDto } from './dto/nomination.dto';
import { ACT_TYPE_LABELS_IT, NOMINATION_ROLE_LABELS_IT, NOMINATION_STATUS_LABELS_IT } from './nomination-labels';
import { USER_ACTIONS, allowedNominationActions } from './nomination-lifecycle';
import { NominationEntity } from './nomination.entity';
import { NominationsRepository } from './nominations.repository';

/** Everything a nomination's view names besides itself, loaded once for a batch of rows. */
export interface NominationNames {
  holders: Map<string, HolderEntity>;
  acts: Map<string, AttachmentView>;
  successors: Map<string, NominationEntity>;
  certificates: Map<string, string>;
  workstations: Map<string, string>;
}

/** Builds response DTOs: entities never leave the service layer. */
@Injectable()
export class NominationViews {
  constructor(
    private readonly repository: NominationsRepository,
    private readonly attachments: AttachmentsService,
  ) {}

  async names(em: EntityManager, organizationId: string, rows: NominationEntity[]): Promise<NominationNames> {
    const successors = await this.repository.findByIds(em, organizationId, [
      ...new Set(rows.map((r) => r.supersededById).filter((id): id is string => id !== null)),
    ]);
    const holders = await this.repository.findHolders(
      em,
      organizationId,
      [...rows, ...successors].map((r) => r.holderId),
    );
    const acts = await this.attachments.describe(
      em,
      organizationId,
      rows.map((r) => r.actAttachmentId).filter((id): id is string => id !== null),
    );
    const certificates = await this.repository.certificateLabels(
      em,
      organizationId,
      rows.flatMap((r) => r.scope?.certificateIds ?? []),
    );
    const workstations = await this.repository.workstationCodes(
      em,
      organizationId,
      rows.flatMap((r) => r.scope?.workstationIds ?? []),
    );
    return {
      holders: new Map(holders.map((h) => [h.id, h])),
      acts,
      successors: new Map(successors.map((s) => [s.id, s])),
      certificates,
      workstations,
    };
  }

  async build(em: EntityManager, organizationId: string, rows: NominationEntity[]): Promise<NominationDto[]> {
    const names = await this.names(em, organizationId, rows);
    return rows.map((r) => mapNomination(r, names));
  }

  async one(em: EntityManager, row: NominationEntity): Promise<NominationDto> {
    const [dto] = await this.build(em, row.organizationId, [row]);
    return dto;
  }
}

export const nomineeName = (names: NominationNames, holderId: string): string => {
  const h = names.holders.get(holderId);
  return h ? holderName(h) : '(persona non trovata)';
};

export function actDownloadPath(n: Pick<NominationEntity, 'organizationId' | 'id'>): string {
  // The global prefix of bootstrap.ts (not imported: bootstrap imports the whole application).
  return `/api/v1/orgs/${n.organizationId}/nominations/${n.id}/act`;
}

export function mapNomination(n: NominationEntity, names: NominationNames): NominationDto {
  const holder = names.holders.get(n.holderId);
  const act = n.actAttachmentId ? names.acts.get(n.actAttachmentId) : undefined;
  const successor = n.supersededById ? names.successors.get(n.supersededById) : undefined;
  return {
    id: n.id,
    role: n.role,
    roleLabel: NOMINATION_ROLE_LABELS_IT[n.role],
    status: n.status,
    statusLabel: NOMINATION_STATUS_LABELS_IT[n.status],
    current: n.status === 'active',
    nominee: { id: n.holderId, name: nomineeName(names, n.holderId), employmentStatus: holder?.employmentStatus ?? 'active' },
    actType: n.actType,
    actTypeLabel: ACT_TYPE_LABELS_IT[n.actType],
    actNumber: n.actNumber,
    actDate: n.actDate,
    effectiveFrom: n.effectiveFrom,
    effectiveUntil: n.effectiveUntil,
    signedBy: n.signedBy,
    scope: n.scope
      ? {
          certificates: (n.scope.certificateIds ?? []).map((id) => ({ id, name: names.certificates.get(id) ?? id })),
          workstations: (n.scope.workstationIds ?? []).map((id) => ({ id, name: names.workstations.get(id) ?? id })),
        }
      : null,
    notes: n.notes,
    act: act
      ? {
          id: act.id,
          fileName: act.fileName,
          mediaType: act.mediaType,
          sizeBytes: act.sizeBytes,
          sha256: act.sha256,
          uploadedAt: act.createdAt,
          uploadedBy: act.createdBy,
          downloadPath: actDownloadPath(n),
        }
      : null,
    signedAt: n.signedAt?.toISOString() ?? null,
    signedRecordedBy: n.signedRecordedBy,
    registeredOn: n.registeredOn,
    activatedAt: n.activatedAt?.toISOString() ?? null,
    activatedBy: n.activatedBy,
    endedAt: n.endedAt?.toISOString() ?? null,
    endedBy: n.endedBy,
    endReason: n.endReason,
    supersededBy: n.supersededById
      ? {
          id: n.supersededById,
          nomineeName: successor ? nomineeName(names, successor.holderId) : '',
          actNumber: successor?.actNumber ?? '',
        }
      : null,
    allowedActions: allowedNominationActions(n.status).filter((a) => USER_ACTIONS.includes(a)),
    createdAt: n.createdAt.toISOString(),
    createdBy: n.createdBy,
    version: n.version,
  };
}
