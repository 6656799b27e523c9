import { Injectable } from '@nestjs/common';
import { Actor } from '../audit/actor';
import { addDays } from '../common/time';
import { Tx } from '../database/unit-of-work.service';
import { holderName } from '../holders/holder.entity';
import { TaskTrigger, TaskType } from '../tasks/task.entity';
import { TasksService } from '../tasks/tasks.service';
import { NOMINATION_ROLE_SHORT_IT, actLabel } from './nomination-labels';
import { CONSOLE_ADMIN_ROLES } from './nomination-lifecycle';
import { NominationEntity } from './nomination.entity';
import { NominationsRepository } from './nominations.repository';

/** The task a nomination's end leaves for the ALS; not yet in the inventory's TASK_TYPES (see docs). */
export const PRIVILEGE_REMOVAL_TASK_TYPE: TaskType = 'console_privilege_removal';
export const NOMINATION_TASK_TRIGGER: TaskTrigger = 'nomination';
/** "Promptly" (Circolare DAIT 20/2022), made a deadline. */
export const PRIVILEGE_REMOVAL_DAYS = 7;

/**
 * When an ALS, deputy ALS or ALP nomination ends, the ALS in force must remove the former holder's
 * administrative privileges in the ANPR console: a task opened through the inventory's
 * TasksService, in the caller's transaction.
 */
@Injectable()
export class PrivilegeRemovalTasks {
  constructor(
    private readonly repository: NominationsRepository,
    private readonly tasks: TasksService,
  ) {}

  /** `how` is the Italian participle of the end: "revocata", "sostituita", "scaduta". */
  async open(tx: Tx, actor: Actor, ended: NominationEntity, how: string, today: string): Promise<void> {
    if (!CONSOLE_ADMIN_ROLES.includes(ended.role)) return;
    const [als] = (await this.repository.findActive(tx.em, ended.organizationId, ['als'])).filter((n) => n.id !== ended.id);
    const holders = await this.repository.findHolders(tx.em, ended.organizationId, [ended.holderId, ...(als ? [als.holderId] : [])]);
    const name = (id: string) => {
      const h = holders.find((x) => x.id === id);
      return h ? holderName(h) : '(persona non trovata)';
    };
    const assignee = als ? `${name(als.holderId)}, ALS in carica` : "l'ALS che sarà nominato (il ruolo è vacante)";
    await this.tasks.openInTx(tx, actor, {
      organizationId: ended.organizationId,
      // Not yet in the inventory's TASK_TYPES / TASK_TRIGGERS lists: see docs/nominations.md.
      type: PRIVILEGE_REMOVAL_TASK_TYPE,
      trigger: NOMINATION_TASK_TRIGGER,
      deviceId: null,
      holderId: ended.holderId,
      dueOn: addDays(today, PRIVILEGE_REMOVAL_DAYS),
      assigneeRole: 'security_admin',
      reason:
        `Rimuovere dalla consolle di sicurezza ANPR i privilegi di amministratore (${NOMINATION_ROLE_SHORT_IT[ended.role]}) di ` +
        `${name(ended.holderId)}: nomina ${how} (${actLabel(ended)}). Incaricato: ${assignee}.`,
    });
  }
}
