import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { OrgAccess } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { assertVersion } from '../common/http/if-match';
import { Clock } from '../common/time';
import { italianDateTime } from '../common/time/italian-format';
import { Tx, UnitOfWork } from '../database/unit-of-work.service';
import { KIND_LABELS_IT } from '../devices/lifecycle';
import { HoldersService } from '../holders/holders.service';
import { WorkstationsService } from '../workstations/workstations.service';
import { BreachService } from './breach.service';
import { IncidentDto } from './dto/incident.dto';
import { CreateIncidentDto, LinksDto, NoteDto, UpdateIncidentDto } from './dto/incident-requests.dto';
import { IncidentEntity } from './incident.entity';
import { assertNotClosed, assertVisible, saveIncident } from './incident-access';
import { INCIDENT_CLOCK } from './incident-clock';
import { INCIDENT_TYPE_LABELS_IT } from './incident-lifecycle';
import { IncidentTimeline } from './incident-timeline';
import { IncidentViews } from './incident-views';
import { IncidentsRepository } from './incidents.repository';

const SKEW_MS = 5 * 60_000;

export type NewIncident = Pick<
  IncidentEntity,
  | 'organizationId'
  | 'type'
  | 'source'
  | 'title'
  | 'description'
  | 'occurredAt'
  | 'detectedAt'
  | 'awareAt'
  | 'reportedByUserId'
  | 'reportedBy'
  | 'reporterHolderId'
  | 'call'
>;

