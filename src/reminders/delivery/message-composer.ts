import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { daysBetween, romeDate } from '../../common/time';
import { KIND_LABELS_IT } from '../../devices/lifecycle';
import { holderName } from '../../holders/holder.entity';
import { TASK_TYPE_LABELS_IT } from '../../tasks/dto/task.dto';
import { ReminderEntity } from '../entities/reminder.entity';
import { DPO_MAILBOX, MAYOR_MAILBOX } from '../reminder-planner';
import { ReminderSubjects } from '../reminder-subjects';
import { RemindersRepository } from '../reminders.repository';
import { PermanentDeliveryError } from './delivery-errors';
import { OutgoingMessage } from './message';

const ANTI_PHISHING =
  'Questo messaggio non contiene link né allegati. Custode non ti chiederà mai password, PIN o PUK, ' +
  'né di installare programmi o di consentire una connessione remota: se qualcuno te lo chiede, per telefono ' +
  "o per e-mail, non farlo e avvisa l'Amministratore locale della sicurezza (Circolare DAIT 74/2025).";

/** Italian text of a reminder, and where it goes; read from the database at delivery time. */
@Injectable()
export class MessageComposer {
  constructor(
    private readonly repository: RemindersRepository,
    private readonly subjects: ReminderSubjects,
  ) {}

  async compose(em: EntityManager, row: ReminderEntity): Promise<OutgoingMessage> {
    const org = await this.repository.organization(em, row.organizationId);
    if (!org) throw new PermanentDeliveryError('organization gone');
    const { to, toName, endpointId } = await this.address(em, row, org.settings.mayorOfficeEmail ?? null, org.settings.dpoEmail ?? null);
    const content = await this.content(em, row);
    const greeting = toName ? `Gentile ${toName},` : 'Gentile collega,';
    const lines = [
      greeting,
      '',
      ...content.lines,
      ...(row.escalation
        ? [
            '',
            "Questo avviso è inviato anche all'Ufficio del Sindaco perché la scadenza è vicina o superata e non risulta ancora presa in carico.",
          ]
        : []),
      '',
      `Cosa fare: apri Custode come di consueto, dal tuo solito accesso e non da questo messaggio, e cerca il codice di riferimento ${row.reference}.`,
      '',
      ANTI_PHISHING,
      '',
      `${org.name} - Custode`,
    ];
    return {
      reminderId: row.id,
      reference: row.reference,
      channel: row.channel,
      to,
      toName,
      subject: `${row.escalation ? '[Ufficio del Sindaco] ' : ''}${content.subject} (rif. ${row.reference})`,
      text: lines.join('\n'),
      html: `<!doctype html><html lang="it"><body>${lines
        .join('\n')
        .split('\n\n')
        .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
        .join('')}</body></html>`,
      event: {
        id: row.id,
        reference: row.reference,
        type: content.webhookType ?? (row.subjectType === 'device' ? 'reminder.due' : row.stepDays < 0 ? 'task.overdue' : 'task.due'),
        organizationId: row.organizationId,
        subject: { type: row.subjectType, id: row.subjectId },
        deviceId: row.deviceId,
        expiresAt: row.expiresAt.toISOString(),
        stepDays: row.stepDays,
        dueOn: row.dueOn,
        escalation: row.escalation,
      },
      endpointId,
    };
  }

  private async content(em: EntityManager, row: ReminderEntity): Promise<{ subject: string; lines: string[]; webhookType?: string }> {
    if (row.subjectType === 'device') return this.deviceContent(em, row);
    if (row.subjectType === 'task') return this.taskContent(em, row);
    const owner = this.subjects.get(row.subjectType);
    if (!owner) throw new PermanentDeliveryError(`no module handles reminders about ${row.subjectType}`);
    return owner.compose(em, row);
  }

