import { Command } from 'nest-commander';
import { BackupService } from '../../database/backup.service';
import { UsageError } from '../cli-errors';
import { CliSession } from '../cli-session';
import { CommandResult, CommonOptions, CustodeCommand } from '../custode-command';

@Command({
  name: 'backup',
  arguments: '<file>',
  description: 'Write a consistent copy of the SQLite database to <file> while the service keeps running',
})
export class BackupCommand extends CustodeCommand<CommonOptions> {
  protected override readonly acceptsArguments = true;

  constructor(
    session: CliSession,
    private readonly backups: BackupService,
  ) {
    super(session);
  }

  protected async execute(params: string[]): Promise<CommandResult> {
    const [file, extra] = params;
    if (!file || extra !== undefined) throw new UsageError('give exactly one target file');
    const result = await this.backups.backup(file);
    return {
      json: result,
      text: `Backup written: ${result.file} (${(result.bytes / 1024).toFixed(1)} KiB in ${result.milliseconds} ms)\nVerify a restored copy with: npm run cli -- audit:verify --all`,
    };
  }
}