/** The incident register: recording incidents, linking what they involve, notes and the lifecycle (ALS). */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: IncidentsRepository,
    private readonly holders: HoldersService,
    private readonly workstations: WorkstationsService,
    private readonly breach: BreachService,
    private readonly timeline: IncidentTimeline,
    private readonly views: IncidentViews,
    private readonly audit: AuditService,
    @Inject(INCIDENT_CLOCK) private readonly clock: Clock,
  ) {}

  async create(access: OrgAccess, dto: CreateIncidentDto): Promise<IncidentDto> {
    const now = this.clock.now();
    const detectedAt = this.instant(dto.detectedAt, now, 'detectedAt');
    const awareAt = this.instant(dto.awareAt, detectedAt, 'awareAt');
    const occurredAt = dto.occurredAt ? this.instant(dto.occurredAt, now, 'occurredAt') : null;
    if (occurredAt && occurredAt > detectedAt) throw new DomainError('INCIDENT_TIMES_INVALID', 'occurredAt cannot be after detectedAt');
    return this.uow.run(async (tx) => {
      const reporterHolderId = await this.holders.holderIdOfUserInTx(tx.em, access.organizationId, access.userId);
      const incident = await this.openInTx(tx, access.actor, {
        organizationId: access.organizationId,
        type: dto.type,
        source: 'manual',
        title: dto.title,
        description: dto.description,
        occurredAt,
        detectedAt,
        awareAt,
        reportedByUserId: access.userId,
        reportedBy: access.actor.label,
        reporterHolderId,
        call: null,
      });
      await this.timeline.add(
        tx,
        incident,
        access.actor,
        'created',
        `Incidente n. ${incident.number} registrato: ${INCIDENT_TYPE_LABELS_IT[incident.type]}. ${incident.title}`,
      );
      await this.linkInTx(tx, access, incident, dto);
      if (dto.possibleBreach) await this.breach.flagInTx(tx, access.actor, incident, awareAt);
      await saveIncident(this.repository, tx, incident);
      return this.views.detail(tx.em, incident, now);
    });
  }

  /** Inserts the incident with its yearly number (used by the quick report too). */
  async openInTx(tx: Tx, actor: Actor, fields: NewIncident): Promise<IncidentEntity> {
    const now = new Date();
    const year = italianDateTime(this.clock.now()).slice(6, 10);
    const incident: IncidentEntity = {
      ...fields,
      id: randomUUID(),
      number: await this.repository.nextNumber(tx.em, fields.organizationId, year),
      status: 'open',
      title: fields.title.slice(0, 300),
      possibleBreach: false,
      policeOffice: null,
      policeReportedOn: null,
      policeProtocol: null,
      policeRecordedBy: null,
      dcsdSentOn: null,
      dcsdProtocol: null,
      dcsdRecordedBy: null,
      containedAt: null,
      reportedAt: null,
      closedAt: null,
      closingNote: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await this.repository.insertIncident(tx.em, incident);
    await this.audit.append(tx, {
      organizationId: fields.organizationId,
      actor,
      action: 'incident.opened',
      entity: 'incident',
      entityId: incident.id,
      data: { number: incident.number, type: incident.type, source: incident.source, awareAt: incident.awareAt.toISOString() },
    });
    return incident;
  }

  async update(access: OrgAccess, id: string, expected: number, dto: UpdateIncidentDto): Promise<IncidentDto> {
    return this.uow.run(async (tx) => {
      const incident = await this.editable(tx, access, id);
      assertVersion('incident', incident.version, expected);
      const changed: string[] = [];
      if (dto.type !== undefined && dto.type !== incident.type) changed.push(`tipo: ${INCIDENT_TYPE_LABELS_IT[dto.type]}`);
      if (dto.title !== undefined && dto.title !== incident.title) changed.push('titolo');
      if (dto.description !== undefined && dto.description !== incident.description) changed.push('descrizione');
      const now = this.clock.now();
      const occurredAt = dto.occurredAt !== undefined ? this.instant(dto.occurredAt, now, 'occurredAt') : incident.occurredAt;
      const detectedAt = dto.detectedAt !== undefined ? this.instant(dto.detectedAt, now, 'detectedAt') : incident.detectedAt;
      if (occurredAt && occurredAt > detectedAt) throw new DomainError('INCIDENT_TIMES_INVALID', 'occurredAt cannot be after detectedAt');
      if (occurredAt?.getTime() !== incident.occurredAt?.getTime())
        changed.push(`avvenuto il ${occurredAt ? italianDateTime(occurredAt) : '—'}`);
      if (detectedAt.getTime() !== incident.detectedAt.getTime()) changed.push(`rilevato il ${italianDateTime(detectedAt)}`);
      Object.assign(incident, {
        type: dto.type ?? incident.type,
        title: dto.title ?? incident.title,
        description: dto.description ?? incident.description,
        occurredAt,
        detectedAt,
      });
      if (changed.length === 0) return this.views.detail(tx.em, incident, now);
      await saveIncident(this.repository, tx, incident);
      await this.timeline.add(tx, incident, access.actor, 'updated', `Dati dell'incidente aggiornati: ${changed.join('; ')}.`);
      await this.audit.append(tx, {
        organizationId: access.organizationId,
        actor: access.actor,
        action: 'incident.updated',
        entity: 'incident',
        entityId: id,
        data: { changed },
      });
      return this.views.detail(tx.em, incident, now);
    });
  }

  async link(access: OrgAccess, id: string, dto: LinksDto): Promise<IncidentDto> {
    return this.uow.run(async (tx) => {
      const incident = await this.editable(tx, access, id);
      await this.linkInTx(tx, access, incident, dto);
      await saveIncident(this.repository, tx, incident);
      return this.views.detail(tx.em, incident, this.clock.now());
    });
  }

  /** Validates and links devices, people and workstations (all of this Comune); writes one timeline line. */
  async linkInTx(tx: Tx, access: OrgAccess, incident: IncidentEntity, dto: LinksDto): Promise<string[]> {
    const org = access.organizationId;
    const devices = await this.repository.devicesByIds(tx.em, org, dto.deviceIds ?? []);
    const missing = [...new Set(dto.deviceIds ?? [])].filter((id) => !devices.some((d) => d.id === id));
    if (missing.length > 0) throw new DomainError('DEVICE_NOT_FOUND', 'Device not found', { deviceIds: missing });
    // One at a time: a transaction's connection takes one query at a time.
    const people = [];
    for (const h of new Set(dto.holderIds ?? [])) people.push(await this.holders.requireInTx(tx.em, org, h));
    const places = [];
    for (const w of new Set(dto.workstationIds ?? [])) places.push(await this.workstations.requireInTx(tx.em, org, w));
    const added = await this.repository.addLinks(
      tx.em,
      { incidentId: incident.id, organizationId: org, addedAt: new Date(), addedBy: access.actor.label },
      { deviceIds: devices.map((d) => d.id), holderIds: people.map((p) => p.id), workstationIds: places.map((w) => w.id) },
    );
    const names = [
      ...devices.filter((d) => added.deviceIds.includes(d.id)).map((d) => `${KIND_LABELS_IT[d.kind].toLowerCase()} «${d.label}»`),
      ...places.filter((w) => added.workstationIds.includes(w.id)).map((w) => `postazione ${w.code}`),
      ...people.filter((p) => added.holderIds.includes(p.id)).map((p) => p.name),
    ];
    if (names.length > 0) {
      await this.timeline.add(tx, incident, access.actor, 'linked', `Collegati all'incidente: ${names.join(', ')}.`, added);
      await this.audit.append(tx, {
        organizationId: org,
        actor: access.actor,
        action: 'incident.linked',
        entity: 'incident',
        entityId: incident.id,
        data: added,
      });
    }
    return names;
  }

  async addNote(access: OrgAccess, id: string, dto: NoteDto): Promise<IncidentDto> {
    return this.uow.run(async (tx) => {
      const incident = await this.editable(tx, access, id);
      await this.timeline.add(tx, incident, access.actor, 'note', dto.text);
      await saveIncident(this.repository, tx, incident);
      await this.audit.append(tx, {
        organizationId: access.organizationId,
        actor: access.actor,
        action: 'incident.note_added',
        entity: 'incident',
        entityId: id,
      });
      return this.views.detail(tx.em, incident, this.clock.now());
    });
  }

  private async editable(tx: Tx, access: OrgAccess, id: string): Promise<IncidentEntity> {
    const incident = await this.repository.findIncident(tx.em, access.organizationId, id);
    assertVisible(access, incident);
    assertNotClosed(incident);
    return incident;
  }

  /** An ISO instant from the request (or the fallback), never in the future. */
  private instant(iso: string | undefined, fallback: Date, field: string): Date {
    const at = iso ? new Date(iso) : fallback;
    if (at.getTime() > this.clock.now().getTime() + SKEW_MS)
      throw new DomainError('INCIDENT_TIMES_INVALID', `${field} cannot be in the future`, { field });
    return at;
  }
}
