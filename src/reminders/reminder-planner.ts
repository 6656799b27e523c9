import { randomUUID } from 'node:crypto';
import { LocalDate, romeInstant } from '../common/time';
import { OrganizationEntity } from '../organizations/organization.entity';
import { Audience, Channel, ReminderEntity, SubjectType, referenceFor } from './entities/reminder.entity';
import { PersonRef } from './reminders.repository';

/** Who could receive a Comune's reminders, loaded once per sweep. */
export interface OrgRecipients {
  organization: OrganizationEntity;
  alsUserIds: string[];
  mayorUserIds: string[];
  webhookIds: string[];
}

export interface Recipient {
  key: string;
  audience: Audience;
  /** Whether an address exists for e-mail (a holder without one gets in-app only, if a user). */
  email: boolean;
}

/**
 * Person keys: a person with a Custode account is `user:<id>` whichever role brings them in, so
 * an ALS who also holds the device gets one reminder, not two.
 */
export function personRecipient(person: PersonRef | undefined, audience: Audience): Recipient | null {
  if (!person || person.employmentStatus === 'leaver') return null;
  if (person.userId) return { key: `user:${person.userId}`, audience, email: true };
  return { key: `holder:${person.holderId}`, audience, email: person.email !== null };
}

export const MAYOR_MAILBOX = 'mailbox:mayor_office';
export const DPO_MAILBOX = 'mailbox:dpo';

/** The people a step goes to: the given ones first, then the ALS, then (escalation) the Mayor's office. */
export function recipientsFor(org: OrgRecipients, people: (Recipient | null)[], escalate: boolean): Recipient[] {
  const all: Recipient[] = [
    ...people.filter((p): p is Recipient => p !== null),
    ...org.alsUserIds.map((id): Recipient => ({ key: `user:${id}`, audience: 'als', email: true })),
  ];
  if (escalate) all.push(...mayorOfficeRecipients(org));
  return uniqueRecipients(all);
}

/** The Mayor's office: its members with an account, and its mailbox (`settings.mayorOfficeEmail`) if set. */
export function mayorOfficeRecipients(org: OrgRecipients): Recipient[] {
  const all = org.mayorUserIds.map((id): Recipient => ({ key: `user:${id}`, audience: 'mayor_office', email: true }));
  if (org.organization.settings.mayorOfficeEmail) all.push({ key: MAYOR_MAILBOX, audience: 'mayor_office', email: true });
  return all;
}

/** The first of each person: the role listed first names their audience. */
export function uniqueRecipients(people: (Recipient | null)[]): Recipient[] {
  const seen = new Set<string>();
  return people.filter((r): r is Recipient => r !== null && (seen.has(r.key) ? false : (seen.add(r.key), true)));
}

export interface StepPlan {
  organizationId: string;
  subjectType: SubjectType;
  subjectId: string;
  deviceId: string | null;
  expiresAt: Date;
  stepDays: number;
  dueOn: LocalDate;
  sendHour: number;
  escalation: boolean;
  channels: readonly Channel[];
}

/** One ledger row per channel and recipient of a step; the database drops those that exist. */
export function ledgerRows(plan: StepPlan, recipients: Recipient[], webhookIds: string[], now: Date): ReminderEntity[] {
  const targets: { channel: Channel; recipient: string; audience: Audience }[] = [];
  for (const channel of plan.channels) {
    if (channel === 'webhook') {
      for (const id of webhookIds) targets.push({ channel, recipient: `webhook:${id}`, audience: 'integration' });
      continue;
    }
    for (const r of recipients) {
      if (channel === 'email' && !r.email) continue;
      if (channel === 'in_app' && !r.key.startsWith('user:')) continue;
      targets.push({ channel, recipient: r.key, audience: r.audience });
    }
  }
  const sendAt = romeInstant(plan.dueOn, plan.sendHour);
  return targets.map((t) => {
    const id = randomUUID();
    return {
      id,
      organizationId: plan.organizationId,
      subjectType: plan.subjectType,
      subjectId: plan.subjectId,
      deviceId: plan.deviceId,
      expiresAt: plan.expiresAt,
      stepDays: plan.stepDays,
      dueOn: plan.dueOn,
      sendAt,
      channel: t.channel,
      recipient: t.recipient,
      audience: t.audience,
      escalation: plan.escalation && t.audience === 'mayor_office',
      state: 'pending',
      attempts: 0,
      lastError: null,
      reference: referenceFor(id),
      stateChangedAt: now,
      sentAt: null,
      readAt: null,
      closedReason: null,
      createdAt: now,
      updatedAt: now,
    };
  });
}
