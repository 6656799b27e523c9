import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AttachmentsService } from '../attachments/attachments.service';
import { KIND_LABELS_IT, statusLabelIt } from '../devices/lifecycle';
import { HoldersService } from '../holders/holders.service';
import { WorkstationsService } from '../workstations/workstations.service';
import { BreachRecordEntity } from './breach-record.entity';
import { BREACH_ASSESSMENT_LABELS_IT, BREACH_RISK_LABELS_IT, BreachDto, SUBJECTS_DECISION_LABELS_IT } from './dto/breach.dto';
import { CallDetailsDto, IncidentDeviceDto, IncidentDto, IncidentSummaryDto } from './dto/incident.dto';
import { clockView, reminderTimes } from './gdpr-clock';
import { CallDetails, IncidentEntity } from './incident.entity';
import {
  CALL_OUTCOME_LABELS_IT,
  CALL_REQUEST_LABELS_IT,
  INCIDENT_ACTIONS,
  INCIDENT_STATUS_LABELS_IT,
  INCIDENT_TYPE_LABELS_IT,
  nextIncidentStatus,
} from './incident-lifecycle';
import { IncidentsRepository } from './incidents.repository';
import { queriesOn } from '../database/queries-on';

/** Incidents as the API and the DCSD report show them. */
@Injectable()
export class IncidentViews {
  constructor(
    private readonly repository: IncidentsRepository,
    private readonly holders: HoldersService,
    private readonly workstations: WorkstationsService,
    private readonly attachments: AttachmentsService,
  ) {}

  async detail(em: EntityManager, incident: IncidentEntity, now: Date): Promise<IncidentDto> {
    const org = incident.organizationId;
    const links = await this.repository.links(em, [incident.id]);
    const [devices, holders, workstations, attachmentLinks, events, breach] = await queriesOn(
      em,
      () =>
        this.repository.devicesByIds(
          em,
          org,
          links.devices.map((l) => l.deviceId),
        ),
      () =>
        this.holders.refsInTx(
          em,
          org,
          links.holders.map((l) => l.holderId),
        ),
      () =>
        this.workstations.refsInTx(
          em,
          org,
          links.workstations.map((l) => l.workstationId),
        ),
      () => this.repository.attachments(em, incident.id),
      () => this.repository.events(em, incident.id),
      () => this.repository.findBreach(em, org, incident.id),
    );
    const files = await this.attachments.describe(
      em,
      org,
      attachmentLinks.map((a) => a.attachmentId),
    );
    const deviceOrder = new Map(links.devices.map((l, n) => [l.deviceId, n]));
    return {
      ...mapIncidentSummary(incident),
      description: incident.description,
      call: incident.call ? mapCall(incident.call) : null,
      devices: devices
        .sort((a, b) => (deviceOrder.get(a.id) ?? 0) - (deviceOrder.get(b.id) ?? 0))
        .map((d): IncidentDeviceDto => ({
          id: d.id,
          label: d.label,
          kind: d.kind,
          kindLabel: KIND_LABELS_IT[d.kind],
          status: d.status,
          statusLabel: statusLabelIt(d.kind, d.status),
        })),
      holders: links.holders.map((l) => ({ id: l.holderId, name: holders.get(l.holderId)?.name ?? '' })),
      workstations: links.workstations.map((l) => ({ id: l.workstationId, name: workstations.get(l.workstationId)?.code ?? '' })),
      attachments: attachmentLinks.flatMap((a) => {
        const f = files.get(a.attachmentId);
        return f
          ? [
              {
                id: f.id,
                fileName: f.fileName,
                mediaType: f.mediaType,
                sizeBytes: f.sizeBytes,
                sha256: f.sha256,
                description: a.description,
                addedAt: a.addedAt.toISOString(),
                addedBy: a.addedBy,
              },
            ]
          : [];
      }),
      timeline: events.map((e) => ({ at: e.at.toISOString(), type: e.type, actor: e.actorLabel, summary: e.summary })),
      policeReport:
        incident.policeReportedOn && incident.policeOffice && incident.policeProtocol
          ? {
              office: incident.policeOffice,
              reportedOn: incident.policeReportedOn,
              protocol: incident.policeProtocol,
              recordedBy: incident.policeRecordedBy ?? '',
            }
          : null,
      dcsdCommunication:
        incident.dcsdSentOn && incident.dcsdProtocol
          ? { sentOn: incident.dcsdSentOn, protocol: incident.dcsdProtocol, recordedBy: incident.dcsdRecordedBy ?? '' }
          : null,
      breach: breach ? mapBreach(breach, now) : null,
      containedAt: incident.containedAt?.toISOString() ?? null,
      reportedAt: incident.reportedAt?.toISOString() ?? null,
      closedAt: incident.closedAt?.toISOString() ?? null,
      closingNote: incident.closingNote,
      allowedActions: INCIDENT_ACTIONS.filter((a) => nextIncidentStatus(incident.status, a) !== null),
    };
  }
}

