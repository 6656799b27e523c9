import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { OrgAccess } from '../auth/principal';
import { Clock } from '../common/time';
import { italianDateTime } from '../common/time/italian-format';
import { UnitOfWork } from '../database/unit-of-work.service';
import { renderDcsdReport } from './dcsd-report-pdf';
import { IncidentDto } from './dto/incident.dto';
import { DcsdCommunicationDto, PoliceReportDto } from './dto/incident-requests.dto';
import { assertNotClosed, assertVisible, saveIncident } from './incident-access';
import { INCIDENT_CLOCK } from './incident-clock';
import { IncidentTimeline } from './incident-timeline';
import { IncidentViews } from './incident-views';
import { IncidentsRepository } from './incidents.repository';

const italianDay = (d: string): string => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

export interface ReportFile {
  fileName: string;
  mediaType: string;
  content: Buffer;
}

/** The police report and the DCSD communication (Circolare DAIT 74/2025), and the detailed report for the DCSD. */
@Injectable()
export class AuthorityReportsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: IncidentsRepository,
    private readonly views: IncidentViews,
    private readonly timeline: IncidentTimeline,
    private readonly audit: AuditService,
    @Inject(INCIDENT_CLOCK) private readonly clock: Clock,
  ) {}

  async recordPolice(access: OrgAccess, id: string, dto: PoliceReportDto): Promise<IncidentDto> {
    return this.record(access, id, (incident) => {
      Object.assign(incident, {
        policeOffice: dto.office,
        policeReportedOn: dto.reportedOn,
        policeProtocol: dto.protocol,
        policeRecordedBy: access.actor.label,
      });
      return {
        type: 'police_report' as const,
        summary: `Segnalazione alla Polizia: ${dto.office}, il ${italianDay(dto.reportedOn)}, protocollo ${dto.protocol}.`,
        data: { ...dto },
      };
    });
  }

  async recordDcsd(access: OrgAccess, id: string, dto: DcsdCommunicationDto): Promise<IncidentDto> {
    return this.record(access, id, (incident) => {
      Object.assign(incident, { dcsdSentOn: dto.sentOn, dcsdProtocol: dto.protocol, dcsdRecordedBy: access.actor.label });
      return {
        type: 'dcsd_communication' as const,
        summary: `Comunicazione alla Direzione Centrale per i Servizi Demografici inviata il ${italianDay(dto.sentOn)}, protocollo ${dto.protocol}.`,
        data: { ...dto },
      };
    });
  }

  /** The detailed report as a PDF; producing it is written on the timeline with the file's SHA-256. */
  async dcsdReport(access: OrgAccess, id: string): Promise<ReportFile> {
    const producedAt = this.clock.now();
    const { incident, org } = await this.uow.read(async (em) => {
      const row = await this.repository.findIncident(em, access.organizationId, id);
      assertVisible(access, row);
      return { incident: await this.views.detail(em, row, producedAt), org: await this.repository.organization(em, access.organizationId) };
    });
    const content = await renderDcsdReport({
      comune: { name: org?.name ?? '', istatCode: org?.istatCode ?? '', province: org?.province ?? null, pec: org?.settings.pec ?? null },
      incident,
      producedAt,
      producedBy: access.actor.label,
    });
    const sha256 = createHash('sha256').update(content).digest('hex');
    await this.uow.run(async (tx) => {
      await this.timeline.add(
        tx,
        { id, organizationId: access.organizationId },
        access.actor,
        'dcsd_report_produced',
        `Relazione dettagliata per la DCSD prodotta (PDF, SHA-256 ${sha256}).`,
        {
          sha256,
        },
      );
      await this.audit.append(tx, {
        organizationId: access.organizationId,
        actor: access.actor,
        action: 'incident.dcsd_report',
        entity: 'incident',
        entityId: id,
        data: { sha256, bytes: content.length },
      });
    });
    const stamp = italianDateTime(producedAt).replace(/^(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d)$/, '$3$2$1-$4$5');
    return {
      fileName: `relazione-dcsd-incidente-${incident.number.replace('/', '-')}-${stamp}.pdf`,
      mediaType: 'application/pdf',
      content,
    };
  }

  private async record(
    access: OrgAccess,
    id: string,
    apply: (incident: NonNullable<Awaited<ReturnType<IncidentsRepository['findIncident']>>>) => {
      type: 'police_report' | 'dcsd_communication';
      summary: string;
      data: Record<string, unknown>;
    },
  ): Promise<IncidentDto> {
    return this.uow.run(async (tx) => {
      const incident = await this.repository.findIncident(tx.em, access.organizationId, id);
      assertVisible(access, incident);
      assertNotClosed(incident);
      const entry = apply(incident);
      await saveIncident(this.repository, tx, incident);
      await this.timeline.add(tx, incident, access.actor, entry.type, entry.summary, entry.data);
      await this.audit.append(tx, {
        organizationId: access.organizationId,
        actor: access.actor,
        action: `incident.${entry.type}`,
        entity: 'incident',
        entityId: id,
        data: entry.data,
      });
      return this.views.detail(tx.em, incident, this.clock.now());
    });
  }
}
