import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { OrgAccess } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time';
import { UnitOfWork } from '../database/unit-of-work.service';
import { DeviceTransitionsService } from '../devices/transitions.service';
import { TasksService } from '../tasks/tasks.service';
import { planStep } from './containment-plan';
import { ContainmentOutcomeDto, ContainmentProposalDto, ContainmentResultDto } from './dto/incident.dto';
import { ContainmentAction, ContainmentRequestDto } from './dto/incident-requests.dto';
import { IncidentEntity } from './incident.entity';
import { INCIDENT_CLOCK } from './incident-clock';
import { assertNotClosed, assertVisible, saveIncident } from './incident-access';
import { INCIDENT_TYPE_LABELS_IT } from './incident-lifecycle';
import { IncidentTimeline } from './incident-timeline';
import { IncidentViews } from './incident-views';
import { IncidentsRepository } from './incidents.repository';

/**
 * Containment: one action puts the incident's linked devices out of harm's way through the
 * devices lifecycle (compromised, lost, stolen, suspended), which opens their revocation and
 * replacement tasks; each step is written on the incident's timeline.
 */
@Injectable()
export class ContainmentService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: IncidentsRepository,
    private readonly transitions: DeviceTransitionsService,
    private readonly tasks: TasksService,
    private readonly timeline: IncidentTimeline,
    private readonly views: IncidentViews,
    private readonly audit: AuditService,
    @Inject(INCIDENT_CLOCK) private readonly clock: Clock,
  ) {}

  async propose(access: OrgAccess, incidentId: string): Promise<ContainmentProposalDto> {
    return this.uow.read(async (em) => {
      const incident = await this.repository.findIncident(em, access.organizationId, incidentId);
      assertVisible(access, incident);
      return this.proposalInTx(em, incident);
    });
  }

  /** What containment would do now (also shown in the quick report's answer). */
  async proposalInTx(
    em: EntityManager,
    incident: IncidentEntity,
    choices = new Map<string, ContainmentAction>(),
  ): Promise<ContainmentProposalDto> {
    const links = await this.repository.links(em, [incident.id]);
    const devices = await this.repository.devicesByIds(
      em,
      incident.organizationId,
      links.devices.map((l) => l.deviceId),
    );
    const steps = devices.map((d) => planStep(incident.type, d, choices.get(d.id)));
    const actionable = steps.filter((s) => s.action !== null).length;
    return {
      recommended: actionable > 0,
      message:
        actionable > 0
          ? `Metti subito in sicurezza ${actionable === 1 ? 'il dispositivo coinvolto' : `i ${actionable} dispositivi coinvolti`}: ` +
            'lo stato cambia in Custode e si aprono le richieste di revoca. Sospendi anche le utenze nella consolle ANPR o nel sistema.'
          : 'Nessun dispositivo collegato richiede un cambio di stato. Collega all’incidente i dispositivi coinvolti, se ce ne sono.',
      steps,
    };
  }

  async contain(access: OrgAccess, incidentId: string, dto: ContainmentRequestDto): Promise<ContainmentResultDto> {
    return this.uow.run(async (tx) => {
      const incident = await this.repository.findIncident(tx.em, access.organizationId, incidentId);
      assertVisible(access, incident);
      assertNotClosed(incident);
      const links = await this.repository.links(tx.em, [incident.id]);
      const linked = new Set(links.devices.map((l) => l.deviceId));
      const choices = new Map((dto.devices ?? []).map((c) => [c.deviceId, c.action]));
      const stray = [...choices.keys()].filter((id) => !linked.has(id));
      if (stray.length > 0)
        throw new DomainError('INCIDENT_DEVICE_NOT_LINKED', 'Link the devices to the incident before choosing their containment', {
          deviceIds: stray,
        });

      const reason = `Incidente n. ${incident.number}: ${INCIDENT_TYPE_LABELS_IT[incident.type]}`;
      const outcomes: ContainmentOutcomeDto[] = [];
      for (const device of await this.repository.devicesByIds(tx.em, access.organizationId, [...linked])) {
        const step = planStep(incident.type, device, choices.get(device.id));
        if (step.action === null) {
          outcomes.push({ ...step, outcome: 'skipped', openedTaskIds: [] });
          await this.timeline.add(tx, incident, access.actor, 'containment_step', step.summary, { deviceId: device.id, action: null });
          continue;
        }
        const result = await this.transitions.applyInTx(tx, access.actor, device, {
          action: step.action,
          reason,
          evidence: { reference: `Incidente n. ${incident.number}`, description: incident.title },
        });
        // The lifecycle asks for an incident when a device is compromised or stolen: this is it.
        const fulfilled = await this.tasks.confirmPendingInTx(tx, access.actor, access.organizationId, device.id, ['incident_report']);
        const opened = result.openedTaskIds.filter((id) => !fulfilled.includes(id));
        outcomes.push({ ...step, outcome: 'applied', openedTaskIds: opened });
        const tasks = opened.length;
        await this.timeline.add(
          tx,
          incident,
          access.actor,
          'containment_step',
          `${step.summary}${tasks > 0 ? `. ${tasks === 1 ? 'Aperta 1 attività' : `Aperte ${tasks} attività`} di revoca o sostituzione` : ''}`,
          {
            deviceId: device.id,
            action: step.action,
            from: step.status,
            to: step.toStatus,
            openedTaskIds: opened,
            fulfilledTaskIds: fulfilled,
          },
        );
      }
      if (dto.note) await this.timeline.add(tx, incident, access.actor, 'note', dto.note);
      const applied = outcomes.filter((o) => o.outcome === 'applied').length;
      if (incident.status === 'open') {
        Object.assign(incident, { status: 'contained', containedAt: this.clock.now() });
        await this.timeline.add(
          tx,
          incident,
          access.actor,
          'status_changed',
          `Incidente contenuto: ${applied === 0 ? 'nessun dispositivo da mettere in sicurezza' : applied === 1 ? '1 dispositivo messo in sicurezza' : `${applied} dispositivi messi in sicurezza`}`,
          { from: 'open', to: 'contained' },
        );
      }
      await saveIncident(this.repository, tx, incident);
      await this.audit.append(tx, {
        organizationId: access.organizationId,
        actor: access.actor,
        action: 'incident.contained',
        entity: 'incident',
        entityId: incident.id,
        data: {
          steps: outcomes.map((o) => ({ deviceId: o.deviceId, action: o.action, outcome: o.outcome, openedTaskIds: o.openedTaskIds })),
        },
      });
      return { incident: await this.views.detail(tx.em, incident, this.clock.now()), steps: outcomes };
    });
  }
}