export function mapIncidentSummary(i: IncidentEntity): IncidentSummaryDto {
  return {
    id: i.id,
    number: i.number,
    type: i.type,
    typeLabel: INCIDENT_TYPE_LABELS_IT[i.type],
    status: i.status,
    statusLabel: INCIDENT_STATUS_LABELS_IT[i.status],
    source: i.source,
    title: i.title,
    occurredAt: i.occurredAt?.toISOString() ?? null,
    detectedAt: i.detectedAt.toISOString(),
    awareAt: i.awareAt.toISOString(),
    reportedBy: i.reportedBy,
    possibleBreach: i.possibleBreach,
    createdAt: i.createdAt.toISOString(),
    version: i.version,
  };
}

function mapCall(c: CallDetails): CallDetailsDto {
  return {
    ...c,
    requestedLabels: c.requested.map((r) => CALL_REQUEST_LABELS_IT[r]),
    doneLabels: c.done.map((d) => CALL_OUTCOME_LABELS_IT[d]),
  };
}

export function mapBreach(b: BreachRecordEntity, now: Date): BreachDto {
  const clock = clockView(b, now);
  return {
    awareAt: b.awareAt.toISOString(),
    deadlineAt: b.deadlineAt.toISOString(),
    hoursLeft: clock.hoursLeft,
    overdue: clock.overdue,
    clockLabel: clock.label,
    reminders: reminderTimes(b.awareAt).map((r) => ({ hours: r.hours, dueAt: r.dueAt.toISOString() })),
    dpoContact: b.dpoContact,
    nature: b.nature,
    dataCategories: b.dataCategories,
    subjectsApprox: b.subjectsApprox,
    recordsApprox: b.recordsApprox,
    consequences: b.consequences,
    measures: b.measures,
    assessment: b.assessment,
    assessmentLabel: b.assessment ? BREACH_ASSESSMENT_LABELS_IT[b.assessment] : null,
    risk: b.risk,
    riskLabel: b.risk ? BREACH_RISK_LABELS_IT[b.risk] : null,
    assessmentReasons: b.assessmentReasons,
    assessedAt: b.assessedAt?.toISOString() ?? null,
    assessedBy: b.assessedBy,
    preliminaryNotification:
      b.preliminaryNotifiedAt && b.preliminaryReference
        ? { notifiedAt: b.preliminaryNotifiedAt.toISOString(), reference: b.preliminaryReference }
        : null,
    completeNotification:
      b.completeNotifiedAt && b.completeReference
        ? { notifiedAt: b.completeNotifiedAt.toISOString(), reference: b.completeReference }
        : null,
    delayReasons: b.delayReasons,
    dataSubjects: b.subjectsDecision
      ? {
          decision: b.subjectsDecision,
          decisionLabel: SUBJECTS_DECISION_LABELS_IT[b.subjectsDecision],
          informedAt: b.subjectsInformedAt?.toISOString() ?? null,
          note: b.subjectsNote ?? '',
        }
      : null,
    version: b.version,
  };
}
