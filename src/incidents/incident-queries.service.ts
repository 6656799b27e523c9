import { Inject, Injectable } from '@nestjs/common';
import { OrgAccess } from '../auth/principal';
import { DEFAULT_PAGE_SIZE, Page, decodeCursor, toPage } from '../common/http/pagination';
import { Clock } from '../common/time';
import { UnitOfWork } from '../database/unit-of-work.service';
import { IncidentDto, IncidentSummaryDto } from './dto/incident.dto';
import { IncidentQueryDto } from './dto/incident-requests.dto';
import { assertVisible, reporterFilter } from './incident-access';
import { INCIDENT_CLOCK } from './incident-clock';
import { IncidentViews, mapIncidentSummary } from './incident-views';
import { IncidentsRepository } from './incidents.repository';

/** Reading the register: the ALS, the auditor/DPO and the Mayor's office read all; others their own reports. */
@Injectable()
export class IncidentQueriesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: IncidentsRepository,
    private readonly views: IncidentViews,
    @Inject(INCIDENT_CLOCK) private readonly clock: Clock,
  ) {}

  async list(access: OrgAccess, query: IncidentQueryDto): Promise<Page<IncidentSummaryDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor);
    const rows = await this.uow.read((em) =>
      this.repository.incidentsPage(
        em,
        access.organizationId,
        { status: query.status, type: query.type, possibleBreach: query.possibleBreach, onlyReportedBy: reporterFilter(access) },
        cursor ? { at: new Date(String(cursor.k)), id: cursor.id } : null,
        limit + 1,
      ),
    );
    return toPage(rows, limit, (i) => ({ k: i.createdAt.toISOString(), id: i.id }), mapIncidentSummary);
  }

  async get(access: OrgAccess, id: string): Promise<IncidentDto> {
    return this.uow.read(async (em) => {
      const incident = await this.repository.findIncident(em, access.organizationId, id);
      assertVisible(access, incident);
      return this.views.detail(em, incident, this.clock.now());
    });
  }
}
