import { Command, Option } from 'nest-commander';
import { CreateOrganizationDto } from '../../organizations/dto/organization.dto';
import { OrganizationsService } from '../../organizations/organizations.service';
import { requireOptions, validInput } from '../cli-input';
import { CliSession } from '../cli-session';
import { CommandResult, CommonOptions, CustodeCommand } from '../custode-command';

interface OrgCreateOptions extends CommonOptions {
  istat?: string;
  name?: string;
  province?: string;
}

@Command({ name: 'org:create', description: 'Create an organization (Comune) and print its id' })
export class OrgCreateCommand extends CustodeCommand<OrgCreateOptions> {
  constructor(
    session: CliSession,
    private readonly organizations: OrganizationsService,
  ) {
    super(session);
  }

  @Option({ flags: '--istat <code>', description: 'ISTAT code of the Comune (6 digits), e.g. 015146' })
  parseIstat(value: string): string {
    return value;
  }

  @Option({ flags: '--name <name>', description: 'name, e.g. "Comune di Roccacannuccia"' })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '--province <XX>', description: 'province abbreviation (sigla), e.g. RM' })
  parseProvince(value: string): string {
    return value;
  }

  protected async execute(_params: string[], options: OrgCreateOptions): Promise<CommandResult> {
    requireOptions(options, { istat: '--istat', name: '--name' });
    const dto = await validInput(
      CreateOrganizationDto,
      { istatCode: options.istat, name: options.name, province: options.province },
      { istatCode: '--istat', name: '--name', province: '--province' },
    );
    const org = await this.organizations.create(this.session.actor, dto);
    const where = [`ISTAT ${org.istatCode}`, ...(org.province ? [org.province] : [])].join(', ');
    return { json: org, text: `Organization created: ${org.name} (${where})\nid: ${org.id}` };
  }
}
