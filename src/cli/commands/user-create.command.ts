import { randomBytes } from 'node:crypto';
import { Command, Option } from 'nest-commander';
import { CreateUserDto } from '../../auth/dto/user.dto';
import { ORG_ROLES, OrgRole, ROLE_LABELS_IT } from '../../auth/roles';
import { UsersService } from '../../auth/users.service';
import { UsageError } from '../cli-errors';
import { requireOptions, validInput } from '../cli-input';
import { CliSession } from '../cli-session';
import { CommandResult, CommonOptions, CustodeCommand } from '../custode-command';
import { OrganizationRefResolver } from '../organization-ref';

interface UserCreateOptions extends CommonOptions {
  email?: string;
  name?: string;
  org?: string;
  role?: string;
  superadmin?: boolean;
  password?: string;
}

interface CreatedUser {
  id: string;
  email: string;
  displayName: string;
  isSuperadmin: boolean;
  mustChangePassword: boolean;
  membership: { organizationId: string; istatCode: string; organizationName: string; role: OrgRole } | null;
  /** Present only when the CLI generated the password: shown this once, never stored in clear. */
  oneTimePassword?: string;
}

/** The user changes the password at first sign-in in every case: someone else chose it. */
@Command({
  name: 'user:create',
  description: 'Create a user: a member of a Comune (--org, --role) or a --superadmin; prints a one-time password unless --password',
})
export class UserCreateCommand extends CustodeCommand<UserCreateOptions> {
  constructor(
    session: CliSession,
    private readonly users: UsersService,
    private readonly orgs: OrganizationRefResolver,
  ) {
    super(session);
  }

  @Option({ flags: '--email <email>', description: 'e-mail address, used to sign in' })
  parseEmail(value: string): string {
    return value;
  }

  @Option({ flags: '--name <display-name>', description: 'display name, e.g. "Anna Sicuri"' })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '--org <istat-or-id>', description: 'make the user a member of this Comune (ISTAT code or id); needs --role' })
  parseOrg(value: string): string {
    return value;
  }

  @Option({ flags: '--role <role>', description: `role in the Comune: ${ORG_ROLES.join(', ')}` })
  parseRole(value: string): string {
    return value;
  }

  @Option({ flags: '--superadmin', description: 'platform administrator (creates Comuni); not combined with --org' })
  parseSuperadmin(): boolean {
    return true;
  }

  @Option({ flags: '--password <password>', description: 'initial password (visible in the shell history: prefer the generated one)' })
  parsePassword(value: string): string {
    return value;
  }

  protected async execute(_params: string[], options: UserCreateOptions): Promise<CommandResult> {
    requireOptions(options, { email: '--email', name: '--name' });
    if ((options.org === undefined) !== (options.role === undefined)) throw new UsageError('--org and --role go together');
    if (options.superadmin && options.org !== undefined) {
      throw new UsageError('--superadmin cannot be combined with --org: create the superadmin, then use member:add');
    }
    const generated = options.password === undefined ? randomBytes(12).toString('base64url') : null;
    const dto = await validInput(
      CreateUserDto,
      { email: options.email, displayName: options.name, role: options.role, password: options.password ?? generated },
      { email: '--email', displayName: '--name', role: '--role', password: '--password' },
      { skipMissing: true },
    );

    let created: CreatedUser;
    if (options.org !== undefined) {
      const org = await this.orgs.resolve(options.org);
      const member = await this.users.createMember(this.session.actor, org.id, dto);
      created = {
        id: member.userId,
        email: member.email,
        displayName: member.displayName,
        isSuperadmin: false,
        mustChangePassword: member.mustChangePassword,
        membership: { organizationId: org.id, istatCode: org.istatCode, organizationName: org.name, role: member.role },
      };
    } else {
      // A password someone else chose is changed at first sign-in, as for users created over the API.
      const user = await this.users.createUser(this.session.actor, {
        email: dto.email,
        displayName: dto.displayName,
        password: dto.password,
        isSuperadmin: options.superadmin === true,
        mustChangePassword: true,
      });
      created = {
        id: user.id,
        email: user.email,
        displayName: user.displayName,
        isSuperadmin: user.isSuperadmin,
        mustChangePassword: user.mustChangePassword,
        membership: null,
      };
    }
    if (generated !== null) created.oneTimePassword = generated;
    return { json: created, text: describe(created) };
  }
}

function describe(user: CreatedUser): string {
  const lines = [`User created: ${user.email} (${user.displayName})`, `id: ${user.id}`];
  if (user.isSuperadmin) lines.push('platform superadmin: yes');
  if (user.membership) {
    const m = user.membership;
    lines.push(`member of ${m.organizationName} (ISTAT ${m.istatCode}) as ${m.role}: ${ROLE_LABELS_IT[m.role]}`);
  }
  if (user.oneTimePassword) lines.push(`one-time password: ${user.oneTimePassword}   (shown only now)`);
  if (user.mustChangePassword) lines.push('The password must be changed at first sign-in.');
  return lines.join('\n');
}
