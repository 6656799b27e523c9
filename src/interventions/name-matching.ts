/**
 * How a caller's words are compared with what the ALS registered. Both sides are normalized the
 * same way, then compared for equality: no fuzzy matching, because "almost the right company" is
 * exactly what an impostor says. Aliases cover brands and former names.
 */

/** Italian company forms: "Alfa S.r.l." and "ALFA srl" are the same company. */
const LEGAL_FORMS = new Set([
  'srl',
  'srls',
  'spa',
  'sapa',
  'snc',
  'sas',
  'scarl',
  'scrl',
  'scpa',
  'coop',
  'societa',
  'cooperativa',
  'unipersonale',
  'su',
]);

function words(value: string): string[] {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[.'’]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** A company name without accents, punctuation, case or legal form. */
export function normalizeCompany(value: string): string {
  const all = words(value);
  const kept = all.filter((w) => !LEGAL_FORMS.has(w));
  return (kept.length > 0 ? kept : all).join(' ');
}

/** A person's name without accents, punctuation or case, in any order: "Rossi Mario" = "Mario Rossi". */
export function normalizePersonName(value: string): string {
  return words(value).sort().join(' ');
}
