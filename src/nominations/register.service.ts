import { Inject, Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { AuditService } from '../audit/audit.service';
import { OrgAccess } from '../auth/principal';
import { Clock } from '../common/time';
import { UnitOfWork } from '../database/unit-of-work.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { NominationDto } from './dto/nomination.dto';
import { NOMINATION_CLOCK } from './nomination-clock';
import { italianDate } from './nomination-labels';
import { NominationViews } from './nomination-views';
import { NominationsRepository } from './nominations.repository';
import { NominationsService } from './nominations.service';
import { registerSections, renderRegisterPdf, romeDateTime } from './register-pdf';

export interface RegisterFile {
  fileName: string;
  mediaType: string;
  content: Buffer;
}

/** The register of nominations, as a PDF for the Comune's records and as CSV. */
@Injectable()
export class RegisterService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: NominationsRepository,
    private readonly views: NominationViews,
    private readonly nominations: NominationsService,
    private readonly organizations: OrganizationsService,
    private readonly audit: AuditService,
    @Inject(NOMINATION_CLOCK) private readonly clock: Clock,
  ) {}

  async export(access: OrgAccess, format: 'pdf' | 'csv'): Promise<RegisterFile> {
    const organizationId = access.organizationId;
    await this.nominations.expireDue(organizationId);
    const comune = await this.organizations.get(organizationId);
    const nominations = await this.uow.read(async (em) =>
      this.views.build(em, organizationId, await this.repository.findAll(em, organizationId)),
    );
    const producedAt = this.clock.now();
    const stamp = romeDateTime(producedAt).replace(/^(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d).*$/, '$3$2$1-$4$5');
    const base = `registro-nomine-${comune.istatCode}-${stamp}`;
    if (format === 'csv') {
      return { fileName: `${base}.csv`, mediaType: 'text/csv; charset=utf-8', content: Buffer.from(registerCsv(nominations), 'utf8') };
    }
    // The chain is verified after the nominations were read: its head covers every change shown.
    const audit = await this.audit.verify(organizationId);
    const content = await renderRegisterPdf({
      comune: { name: comune.name, istatCode: comune.istatCode, province: comune.province },
      producedAt,
      producedBy: access.actor.label,
      nominations,
      audit,
    });
    return { fileName: `${base}.pdf`, mediaType: 'application/pdf', content };
  }
}

const CSV_COLUMNS: [string, (n: NominationDto) => string][] = [
  ['id', (n) => n.id],
  ['ruolo', (n) => n.roleLabel],
  ['stato', (n) => n.statusLabel],
  ['in_vigore', (n) => (n.current ? 'sì' : 'no')],
  ['nominato', (n) => n.nominee.name],
  ['nominato_id', (n) => n.nominee.id],
  ['tipo_atto', (n) => n.actTypeLabel],
  ['numero_atto', (n) => n.actNumber],
  ['data_atto', (n) => italianDate(n.actDate)],
  ['in_vigore_dal', (n) => italianDate(n.effectiveFrom)],
  ['in_vigore_al', (n) => italianDate(n.effectiveUntil)],
  ['firmato_da', (n) => n.signedBy],
  ['registrata_in_consolle_il', (n) => italianDate(n.registeredOn)],
  ['ambito', (n) => (n.scope ? [...n.scope.certificates, ...n.scope.workstations].map((s) => s.name).join(' | ') : '')],
  ['terminata_il', (n) => (n.endedAt ? romeDateTime(new Date(n.endedAt)) : '')],
  ['motivo_termine', (n) => n.endReason ?? ''],
  ['sostituita_da', (n) => n.supersededBy?.nomineeName ?? ''],
  ['atto_file', (n) => n.act?.fileName ?? ''],
  ['atto_sha256', (n) => n.act?.sha256 ?? ''],
];

/** Cells a spreadsheet would run as a formula are prefixed with a quote (CSV injection). */
const neutral = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

export function registerCsv(nominations: NominationDto[]): string {
  const { current, pending, history } = registerSections(nominations);
  return stringify(
    [...current, ...pending, ...history].map((n) => CSV_COLUMNS.map(([, get]) => neutral(get(n)))),
    { header: true, columns: CSV_COLUMNS.map(([name]) => name), record_delimiter: 'windows' },
  );
}
