import { ORG_ROLES, OrgRole } from './roles';

/**
 * The permission table: every action a route can require, and who may perform it. One file, read
 * by the global guard and by the matrix test, which walks every route with every role.
 *
 * - `platform` actions belong to the platform superadmin only and have no Comune in the path.
 * - `org` actions are performed inside `/orgs/:orgId/...` by members holding one of `roles`;
 *   `superadmin: true` also lets the platform superadmin in (to set a Comune up), nothing more.
 * - `self` actions need only a valid sign-in (your own session and password).
 */
export type PermissionRule = { scope: 'platform' } | { scope: 'self' } | { scope: 'org'; roles: readonly OrgRole[]; superadmin?: boolean };

const ALL: readonly OrgRole[] = ORG_ROLES;

export const PERMISSIONS = {
  'auth.self': { scope: 'self' },

  'org.create': { scope: 'platform' },
  'org.list_all': { scope: 'platform' },
  'org.read': { scope: 'org', roles: ALL, superadmin: true },
  'org.update': { scope: 'org', roles: ['security_admin'], superadmin: true },

  'user.create': { scope: 'org', roles: ['security_admin'], superadmin: true },
  'member.list': { scope: 'org', roles: ['security_admin', 'auditor', 'mayor_office'], superadmin: true },
  'member.add': { scope: 'org', roles: [], superadmin: true },
  'member.update': { scope: 'org', roles: ['security_admin'], superadmin: true },
  'member.remove': { scope: 'org', roles: ['security_admin'], superadmin: true },

  'api_token.manage': { scope: 'org', roles: ['security_admin'] },

  'audit.read': { scope: 'org', roles: ['security_admin', 'auditor'] },
  'audit.verify': { scope: 'org', roles: ['security_admin', 'auditor'] },
  // inventory (issue 4). The devices service also checks the kind: the ALP acts on certificates
  // only; the ALS on every kind. Operators read only their own devices and receipts.
  'holder.read': { scope: 'org', roles: ['security_admin', 'workstation_admin', 'mayor_office', 'auditor'] },
  'holder.write': { scope: 'org', roles: ['security_admin'] },
  'holder.leave': { scope: 'org', roles: ['security_admin'] },
  'workstation.read': { scope: 'org', roles: ['security_admin', 'workstation_admin', 'mayor_office', 'auditor'] },
  'workstation.write': { scope: 'org', roles: ['workstation_admin', 'security_admin'] },
  'device.read': { scope: 'org', roles: ALL },
  'device.export': { scope: 'org', roles: ['security_admin', 'workstation_admin', 'mayor_office', 'auditor'] },
  'device.create': { scope: 'org', roles: ['security_admin'] },
  'device.update': { scope: 'org', roles: ['security_admin', 'workstation_admin'] },
  'device.transition': { scope: 'org', roles: ['security_admin', 'workstation_admin'] },
  'device.custody': { scope: 'org', roles: ['security_admin', 'workstation_admin'] },
  'certificate.import': { scope: 'org', roles: ['workstation_admin', 'security_admin'] },
  'handover.acknowledge': { scope: 'org', roles: ['security_admin', 'workstation_admin', 'operator'] },
  'task.read': { scope: 'org', roles: ['security_admin', 'workstation_admin', 'mayor_office', 'auditor'] },

  // nominations (issue 5). Only the Mayor's office nominates (nobody nominates themselves); the
  // people it names, the ALP and the auditor read; operators do not.
  'nomination.read': { scope: 'org', roles: ['mayor_office', 'security_admin', 'workstation_admin', 'auditor'] },
  'nomination.export': { scope: 'org', roles: ['mayor_office', 'security_admin', 'auditor'] },
  'nomination.create': { scope: 'org', roles: ['mayor_office'] },
  'nomination.attach_act': { scope: 'org', roles: ['mayor_office'] },
  'nomination.sign': { scope: 'org', roles: ['mayor_office'] },
  'nomination.activate': { scope: 'org', roles: ['mayor_office'] },
  'nomination.revoke': { scope: 'org', roles: ['mayor_office'] },

  // reminders (issue 6). The ledger shows who was told what: the ALS, the ALP, the Mayor's office
  // and the auditor read it; only the ALS runs a sweep or changes the policy. Acknowledging is
  // for the responsible person (the service lets an operator acknowledge only their own devices).
  // Everyone has an inbox and may keep a calendar feed of what concerns them.
  'reminder.read': { scope: 'org', roles: ['security_admin', 'workstation_admin', 'mayor_office', 'auditor'] },
  'reminder.sweep': { scope: 'org', roles: ['security_admin'] },
  'reminder.acknowledge': { scope: 'org', roles: ['security_admin', 'workstation_admin', 'operator'] },
  'reminder_policy.read': { scope: 'org', roles: ['security_admin', 'workstation_admin', 'mayor_office', 'auditor'] },
  'reminder_policy.write': { scope: 'org', roles: ['security_admin'] },
  'webhook.manage': { scope: 'org', roles: ['security_admin'] },
  'inbox.read': { scope: 'org', roles: ALL },
  'calendar_feed.manage': { scope: 'org', roles: ALL },
  // The revocation task workflow: the ALS (and the ALP for certificates, checked in the service).
  'task.workflow': { scope: 'org', roles: ['security_admin', 'workstation_admin'] },
  // The queue dashboard is the platform's.
  'queue.dashboard': { scope: 'platform' },

  // incidents and pre-agreed interventions (issue 7). Every member runs the caller check and files
  // the quick report, and may read the providers' verified numbers to call back; only the ALS
  // registers providers and interventions (operators never list who is expected: an impostor would
  // ask them). Incidents: the ALS, the auditor/DPO and the Mayor's office read the register; other
  // members read, and add evidence to, only what they reported (checked in the service). The ALS
  // handles incidents; the ALS and the DPO (auditor) handle the GDPR side and the breach register.
  'provider.read': { scope: 'org', roles: ALL },
  'provider.write': { scope: 'org', roles: ['security_admin'] },
  'intervention.read': { scope: 'org', roles: ['security_admin', 'workstation_admin', 'auditor'] },
  'intervention.write': { scope: 'org', roles: ['security_admin'] },
  'caller_check.run': { scope: 'org', roles: ALL },
  'caller_check.read': { scope: 'org', roles: ['security_admin', 'auditor'] },
  'incident.report': { scope: 'org', roles: ALL },
  'incident.read': { scope: 'org', roles: ALL },
  'incident.evidence': { scope: 'org', roles: ALL },
  'incident.create': { scope: 'org', roles: ['security_admin'] },
  'incident.update': { scope: 'org', roles: ['security_admin'] },
  'incident.contain': { scope: 'org', roles: ['security_admin'] },
  'incident.authorities': { scope: 'org', roles: ['security_admin'] },
  'incident.export': { scope: 'org', roles: ['security_admin', 'auditor', 'mayor_office'] },
  'breach.manage': { scope: 'org', roles: ['security_admin', 'auditor'] },
  'breach.read': { scope: 'org', roles: ['security_admin', 'auditor', 'mayor_office'] },
} as const satisfies Record<string, PermissionRule>;

export type Action = keyof typeof PERMISSIONS;

/** Whether a member with `role` (or the superadmin) may perform an org-scoped action. */
export function orgRoleAllows(action: Action, role: OrgRole | 'superadmin'): boolean {
  const rule: PermissionRule = PERMISSIONS[action];
  if (rule.scope !== 'org') return false;
  return role === 'superadmin' ? rule.superadmin === true : rule.roles.includes(role);
}