  private async address(
    em: EntityManager,
    row: ReminderEntity,
    mayorMailbox: string | null,
    dpoMailbox: string | null,
  ): Promise<{ to: string; toName: string | null; endpointId: string | null }> {
    const [kind, id] = splitKey(row.recipient);
    if (row.channel === 'webhook') {
      const endpoint = kind === 'webhook' ? await this.repository.endpoint(em, row.organizationId, id) : null;
      if (!endpoint || endpoint.revokedAt) throw new PermanentDeliveryError('webhook endpoint revoked or missing');
      return { to: endpoint.url, toName: null, endpointId: endpoint.id };
    }
    if (row.recipient === DPO_MAILBOX) {
      if (!dpoMailbox) throw new PermanentDeliveryError('the Comune has no DPO e-mail address (settings.dpoEmail)');
      return { to: dpoMailbox, toName: 'Responsabile della protezione dei dati', endpointId: null };
    }
    if (row.recipient === MAYOR_MAILBOX) {
      if (!mayorMailbox) throw new PermanentDeliveryError("the Mayor's office has no e-mail address");
      return { to: mayorMailbox, toName: 'Ufficio del Sindaco', endpointId: null };
    }
    if (kind === 'user') {
      const user = await this.repository.user(em, id);
      if (!user || user.disabledAt) throw new PermanentDeliveryError('recipient account missing or disabled');
      return { to: row.channel === 'in_app' ? user.id : user.email, toName: user.displayName, endpointId: null };
    }
    if (kind === 'holder') {
      const holder = await this.repository.holder(em, row.organizationId, id);
      if (!holder?.email) throw new PermanentDeliveryError('holder has no e-mail address');
      return { to: holder.email, toName: holderName(holder), endpointId: null };
    }
    throw new PermanentDeliveryError(`unknown recipient kind ${kind}`);
  }

  private async deviceContent(em: EntityManager, row: ReminderEntity): Promise<{ subject: string; lines: string[] }> {
    const device = row.deviceId ? await this.repository.findDeviceById(em, row.deviceId) : null;
    const kind = device ? KIND_LABELS_IT[device.kind] : 'Dispositivo';
    const label = device?.label ?? row.subjectId;
    const day = romeDate(row.expiresAt);
    return {
      subject: `${kind} in scadenza il ${italianDate(day)}`,
      lines: [
        `${kind} «${label}» scade il ${italianDate(day)} (${howSoon(row.dueOn, day)}).`,
        device?.kind === 'smart_card'
          ? 'La sostituzione di una smart card richiede settimane: se non è già stato fatto, avvia ora la richiesta.'
          : 'Se il rinnovo è già stato avviato, registralo in Custode: i promemoria successivi verranno sospesi.',
      ],
    };
  }

  private async taskContent(em: EntityManager, row: ReminderEntity): Promise<{ subject: string; lines: string[] }> {
    const task = await this.repository.task(em, row.organizationId, row.subjectId);
    const label = task ? (TASK_TYPE_LABELS_IT[task.type] ?? task.type) : 'Attività';
    const day = task?.dueOn ?? romeDate(row.expiresAt);
    return row.stepDays < 0
      ? {
          subject: `Attività scaduta il ${italianDate(day)}: ${label}`,
          lines: [`L'attività «${label}» doveva essere completata entro il ${italianDate(day)} e risulta ancora aperta.`],
        }
      : {
          subject: `Attività da completare entro il ${italianDate(day)}: ${label}`,
          lines: [`L'attività «${label}» va completata entro il ${italianDate(day)}.`],
        };
  }
}

function splitKey(key: string): [string, string] {
  const at = key.indexOf(':');
  return at < 0 ? [key, ''] : [key.slice(0, at), key.slice(at + 1)];
}

/** How far `day` is from the day the message goes out, in Italian: "tra 14 giorni", "domani", "oggi". */
export function howSoon(sentOn: string, day: string): string {
  const left = daysBetween(sentOn, day);
  return left > 1 ? `tra ${left} giorni` : left === 1 ? 'domani' : left === 0 ? 'oggi' : `da ${-left} giorni`;
}

export function italianDate(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
