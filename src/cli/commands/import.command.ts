import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command, Option } from 'nest-commander';
import { DomainError } from '../../common/errors/domain-error';
import { CertificateImportService, CertificateKind } from '../../devices/certificates/certificate-import.service';
import { WorkstationsService } from '../../workstations/workstations.service';
import { UsageError } from '../cli-errors';
import { CliSession, ExitCode } from '../cli-session';
import { CommandResult, CommonOptions, CustodeCommand } from '../custode-command';
import { OrganizationRefResolver } from '../organization-ref';

interface ImportOptions extends CommonOptions {
  org?: string;
  kind?: string;
  workstation?: string;
  passwordEnv?: string;
  passwordMap?: string;
}

interface FileOutcome {
  file: string;
  imported: number;
  duplicates: number;
  warnings: { code: string; message: string }[];
  errors: { code: string; message: string }[];
}

/** Files of a directory (not recursive) in name order; a file or ZIP is itself. */
function filesOf(path: string): string[] {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`"${path}" does not exist`);
  if (!stat.isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => !name.startsWith('.'))
    .map((name) => join(path, name))
    .filter((p) => statSync(p).isFile())
    .sort();
}

@Command({
  name: 'import',
  arguments: '<path>',
  description: 'Import workstation/server certificates from a file (PEM, DER, .p12/.pfx), a ZIP ("download all") or a directory of them',
})
export class ImportCommand extends CustodeCommand<ImportOptions> {
  protected override readonly acceptsArguments = true;

  constructor(
    session: CliSession,
    private readonly orgs: OrganizationRefResolver,
    private readonly importer: CertificateImportService,
    private readonly workstations: WorkstationsService,
  ) {
    super(session);
  }

  @Option({ flags: '--org <ref>', description: 'ISTAT code or id of the Comune' })
  parseOrg(value: string): string {
    return value;
  }

  @Option({ flags: '--kind <kind>', description: 'workstation_certificate (default) or server_certificate' })
  parseKind(value: string): string {
    return value;
  }

  @Option({ flags: '--workstation <code>', description: 'assign to the workstation with this code (single certificate only)' })
  parseWorkstation(value: string): string {
    return value;
  }

  @Option({
    flags: '--password-env <VAR>',
    description: 'name of the environment variable holding the PKCS#12 password (never pass it on the command line)',
  })
  parsePasswordEnv(value: string): string {
    return value;
  }

  @Option({ flags: '--password-map <file.json>', description: "JSON file: file name -> PKCS#12 password (the console's password list)" })
  parsePasswordMap(value: string): string {
    return value;
  }

  protected async execute(params: string[], options: ImportOptions): Promise<CommandResult> {
    const path = params[0];
    if (!path) throw new UsageError('give a file, directory or ZIP to import');
    if (!options.org) throw new UsageError('--org is required');
    const kind = (options.kind ?? 'workstation_certificate') as CertificateKind;
    if (!['workstation_certificate', 'server_certificate'].includes(kind))
      throw new UsageError('--kind must be workstation_certificate or server_certificate');
    const org = await this.orgs.resolve(options.org);
    const password = options.passwordEnv ? this.session.env[options.passwordEnv] : undefined;
    if (options.passwordEnv && password === undefined) throw new UsageError(`environment variable ${options.passwordEnv} is not set`);
    const passwordMap = options.passwordMap ? this.readPasswordMap(options.passwordMap) : undefined;
    const workstationId = options.workstation ? await this.workstationId(org.id, options.workstation) : undefined;

    const files = filesOf(path);
    const bar =
      !options.json && process.stderr.isTTY && files.length > 1
        ? new SingleBar({ format: 'Importing [{bar}] {value}/{total} {file}', stream: process.stderr })
        : null;
    bar?.start(files.length, 0, { file: '' });
    const outcomes: FileOutcome[] = [];
    for (const file of files) {
      bar?.increment(0, { file: basename(file) });
      outcomes.push(await this.importOne(file, { organizationId: org.id, kind, password, passwordMap, workstationId }));
      bar?.increment(1);
    }
    bar?.stop();

    const total = (k: 'imported' | 'duplicates') => outcomes.reduce((n, o) => n + o[k], 0);
    const summary = {
      organization: { id: org.id, istatCode: org.istatCode, name: org.name },
      files: outcomes.length,
      imported: total('imported'),
      duplicates: total('duplicates'),
      warnings: outcomes.reduce((n, o) => n + o.warnings.length, 0),
      errors: outcomes.reduce((n, o) => n + o.errors.length, 0),
      byFile: outcomes,
    };
    const lines = [
      `${org.name} (ISTAT ${org.istatCode}): ${summary.files} file(s), ${summary.imported} imported, ${summary.duplicates} already present, ${summary.warnings} warning(s), ${summary.errors} error(s)`,
      ...outcomes.flatMap((o) => [
        ...o.errors.map((e) => `  error    ${o.file}: ${e.message} (${e.code})`),
        ...o.warnings.map((w) => `  warning  ${o.file}: ${w.message} (${w.code})`),
      ]),
    ];
    // Some files could not be read: the input needs fixing (exit 2), what could be read is stored.
    return { text: lines.join('\n'), json: summary, exitCode: summary.errors > 0 ? ExitCode.USAGE : ExitCode.OK };
  }

  private async importOne(
    file: string,
    req: {
      organizationId: string;
      kind: CertificateKind;
      password: string | undefined;
      passwordMap: Record<string, string> | undefined;
      workstationId: string | undefined;
    },
  ): Promise<FileOutcome> {
    const outcome: FileOutcome = { file, imported: 0, duplicates: 0, warnings: [], errors: [] };
    try {
      const name = basename(file);
      const result = await this.importer.import({
        ...req,
        actor: this.session.actor,
        role: 'security_admin',
        data: readFileSync(file),
        fileName: name,
        password: req.passwordMap?.[name] ?? req.password,
        custodianHolderId: undefined,
      });
      outcome.imported = result.imported;
      outcome.duplicates = result.duplicates;
      outcome.warnings = result.warnings
        .filter((w) => w.code !== 'DUPLICATE')
        .map((w) => ({ code: w.code, message: `${w.source}: ${w.message}` }));
      outcome.errors = result.errors.map((e) => ({ code: e.code, message: `${e.source}: ${e.message}` }));
    } catch (error) {
      if (error instanceof DomainError && error.code === 'CERTIFICATE_DUPLICATE') outcome.duplicates = 1;
      else if (error instanceof DomainError && error.status < 500) outcome.errors.push({ code: error.code, message: error.message });
      else throw error;
    }
    return outcome;
  }

  private readPasswordMap(file: string): Record<string, string> {
    let map: unknown;
    try {
      map = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      map = null;
    }
    if (typeof map !== 'object' || map === null || Array.isArray(map) || !Object.values(map).every((v) => typeof v === 'string')) {
      throw new UsageError('--password-map must be a JSON object of file name -> password');
    }
    return map as Record<string, string>;
  }

  private async workstationId(organizationId: string, code: string): Promise<string> {
    const page = await this.workstations.list(organizationId, { q: code, limit: 200 });
    const match = page.items.find((w) => w.code === code);
    if (!match) throw new UsageError(`no workstation with code "${code}" in this Comune`);
    return match.id;
  }
}
