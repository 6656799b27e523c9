import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { italianWindow } from '../common/time/italian-format';
import { WorkstationsService } from '../workstations/workstations.service';
import {
  INTERVENTION_CHANNEL_LABELS_IT,
  INTERVENTION_STATE_LABELS_IT,
  InterventionDto,
  InterventionRefDto,
  InterventionState,
} from './dto/intervention.dto';
import { InterventionEntity } from './intervention.entity';
import { InterventionsRepository } from './interventions.repository';
import { queriesOn } from '../database/queries-on';

/** Wrong phrases after which an intervention's phrase is blocked until the ALS issues a new one. */
export const MAX_WRONG_PHRASES = 5;

export function interventionState(row: InterventionEntity, now: Date): InterventionState {
  if (row.status === 'cancelled') return 'cancelled';
  if (now < row.startsAt) return 'upcoming';
  return now < row.endsAt ? 'in_progress' : 'ended';
}

/** Interventions as the API shows them, with provider, technicians and workstations named. */
@Injectable()
export class InterventionViews {
  constructor(
    private readonly repository: InterventionsRepository,
    private readonly workstations: WorkstationsService,
  ) {}

  async many(em: EntityManager, organizationId: string, rows: InterventionEntity[], now: Date): Promise<InterventionDto[]> {
    const ids = rows.map((r) => r.id);
    const [links, wsLinks, providers] = await queriesOn(
      em,
      () => this.repository.interventionTechnicians(em, ids),
      () => this.repository.interventionWorkstations(em, ids),
      () => this.repository.findProvidersByIds(em, organizationId, [...new Set(rows.map((r) => r.providerId))]),
    );
    const technicians = new Map(
      (await this.repository.findTechniciansByIds(em, organizationId, [...new Set(links.map((l) => l.technicianId))])).map((t) => [
        t.id,
        t.fullName,
      ]),
    );
    const codes = await this.workstations.refsInTx(
      em,
      organizationId,
      wsLinks.map((l) => l.workstationId),
    );
    const providerNames = new Map(providers.map((p) => [p.id, p.name]));
    return rows.map((row) => {
      const techs: InterventionRefDto[] = links
        .filter((l) => l.interventionId === row.id)
        .map((l) => ({ id: l.technicianId, name: technicians.get(l.technicianId) ?? '' }))
        .sort((a, b) => a.name.localeCompare(b.name));
      const ws: InterventionRefDto[] = wsLinks
        .filter((l) => l.interventionId === row.id)
        .map((l) => ({ id: l.workstationId, name: codes.get(l.workstationId)?.code ?? '' }))
        .sort((a, b) => a.name.localeCompare(b.name));
      return mapIntervention(row, providerNames.get(row.providerId) ?? '', techs, ws, now);
    });
  }

  async one(em: EntityManager, organizationId: string, row: InterventionEntity, now: Date): Promise<InterventionDto> {
    return (await this.many(em, organizationId, [row], now))[0] as InterventionDto;
  }
}

function mapIntervention(
  row: InterventionEntity,
  providerName: string,
  technicians: InterventionRefDto[],
  workstations: InterventionRefDto[],
  now: Date,
): InterventionDto {
  const state = interventionState(row, now);
  return {
    id: row.id,
    provider: { id: row.providerId, name: providerName },
    technicians,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    windowLabel: italianWindow(row.startsAt, row.endsAt),
    channel: row.channel,
    channelLabel: INTERVENTION_CHANNEL_LABELS_IT[row.channel],
    remoteTool: row.remoteTool,
    purpose: row.purpose,
    workstations,
    agreedWith: row.agreedWith,
    agreedBy: row.agreedBy,
    agreedAt: row.agreedAt.toISOString(),
    status: row.status,
    state,
    stateLabel: INTERVENTION_STATE_LABELS_IT[state],
    phraseIssuedAt: row.phraseIssuedAt.toISOString(),
    phraseBlocked: row.failedPhraseAttempts >= MAX_WRONG_PHRASES,
    cancelledAt: row.cancelledAt ? row.cancelledAt.toISOString() : null,
    cancelReason: row.cancelReason,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
  };
}
