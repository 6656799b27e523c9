import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Actor } from '../audit/actor';
import { Tx } from '../database/unit-of-work.service';
import { IncidentEntity } from './incident.entity';
import { TimelineType } from './incident-links.entity';
import { IncidentsRepository } from './incidents.repository';

/** Appends to an incident's timeline, in the caller's transaction (every step of the response is there). */
@Injectable()
export class IncidentTimeline {
  /** Entries are ordered by time: several written in one millisecond still keep their order. */
  private last = 0;

  constructor(private readonly repository: IncidentsRepository) {}

  async add(
    tx: Tx,
    incident: Pick<IncidentEntity, 'id' | 'organizationId'>,
    actor: Actor,
    type: TimelineType,
    summary: string,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    this.last = Math.max(Date.now(), this.last + 1);
    await this.repository.insertEvent(tx.em, {
      id: randomUUID(),
      organizationId: incident.organizationId,
      incidentId: incident.id,
      at: new Date(this.last),
      type,
      actorLabel: actor.label,
      summary,
      data,
    });
  }
}
