/** Roles a member holds in one Comune (domain.md section 2). */
export const ORG_ROLES = ['security_admin', 'workstation_admin', 'mayor_office', 'operator', 'auditor'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

export const ROLE_LABELS_IT: Record<OrgRole, string> = {
  security_admin: 'Amministratore locale della sicurezza (ALS)',
  workstation_admin: 'Amministratore locale delle postazioni (ALP)',
  mayor_office: 'Ufficio del Sindaco',
  operator: "Operatore / ufficiale d'anagrafe",
  auditor: 'Revisore / RPD',
};
