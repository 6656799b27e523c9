import { TestApp } from './test-app';

/** Requests as one member of one Comune. */
export function memberApi(t: TestApp, orgId: string, tokens: Record<string, string>) {
  const api = (path: string) => `/api/v1/orgs/${orgId}${path}`;
  const auth = (role: string) => [tokens[role] as string, { type: 'bearer' as const }] as const;
  return {
    api,
    get: (role: string, path: string) =>
      t
        .http()
        .get(api(path))
        .auth(...auth(role)),
    post: (role: string, path: string, body: object = {}) =>
      t
        .http()
        .post(api(path))
        .auth(...auth(role))
        .send(body),
    patch: (role: string, path: string, body: object, ifMatch?: string) => {
      const req = t
        .http()
        .patch(api(path))
        .auth(...auth(role));
      return (ifMatch ? req.set('If-Match', ifMatch) : req).send(body);
    },
  };
}

export type MemberApi = ReturnType<typeof memberApi>;

/** A provider with named technicians, registered by the ALS. */
export async function createProvider(m: MemberApi, body: Record<string, unknown> = {}) {
  const res = await m.post('security_admin', '/providers', {
    name: 'Alfa Informatica S.r.l.',
    aliases: ['Alfa'],
    contractReference: 'Contratto di assistenza prot. 1234/2025',
    callbackPhone: '+39 02 1234567',
    callbackEmail: 'assistenza@alfa.example.it',
    verificationSource: 'Numero e indirizzo letti nel contratto firmato, confermati via PEC',
    technicians: ['Mario Rossi', 'Luca Bianchi'],
    ...body,
  });
  if (res.status !== 201) throw new Error(`provider: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; name: string; callbackPhone: string; technicians: { id: string; fullName: string }[] };
}

/** An intervention agreed by the ALS; returns it with its one-time phrase. */
export async function agreeIntervention(m: MemberApi, body: Record<string, unknown>) {
  const res = await m.post('security_admin', '/interventions', {
    channel: 'remote',
    remoteTool: 'AnyDesk',
    purpose: 'Aggiornamento del software di anagrafe alla versione 5.2',
    agreedWith: 'Laura Verdi, responsabile assistenza',
    ...body,
  });
  if (res.status !== 201) throw new Error(`intervention: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as {
    id: string;
    verificationPhrase: string;
    startsAt: string;
    endsAt: string;
    windowLabel: string;
    phraseBlocked: boolean;
  };
}

export const minutesFromNow = (minutes: number, from = Date.now()): string => new Date(from + minutes * 60_000).toISOString();
