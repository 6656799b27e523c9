import { Command, Option } from 'nest-commander';
import { AuditService, PLATFORM_CHAIN } from '../../audit/audit.service';
import { UsageError } from '../cli-errors';
import { CliSession, ExitCode } from '../cli-session';
import { CommandResult, CommonOptions, CustodeCommand } from '../custode-command';
import { OrganizationRefResolver } from '../organization-ref';

interface AuditVerifyOptions extends CommonOptions {
  org?: string;
  all?: boolean;
}

export interface ChainReport {
  /** `platform`, or the organization id */
  chain: string;
  istatCode: string | null;
  name: string | null;
  valid: boolean;
  checked: number;
  firstBrokenSeq: number | null;
}

@Command({
  name: 'audit:verify',
  description: 'Recompute the audit hash chains and name the first broken row of each; exit code 1 when any chain is broken',
})
export class AuditVerifyCommand extends CustodeCommand<AuditVerifyOptions> {
  constructor(
    session: CliSession,
    private readonly audit: AuditService,
    private readonly orgs: OrganizationRefResolver,
  ) {
    super(session);
  }

  @Option({ flags: '--org <istat-or-id>', description: "verify one Comune's chain (ISTAT code or id)" })
  parseOrg(value: string): string {
    return value;
  }

  @Option({ flags: '--all', description: 'verify the platform chain and every Comune (the default)' })
  parseAll(): boolean {
    return true;
  }

  protected async execute(_params: string[], options: AuditVerifyOptions): Promise<CommandResult> {
    if (options.org !== undefined && options.all) throw new UsageError('give either --org or --all, not both');
    const reports: ChainReport[] = [];
    if (options.org !== undefined) {
      const org = await this.orgs.resolve(options.org);
      reports.push({ chain: org.id, istatCode: org.istatCode, name: org.name, ...(await this.check(org.id)) });
    } else {
      // Every Comune is checked, not only the chains that have a head row: a chain whose head row
      // was deleted must be reported broken, not skipped.
      const names = new Map<string, { istatCode: string; name: string }>();
      for await (const org of this.orgs.all()) names.set(org.id, { istatCode: org.istatCode, name: org.name });
      const chains = new Set([PLATFORM_CHAIN, ...(await this.audit.chains()), ...names.keys()]);
      for (const chain of [...chains].sort(platformFirst)) {
        const org = names.get(chain);
        reports.push({
          chain,
          istatCode: org?.istatCode ?? null,
          name: org?.name ?? null,
          ...(await this.check(chain === PLATFORM_CHAIN ? null : chain)),
        });
      }
    }
    const valid = reports.every((r) => r.valid);
    return { json: { valid, chains: reports }, text: table(reports), exitCode: valid ? ExitCode.OK : ExitCode.CHECK_FAILED };
  }

  private async check(organizationId: string | null): Promise<Pick<ChainReport, 'valid' | 'checked' | 'firstBrokenSeq'>> {
    const { valid, checked, firstBrokenSeq } = await this.audit.verify(organizationId);
    return { valid, checked, firstBrokenSeq };
  }
}

const platformFirst = (a: string, b: string): number => (a === PLATFORM_CHAIN ? -1 : b === PLATFORM_CHAIN ? 1 : a.localeCompare(b));

function table(reports: ChainReport[]): string {
  const rows = [
    ['CHAIN', 'COMUNE', 'VALID', 'CHECKED', 'FIRST BROKEN SEQ'],
    ...reports.map((r) => [
      r.chain,
      r.istatCode ? `${r.istatCode} ${r.name ?? ''}` : r.chain === PLATFORM_CHAIN ? '(platform)' : '(unknown)',
      r.valid ? 'valid' : 'BROKEN',
      String(r.checked),
      r.firstBrokenSeq === null ? '-' : String(r.firstBrokenSeq),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
  const broken = reports.filter((r) => !r.valid);
  lines.push(
    broken.length === 0
      ? `${reports.length} chain${reports.length === 1 ? '' : 's'} verified: all valid`
      : `${broken.length} of ${reports.length} chain${reports.length === 1 ? '' : 's'} BROKEN: ` +
          broken.map((r) => `${r.istatCode ?? r.chain} from seq ${r.firstBrokenSeq}`).join(', '),
  );
  return lines.join('\n');
}
