import { Command, Option } from 'nest-commander';
import { AddMemberDto } from '../../auth/dto/user.dto';
import { ORG_ROLES } from '../../auth/roles';
import { UsersService } from '../../auth/users.service';
import { requireOptions, validInput } from '../cli-input';
import { CliSession } from '../cli-session';
import { CommandResult, CommonOptions, CustodeCommand } from '../custode-command';
import { OrganizationRefResolver } from '../organization-ref';

interface MemberAddOptions extends CommonOptions {
  email?: string;
  org?: string;
  role?: string;
}

@Command({ name: 'member:add', description: 'Make an existing user a member of a Comune with a role' })
export class MemberAddCommand extends CustodeCommand<MemberAddOptions> {
  constructor(
    session: CliSession,
    private readonly users: UsersService,
    private readonly orgs: OrganizationRefResolver,
  ) {
    super(session);
  }

  @Option({ flags: '--email <email>', description: 'e-mail of an existing user' })
  parseEmail(value: string): string {
    return value;
  }

  @Option({ flags: '--org <istat-or-id>', description: 'the Comune: ISTAT code or organization id' })
  parseOrg(value: string): string {
    return value;
  }

  @Option({ flags: '--role <role>', description: `role in the Comune: ${ORG_ROLES.join(', ')}` })
  parseRole(value: string): string {
    return value;
  }

  protected async execute(_params: string[], options: MemberAddOptions): Promise<CommandResult> {
    requireOptions(options, { email: '--email', org: '--org', role: '--role' });
    const dto = await validInput(AddMemberDto, { email: options.email, role: options.role }, { email: '--email', role: '--role' });
    const org = await this.orgs.resolve(options.org as string);
    const member = await this.users.addMember(this.session.actor, org.id, dto);
    return {
      json: { ...member, organizationId: org.id, istatCode: org.istatCode },
      text: `${member.email} is now a member of ${org.name} (ISTAT ${org.istatCode}) as ${member.role}: ${member.roleLabel}`,
    };
  }
}
