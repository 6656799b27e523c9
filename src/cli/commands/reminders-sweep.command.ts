import { Command, Option } from 'nest-commander';
import { ReminderDispatcher } from '../../reminders/reminder-dispatcher.service';
import { ReminderSweepService } from '../../reminders/reminder-sweep.service';
import { CliSession } from '../cli-session';
import { CommandResult, CommonOptions, CustodeCommand } from '../custode-command';
import { OrganizationRefResolver } from '../organization-ref';

interface SweepOptions extends CommonOptions {
  org?: string;
}

/** How long the command waits for Redis to take the due rows before leaving them to a worker. */
const DISPATCH_WAIT_MS = 10_000;

@Command({
  name: 'sweep',
  description:
    'Run the reminder sweep now: one Comune (--org, looking back REMINDER_CATCH_UP_DAYS) or every Comune (the daily run); then queue what is due',
})
export class RemindersSweepCommand extends CustodeCommand<SweepOptions> {
  constructor(
    session: CliSession,
    private readonly sweeper: ReminderSweepService,
    private readonly dispatcher: ReminderDispatcher,
    private readonly orgs: OrganizationRefResolver,
  ) {
    super(session);
  }

  @Option({ flags: '--org <istat-or-id>', description: 'only this Comune (ISTAT code or id)' })
  parseOrg(value: string): string {
    return value;
  }

  protected async execute(_params: string[], options: SweepOptions): Promise<CommandResult> {
    let created: number;
    let scope: string;
    if (options.org !== undefined) {
      const org = await this.orgs.resolve(options.org);
      const result = await this.sweeper.sweepOrganization(this.session.actor, org.id, 'full');
      created = result.created;
      scope = `${org.name} (ISTAT ${org.istatCode}), steps due since ${result.since}, ${result.devicesExamined} devices examined`;
    } else {
      const result = await this.sweeper.sweepAll(this.session.actor);
      created = result.created;
      scope = `${result.organizations} Comuni`;
    }
    // The rows are already safe in the database; queueing them is a courtesy a worker also does.
    const queued = await Promise.race([
      this.dispatcher.dispatchDue(),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), DISPATCH_WAIT_MS).unref()),
    ]).catch(() => null);
    const dispatch =
      queued === null ? 'Redis did not answer: the reminders wait in the database for a worker' : `${queued} queued for delivery`;
    return { json: { created, queued }, text: `Sweep of ${scope}: ${created} reminders created; ${dispatch}` };
  }
}
