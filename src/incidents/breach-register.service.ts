import { Inject, Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { AuditService } from '../audit/audit.service';
import { OrgAccess } from '../auth/principal';
import { DEFAULT_PAGE_SIZE, Page, PageQueryDto, decodeCursor, toPage } from '../common/http/pagination';
import { Clock } from '../common/time';
import { italianDateTime } from '../common/time/italian-format';
import { UnitOfWork } from '../database/unit-of-work.service';
import { BreachRecordEntity } from './breach-record.entity';
import { BreachRegisterEntryDto } from './dto/breach.dto';
import { IncidentEntity } from './incident.entity';
import { INCIDENT_CLOCK } from './incident-clock';
import { INCIDENT_TYPE_LABELS_IT } from './incident-lifecycle';
import { mapBreach } from './incident-views';
import { IncidentsRepository } from './incidents.repository';

const EXPORT_PAGE = 500;

export interface RegisterFile {
  fileName: string;
  mediaType: string;
  content: Buffer;
}

/** A spreadsheet must not run a cell as a formula (CSV injection). */
const cell = (v: string | number | null | undefined): string => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
};
const when = (iso: string | null | undefined): string => (iso ? italianDateTime(new Date(iso)) : '');

/** The art. 33(5) register: every possible breach, notified or not, with its facts and decisions. */
@Injectable()
export class BreachRegisterService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: IncidentsRepository,
    private readonly audit: AuditService,
    @Inject(INCIDENT_CLOCK) private readonly clock: Clock,
  ) {}

  async list(organizationId: string, query: PageQueryDto): Promise<Page<BreachRegisterEntryDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor);
    return this.uow.read(async (em) => {
      const rows = await this.repository.breachPage(
        em,
        organizationId,
        cursor ? { at: new Date(String(cursor.k)), id: cursor.id } : null,
        limit + 1,
      );
      const page = toPage(
        rows,
        limit,
        (b) => ({ k: b.awareAt.toISOString(), id: b.id }),
        (b) => b,
      );
      return { items: await this.entries(em, organizationId, page.items), nextCursor: page.nextCursor };
    });
  }

  /** The whole register as CSV (Italian headers), for the Comune's records and the DPO. */
  async exportCsv(access: OrgAccess): Promise<RegisterFile> {
    const entries: BreachRegisterEntryDto[] = [];
    const org = await this.uow.read(async (em) => {
      let after: { at: Date; id: string } | null = null;
      for (;;) {
        const rows: BreachRecordEntity[] = await this.repository.breachPage(em, access.organizationId, after, EXPORT_PAGE);
        entries.push(...(await this.entries(em, access.organizationId, rows)));
        const last = rows[rows.length - 1];
        if (rows.length < EXPORT_PAGE || !last) break;
        after = { at: last.awareAt, id: last.id };
      }
      return this.repository.organization(em, access.organizationId);
    });
    const header = [
      'incidente',
      'titolo',
      'tipo',
      'conoscenza_acquisita',
      'scadenza_72_ore',
      'natura',
      'categorie_dati',
      'interessati_circa',
      'registrazioni_circa',
      'conseguenze',
      'misure',
      'valutazione',
      'rischio',
      'motivazione',
      'valutata_il',
      'valutata_da',
      'notifica_preliminare',
      'rif_preliminare',
      'notifica_completa',
      'rif_completa',
      'motivi_ritardo',
      'interessati',
      'interessati_informati_il',
      'nota_interessati',
      'contatto_rpd',
    ];
    const body = entries.map((e) =>
      [
        e.incidentNumber,
        e.incidentTitle,
        e.incidentTypeLabel,
        when(e.awareAt),
        when(e.deadlineAt),
        e.nature,
        e.dataCategories.join(' | '),
        e.subjectsApprox,
        e.recordsApprox,
        e.consequences,
        e.measures,
        e.assessmentLabel ?? 'da valutare',
        e.riskLabel,
        e.assessmentReasons,
        when(e.assessedAt),
        e.assessedBy,
        when(e.preliminaryNotification?.notifiedAt),
        e.preliminaryNotification?.reference,
        when(e.completeNotification?.notifiedAt),
        e.completeNotification?.reference,
        e.delayReasons,
        e.dataSubjects?.decisionLabel,
        when(e.dataSubjects?.informedAt),
        e.dataSubjects?.note,
        e.dpoContact,
      ].map(cell),
    );
    await this.uow.run((tx) =>
      this.audit.append(tx, {
        organizationId: access.organizationId,
        actor: access.actor,
        action: 'breach_register.exported',
        entity: 'breach_register',
        entityId: null,
        data: { entries: entries.length },
      }),
    );
    const stamp = italianDateTime(this.clock.now()).replace(/^(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d)$/, '$3$2$1-$4$5');
    return {
      fileName: `registro-violazioni-${org?.istatCode ?? 'comune'}-${stamp}.csv`,
      mediaType: 'text/csv; charset=utf-8',
      content: Buffer.from(stringify([header, ...body], { record_delimiter: '\r\n' }), 'utf8'),
    };
  }

  private async entries(
    em: Parameters<IncidentsRepository['findIncidentsByIds']>[0],
    organizationId: string,
    rows: BreachRecordEntity[],
  ): Promise<BreachRegisterEntryDto[]> {
    const incidents = new Map<string, IncidentEntity>(
      (
        await this.repository.findIncidentsByIds(
          em,
          organizationId,
          rows.map((b) => b.incidentId),
        )
      ).map((i) => [i.id, i]),
    );
    const now = this.clock.now();
    return rows.map((b) => {
      const incident = incidents.get(b.incidentId);
      return {
        ...mapBreach(b, now),
        incidentId: b.incidentId,
        incidentNumber: incident?.number ?? '',
        incidentTitle: incident?.title ?? '',
        incidentTypeLabel: incident ? INCIDENT_TYPE_LABELS_IT[incident.type] : '',
      };
    });
  }
}
