import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { OrgAccess } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time';
import { italianDateTime } from '../common/time/italian-format';
import { Tx, UnitOfWork } from '../database/unit-of-work.service';
import { DeviceEntity } from '../devices/entities/device.entity';
import { HoldersService } from '../holders/holders.service';
import { CallerCheckService } from '../interventions/caller-check.service';
import { WorkstationRef, WorkstationsService } from '../workstations/workstations.service';
import { BreachService } from './breach.service';
import { ContainmentService } from './containment.service';
import { QuickReportResultDto } from './dto/incident.dto';
import { QuickReportDto } from './dto/incident-requests.dto';
import { CallDetails, IncidentEntity } from './incident.entity';
import { saveIncident } from './incident-access';
import { INCIDENT_CLOCK } from './incident-clock';
import {
  CALL_OUTCOME_LABELS_IT,
  CALL_REQUEST_LABELS_IT,
  INCIDENT_STATUS_LABELS_IT,
  INCIDENT_TYPE_LABELS_IT,
  somethingGiven,
  typeOfCall,
} from './incident-lifecycle';
import { IncidentNotifier } from './incident-notifier';
import { IncidentTimeline } from './incident-timeline';
import { IncidentsRepository } from './incidents.repository';
import { IncidentsService } from './incidents.service';

const SKEW_MS = 5 * 60_000;
const OUTCOME_TEXT_IT: Record<'expected' | 'not_expected' | 'unverifiable', string> = {
  expected: 'intervento previsto',
  not_expected: 'chiamata NON prevista',
  unverifiable: 'identità NON verificabile',
};

/**
 * The operator's quick report of a suspicious call: one short form that opens an incident, alerts
 * every ALS at once, links what was exposed and, when anything was granted or disclosed, starts
 * the GDPR clock and proposes the containment.
 */
