import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { OrgAccess } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time';
import { UnitOfWork } from '../database/unit-of-work.service';
import { IncidentDto } from './dto/incident.dto';
import { IncidentTransitionDto } from './dto/incident-requests.dto';
import { assertVisible, saveIncident } from './incident-access';
import { INCIDENT_CLOCK } from './incident-clock';
import { INCIDENT_ACTION_LABELS_IT, INCIDENT_STATUS_LABELS_IT, nextIncidentStatus } from './incident-lifecycle';
import { IncidentTimeline } from './incident-timeline';
import { IncidentViews } from './incident-views';
import { IncidentsRepository } from './incidents.repository';

/** The incident lifecycle (incident-lifecycle.ts) with its preconditions. */
@Injectable()
export class IncidentTransitionsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: IncidentsRepository,
    private readonly timeline: IncidentTimeline,
    private readonly views: IncidentViews,
    private readonly audit: AuditService,
    @Inject(INCIDENT_CLOCK) private readonly clock: Clock,
  ) {}

  /** contain (by hand, with a note), mark_reported (police and DCSD recorded), close (breach assessed). */
  async apply(access: OrgAccess, id: string, dto: IncidentTransitionDto): Promise<IncidentDto> {
    return this.uow.run(async (tx) => {
      const incident = await this.repository.findIncident(tx.em, access.organizationId, id);
      assertVisible(access, incident);
      const from = incident.status;
      const to = nextIncidentStatus(from, dto.action);
      if (!to) {
        throw new DomainError(
          'INCIDENT_TRANSITION_NOT_ALLOWED',
          `Cannot ${dto.action} an incident that is ${from} (${INCIDENT_STATUS_LABELS_IT[from]})`,
          {
            currentStatus: from,
            action: dto.action,
          },
        );
      }
      if ((dto.action === 'contain' || dto.action === 'close') && !dto.note) {
        throw new DomainError('VALIDATION_FAILED', `${dto.action} needs a note`, {
          errors: [{ field: 'note', messages: [`note is required to ${dto.action}`] }],
        });
      }
      const now = this.clock.now();
      if (dto.action === 'mark_reported') {
        const missing = [...(incident.policeReportedOn ? [] : ['police']), ...(incident.dcsdSentOn ? [] : ['dcsd'])];
        if (missing.length > 0)
          throw new DomainError('INCIDENT_REPORTS_MISSING', 'Record the police report and the communication to the DCSD first', {
            missing,
          });
        incident.reportedAt = now;
      }
      if (dto.action === 'contain') incident.containedAt = now;
      if (dto.action === 'close') {
        const breach = incident.possibleBreach ? await this.repository.findBreach(tx.em, access.organizationId, id) : null;
        if (breach && breach.assessment === null) {
          throw new DomainError('INCIDENT_BREACH_NOT_ASSESSED', 'Record the GDPR assessment of the possible breach before closing', {
            deadlineAt: breach.deadlineAt.toISOString(),
          });
        }
        Object.assign(incident, { closedAt: now, closingNote: dto.note });
      }
      incident.status = to;
      await saveIncident(this.repository, tx, incident);
      await this.timeline.add(
        tx,
        incident,
        access.actor,
        'status_changed',
        `${INCIDENT_ACTION_LABELS_IT[dto.action]} (${INCIDENT_STATUS_LABELS_IT[to].toLowerCase()})${dto.note ? `: ${dto.note}` : '.'}`,
        {
          from,
          to,
        },
      );
      await this.audit.append(tx, {
        organizationId: access.organizationId,
        actor: access.actor,
        action: 'incident.transition',
        entity: 'incident',
        entityId: id,
        data: { action: dto.action, from, to },
      });
      return this.views.detail(tx.em, incident, now);
    });
  }
}