@Injectable()
export class QuickReportService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: IncidentsRepository,
    private readonly incidents: IncidentsService,
    private readonly containment: ContainmentService,
    private readonly breach: BreachService,
    private readonly notifier: IncidentNotifier,
    private readonly callerChecks: CallerCheckService,
    private readonly holders: HoldersService,
    private readonly workstations: WorkstationsService,
    private readonly timeline: IncidentTimeline,
    private readonly audit: AuditService,
    @Inject(INCIDENT_CLOCK) private readonly clock: Clock,
  ) {}

  async report(access: OrgAccess, dto: QuickReportDto): Promise<QuickReportResultDto> {
    const now = this.clock.now();
    const calledAt = dto.calledAt ? new Date(dto.calledAt) : now;
    if (calledAt.getTime() > now.getTime() + SKEW_MS)
      throw new DomainError('INCIDENT_TIMES_INVALID', 'calledAt cannot be in the future', { field: 'calledAt' });
    const done = [...new Set(dto.done)];
    if (done.includes('nothing') && done.length > 1) {
      throw new DomainError('VALIDATION_FAILED', '"nothing" cannot go with something that was done', {
        errors: [{ field: 'done', messages: ['nothing excludes the other values'] }],
      });
    }
    const requested = [...new Set(dto.requested)];
    return this.uow.run(async (tx) => {
      const org = access.organizationId;
      const reporterHolderId = await this.holders.holderIdOfUserInTx(tx.em, org, access.userId);
      const workstation = await this.workstation(tx, org, dto);
      const named = await this.namedDevices(tx, access, reporterHolderId, dto.deviceIds ?? []);
      const exposed = await this.exposedDevices(tx, org, done, reporterHolderId, workstation);
      const call: CallDetails = {
        calledAt: calledAt.toISOString(),
        callerNumber: dto.callerNumber ?? null,
        claimedCompany: dto.claimedCompany,
        claimedName: dto.claimedName ?? null,
        requested,
        requestedOther: dto.requestedOther ?? null,
        done,
        callerCheckId: dto.callerCheckId ?? null,
      };
      const incident = await this.incidents.openInTx(tx, access.actor, {
        organizationId: org,
        type: typeOfCall(done),
        source: 'quick_report',
        title: `Chiamata sospetta: sedicente tecnico di ${dto.claimedCompany}`,
        description: describe(call, dto.notes),
        occurredAt: calledAt,
        detectedAt: now,
        awareAt: now,
        reportedByUserId: access.userId,
        reportedBy: access.actor.label,
        reporterHolderId,
        call,
      });
      await this.timeline.add(
        tx,
        incident,
        access.actor,
        'reported',
        `Segnalazione rapida di ${access.actor.label}. ${describe(call, dto.notes)}`,
      );
      if (dto.callerCheckId) {
        const check = await this.callerChecks.linkToIncidentInTx(tx, access, dto.callerCheckId, incident.id);
        await this.timeline.add(
          tx,
          incident,
          access.actor,
          'caller_check_linked',
          `Controllo del chiamante delle ${italianDateTime(new Date(check.checkedAt))} (${check.checkedBy}): ${OUTCOME_TEXT_IT[check.outcome]}.`,
          { callerCheckId: check.id, outcome: check.outcome, reason: check.reason },
        );
      }
      await this.incidents.linkInTx(tx, access, incident, {
        deviceIds: [...named, ...exposed].map((d) => d.id),
        holderIds: reporterHolderId ? [reporterHolderId] : [],
        workstationIds: workstation ? [workstation.id] : [],
      });
      const alerts = await this.notifier.alertReportedInTx(tx, incident);
      await this.timeline.add(
        tx,
        incident,
        access.actor,
        'alert_sent',
        alerts > 0
          ? `Avviso ad alta priorità all'Amministratore locale della sicurezza su tutti i canali (${alerts} messaggi).`
          : "Nessun Amministratore locale della sicurezza raggiungibile: l'avviso non è partito.",
        { messages: alerts },
      );
      const given = somethingGiven(done);
      if (given) await this.breach.flagInTx(tx, access.actor, incident, now);
      await saveIncident(this.repository, tx, incident);
      await this.audit.append(tx, {
        organizationId: org,
        actor: access.actor,
        action: 'incident.quick_report',
        entity: 'incident',
        entityId: incident.id,
        data: { number: incident.number, type: incident.type, requested, done, callerCheckId: call.callerCheckId, alerts },
      });
      return {
        id: incident.id,
        number: incident.number,
        status: incident.status,
        type: incident.type,
        typeLabel: INCIDENT_TYPE_LABELS_IT[incident.type],
        message: message(incident, alerts, given),
        alsNotified: alerts > 0,
        containment: given ? await this.containment.proposalInTx(tx.em, incident) : null,
      };
    });
  }

  private async workstation(tx: Tx, org: string, dto: QuickReportDto): Promise<WorkstationRef | null> {
    if (dto.workstationId) return this.workstations.requireInTx(tx.em, org, dto.workstationId);
    if (!dto.workstationCode) return null;
    const ws = await this.workstations.findByCodeInTx(tx.em, org, dto.workstationCode);
    if (!ws)
      throw new DomainError('WORKSTATION_NOT_FOUND', `No workstation has the code ${dto.workstationCode}`, {
        workstationCode: dto.workstationCode,
      });
    return ws;
  }

  /** The devices the reporter named; an operator may name only their own (others answer 404, as everywhere). */
  private async namedDevices(tx: Tx, access: OrgAccess, reporterHolderId: string | null, ids: string[]): Promise<DeviceEntity[]> {
    const devices = await this.repository.devicesByIds(tx.em, access.organizationId, ids);
    const own = (d: DeviceEntity) =>
      reporterHolderId !== null && (d.holderId === reporterHolderId || d.custodianHolderId === reporterHolderId);
    const missing = [...new Set(ids)].filter((id) => !devices.some((d) => d.id === id && (access.role !== 'operator' || own(d))));
    if (missing.length > 0) throw new DomainError('DEVICE_NOT_FOUND', 'Device not found', { deviceIds: missing });
    return devices;
  }

  /**
   * What the call exposed without the operator having to name it: their own live credentials when
   * credentials were typed or told, the certificates installed on the workstation when a remote
   * session was granted or software installed.
   */
  private async exposedDevices(
    tx: Tx,
    org: string,
    done: string[],
    holderId: string | null,
    ws: WorkstationRef | null,
  ): Promise<DeviceEntity[]> {
    const found: DeviceEntity[] = [];
    if (done.includes('credentials_disclosed') && holderId)
      found.push(...(await this.repository.liveDevices(tx.em, org, ['credential'], { holderId })));
    if ((done.includes('remote_session_granted') || done.includes('software_installed')) && ws) {
      found.push(
        ...(await this.repository.liveDevices(tx.em, org, ['workstation_certificate', 'server_certificate'], { workstationId: ws.id })),
      );
    }
    return found;
  }
}

function describe(c: CallDetails, notes: string | undefined): string {
  const who = c.claimedName ? `${c.claimedName}, sedicente tecnico di ${c.claimedCompany}` : `un sedicente tecnico di ${c.claimedCompany}`;
  const from = c.callerNumber ? ` dal numero ${c.callerNumber}` : '';
  const asked = c.requested
    .map((r) => (r === 'other' && c.requestedOther ? `altro (${c.requestedOther})` : CALL_REQUEST_LABELS_IT[r]))
    .join(', ');
  const done = c.done.map((d) => CALL_OUTCOME_LABELS_IT[d]).join(', ');
  return `Chiamata del ${italianDateTime(new Date(c.calledAt))}${from} da ${who}. Richiesto: ${asked}. Fatto: ${done}.${notes ? ` Note: ${notes}` : ''}`;
}

function message(incident: IncidentEntity, alerts: number, given: boolean): string {
  const parts = [`Segnalazione n. ${incident.number} registrata (${INCIDENT_STATUS_LABELS_IT[incident.status].toLowerCase()}).`];
  parts.push(
    alerts > 0
      ? "L'Amministratore locale della sicurezza è stato avvisato."
      : "Avvisa subito a voce l'Amministratore locale della sicurezza.",
  );
  if (given) {
    parts.push(
      'Poiché qualcosa è stato concesso o comunicato: scollega il computer dalla rete se la sessione remota è ancora aperta, ' +
        'non usare le credenziali comunicate e attendi le istruzioni dell’Amministratore locale della sicurezza.',
    );
  }
  return parts.join(' ');
}
