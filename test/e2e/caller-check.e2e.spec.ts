import { systemClock } from '../../src/common/time';
import { agreeIntervention, createProvider, memberApi, MemberApi, minutesFromNow } from '../support/incidents';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

/**
 * "Ti chiama un tecnico?": providers with verified contacts, interventions agreed in advance with a
 * one-time phrase, and the caller check's three answers, in Italian, each recorded.
 */
describe('Providers, interventions and the caller check', () => {
  let t: TestApp;
  let m: MemberApi;
  let orgId: string;
  let provider: Awaited<ReturnType<typeof createProvider>>;
  let workstationId: string;
  let mario: Awaited<ReturnType<typeof agreeIntervention>>;
  const mapRossi = () => provider.technicians.find((x) => x.fullName === 'Mario Rossi')!.id;
  const mapBianchi = () => provider.technicians.find((x) => x.fullName === 'Luca Bianchi')!.id;
  const check = (role: string, body: object) => m.post(role, '/caller-checks', body);

  beforeAll(async () => {
    // Enough checks per minute for this file; the limit itself is tested below on its own app.
    t = await createTestApp({ env: { CALLER_CHECK_RATE_PER_MINUTE: '100' } });
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = await createOrgWithMembers(t, admin, ['security_admin', 'workstation_admin', 'operator', 'auditor', 'mayor_office']);
    orgId = org.orgId;
    m = memberApi(t, orgId, org.tokens);
    provider = await createProvider(m);
    const ws = await m.post('workstation_admin', '/workstations', { code: 'PC-ANAG-01', office: 'Anagrafe' });
    workstationId = ws.body.id as string;
    mario = await agreeIntervention(m, {
      providerId: provider.id,
      technicianIds: [mapRossi()],
      startsAt: minutesFromNow(-10),
      endsAt: minutesFromNow(120),
      workstationIds: [workstationId],
    });
  }, 120_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  describe('providers', () => {
    it('are registered by the ALS with verified contacts and named technicians; everyone may read the numbers to call back', async () => {
      expect(provider).toMatchObject({
        name: 'Alfa Informatica S.r.l.',
        callbackPhone: '+39 02 1234567',
        verification: { source: expect.stringContaining('contratto'), verifiedBy: expect.stringContaining('security_admin') },
        technicians: expect.arrayContaining([expect.objectContaining({ fullName: 'Mario Rossi', active: true })]),
      });
      await m
        .post('operator', '/providers', { name: 'X', callbackPhone: '0212345', callbackEmail: 'a@b.it', verificationSource: 'contratto' })
        .expect(403);
      const list = await m.get('operator', '/providers').expect(200);
      expect(list.body.items.map((p: { name: string }) => p.name)).toEqual(['Alfa Informatica S.r.l.']);
      const dup = await m.post('security_admin', '/providers', {
        name: 'ALFA INFORMATICA srl',
        callbackPhone: '0212345',
        callbackEmail: 'a@b.it',
        verificationSource: 'contratto',
      });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('PROVIDER_NAME_TAKEN');
    });

    it('asks for a new verification when the call-back number changes', async () => {
      const res = await m.patch('security_admin', `/providers/${provider.id}`, { callbackPhone: '+39 02 7654321' }, '"1"');
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('PROVIDER_VERIFICATION_REQUIRED');
    });
  });

  describe('interventions', () => {
    it('show the verification phrase once, and never again', async () => {
      expect(mario.verificationPhrase).toMatch(/^([a-z]+-){4}\d{2}$/);
      expect(mario).toMatchObject({
        state: 'in_progress',
        channelLabel: 'Da remoto',
        remoteTool: 'AnyDesk',
        workstations: [{ id: workstationId, name: 'PC-ANAG-01' }],
      });
      const read = await m.get('security_admin', `/interventions/${mario.id}`).expect(200);
      expect(read.body.verificationPhrase).toBeUndefined();
      expect(JSON.stringify(read.body)).not.toContain(mario.verificationPhrase);
      expect(read.body.phraseHash).toBeUndefined();
      const list = await m.get('workstation_admin', '/interventions').expect(200);
      expect(JSON.stringify(list.body)).not.toContain(mario.verificationPhrase);
      await m.get('operator', '/interventions').expect(403);
    });

    it('refuse windows in the past, backwards, or remote without a tool, and technicians of another provider', async () => {
      const base = {
        providerId: provider.id,
        technicianIds: [mapRossi()],
        channel: 'remote',
        remoteTool: 'AnyDesk',
        purpose: 'Prova',
        agreedWith: 'Laura Verdi',
      };
      const past = await m.post('security_admin', '/interventions', {
        ...base,
        startsAt: minutesFromNow(-120),
        endsAt: minutesFromNow(-60),
      });
      expect(past.body.code).toBe('INTERVENTION_WINDOW_INVALID');
      const backwards = await m.post('security_admin', '/interventions', {
        ...base,
        startsAt: minutesFromNow(60),
        endsAt: minutesFromNow(30),
      });
      expect(backwards.body.code).toBe('INTERVENTION_WINDOW_INVALID');
      const noTool = await m.post('security_admin', '/interventions', {
        ...base,
        remoteTool: undefined,
        startsAt: minutesFromNow(60),
        endsAt: minutesFromNow(90),
      });
      expect(noTool.status).toBe(400);
      const other = await createProvider(m, { name: 'Beta Servizi', aliases: [], technicians: ['Anna Neri'] });
      const wrongTech = await m.post('security_admin', '/interventions', {
        ...base,
        technicianIds: [other.technicians[0]!.id],
        startsAt: minutesFromNow(60),
        endsAt: minutesFromNow(90),
      });
      expect(wrongTech.body.code).toBe('TECHNICIAN_NOT_FOUND');
      await m.post('operator', '/interventions', { ...base, startsAt: minutesFromNow(60), endsAt: minutesFromNow(90) }).expect(403);
    });
  });

  describe('the caller check', () => {
    it('expected: the company, a named technician in the window and the right phrase (spoken with other spacing and case)', async () => {
      const spoken = mario.verificationPhrase.replace(/-/g, ' ').toUpperCase();
      const res = await check('operator', { company: 'alfa informatica SRL', technicianName: 'Rossi Mario', phrase: spoken }).expect(200);
      expect(res.body).toMatchObject({
        outcome: 'expected',
        reason: 'match',
        title: 'Intervento previsto',
        provider: { name: 'Alfa Informatica S.r.l.', callbackPhone: '+39 02 1234567' },
        intervention: { id: mario.id, remoteTool: 'AnyDesk', workstations: ['PC-ANAG-01'] },
        quickReport: null,
      });
      expect(res.body.message).toContain(
        `Intervento previsto: Rossi Mario di Alfa Informatica S.r.l. è atteso ${mario.windowLabel} (da remoto, solo con AnyDesk)`,
      );
      expect(res.body.message).toContain('La frase di verifica è corretta.');
      expect(res.body.message).toContain('Non comunicare mai password, PIN, PUK');
    });

    it('unverifiable: an intervention exists but the phrase is wrong', async () => {
      const res = await check('operator', {
        company: 'Alfa',
        technicianName: 'Mario Rossi',
        phrase: 'mela-fiume-treno-00',
        callerNumber: '+39 333 1112223',
      }).expect(200);
      expect(res.body).toMatchObject({
        outcome: 'unverifiable',
        reason: 'phrase_wrong',
        title: 'Identità NON verificabile',
        intervention: null,
      });
      expect(res.body.message).toBe(
        'Identità NON verificabile: esiste un intervento concordato con Alfa Informatica S.r.l. in questo momento, ma la frase di verifica detta da chi chiama non è corretta. ' +
          'Non procedere. Non consentire connessioni remote, non installare programmi, non digitare né dettare credenziali. ' +
          'Chiudi la telefonata con cortesia: non serve discutere né spiegare. ' +
          'Richiama Alfa Informatica S.r.l. al numero verificato +39 02 1234567 (o scrivi a assistenza@alfa.example.it), mai al numero che ti ha dato chi chiama. ' +
          'Se il dubbio resta, segnala la chiamata.',
      );
      expect(res.body.quickReport.prefill).toMatchObject({
        callerCheckId: res.body.id,
        callerNumber: '+39 333 1112223',
        claimedCompany: 'Alfa',
        claimedName: 'Mario Rossi',
      });
    });

    it('unverifiable: an intervention exists but no phrase was given', async () => {
      const res = await check('operator', { company: 'Alfa Informatica', technicianName: 'Mario Rossi' }).expect(200);
      expect(res.body).toMatchObject({ outcome: 'unverifiable', reason: 'phrase_missing' });
      expect(res.body.message).toContain('ma chi chiama non ha detto la frase di verifica. Non procedere.');
    });

    it('not expected: a technician the intervention does not name, even of the right company and with the right phrase', async () => {
      const res = await check('operator', {
        company: 'Alfa Informatica',
        technicianName: 'Luca Bianchi',
        phrase: mario.verificationPhrase,
      }).expect(200);
      expect(res.body).toMatchObject({
        outcome: 'not_expected',
        reason: 'technician_not_named',
        title: 'Chiamata NON prevista',
        intervention: null,
      });
      expect(res.body.message).toMatch(
        /^Chiamata NON prevista: Luca Bianchi non è tra i tecnici indicati per l'intervento in corso con Alfa Informatica S\.r\.l\. Non procedere\./,
      );
      expect(res.body.message).toContain('Richiama Alfa Informatica S.r.l. al numero verificato +39 02 1234567');
      expect(res.body.message).toContain('Poi segnala la chiamata con la segnalazione rapida (Circolare DAIT 74/2025).');
      expect(res.body.quickReport).toMatchObject({
        path: `/api/v1/orgs/${orgId}/incidents/quick-report`,
        prefill: { claimedCompany: 'Alfa Informatica', claimedName: 'Luca Bianchi' },
      });
    });

    it('not expected: a company that is not a registered provider', async () => {
      const res = await check('auditor', { company: 'Microsoft Assistenza', technicianName: 'John Smith' }).expect(200);
      expect(res.body).toMatchObject({ outcome: 'not_expected', reason: 'unknown_company', provider: null });
      expect(res.body.message).toMatch(
        /^Chiamata NON prevista: Microsoft Assistenza non è tra i fornitori registrati dal Comune\. Non procedere\./,
      );
    });

    it('not expected: a window that ended a minute ago; expected a minute before it ends', async () => {
      const luca = await agreeIntervention(m, {
        providerId: provider.id,
        technicianIds: [mapBianchi()],
        startsAt: minutesFromNow(180),
        endsAt: minutesFromNow(240),
        channel: 'on_site',
        remoteTool: undefined,
      });
      const ends = new Date(luca.endsAt).getTime();
      const clock = jest.spyOn(systemClock, 'now');
      try {
        clock.mockReturnValue(new Date(ends - 60_000));
        const before = await check('operator', {
          company: 'Alfa Informatica',
          technicianName: 'Luca Bianchi',
          phrase: luca.verificationPhrase,
        }).expect(200);
        expect(before.body).toMatchObject({
          outcome: 'expected',
          intervention: { id: luca.id, channelLabel: 'In presenza', remoteTool: null },
        });
        clock.mockReturnValue(new Date(ends + 60_000));
        const after = await check('operator', {
          company: 'Alfa Informatica',
          technicianName: 'Luca Bianchi',
          phrase: luca.verificationPhrase,
        }).expect(200);
        expect(after.body).toMatchObject({ outcome: 'not_expected', reason: 'no_intervention_now', intervention: null });
        expect(after.body.message).toMatch(
          /^Chiamata NON prevista: non risulta alcun intervento concordato con Alfa Informatica S\.r\.l\. in questo momento\. Non procedere\./,
        );
      } finally {
        clock.mockRestore();
      }
    });

    it('not expected once the ALS cancels the intervention', async () => {
      const x = await agreeIntervention(m, {
        providerId: provider.id,
        technicianIds: [mapBianchi()],
        startsAt: minutesFromNow(-5),
        endsAt: minutesFromNow(60),
      });
      await m.post('security_admin', `/interventions/${x.id}/cancel`, { reason: 'Rinviato dal fornitore' }).expect(200);
      const res = await check('operator', { company: 'Alfa', technicianName: 'Luca Bianchi', phrase: x.verificationPhrase }).expect(200);
      expect(res.body.outcome).toBe('not_expected');
    });

    it('blocks the phrase after five wrong ones, until the ALS issues a new phrase', async () => {
      const x = await agreeIntervention(m, {
        providerId: provider.id,
        technicianIds: [mapBianchi()],
        startsAt: minutesFromNow(-5),
        endsAt: minutesFromNow(60),
      });
      for (let n = 0; n < 5; n++) {
        const wrong = await check('workstation_admin', {
          company: 'Alfa',
          technicianName: 'Luca Bianchi',
          phrase: `sbagliata-${n}`,
        }).expect(200);
        expect(wrong.body.reason).toBe('phrase_wrong');
      }
      const blocked = await check('workstation_admin', {
        company: 'Alfa',
        technicianName: 'Luca Bianchi',
        phrase: x.verificationPhrase,
      }).expect(200);
      expect(blocked.body).toMatchObject({ outcome: 'unverifiable', reason: 'phrase_blocked' });
      expect((await m.get('security_admin', `/interventions/${x.id}`)).body.phraseBlocked).toBe(true);
      const renewed = await m.post('security_admin', `/interventions/${x.id}/phrase`).expect(200);
      expect(renewed.body.verificationPhrase).not.toBe(x.verificationPhrase);
      expect(
        (await check('workstation_admin', { company: 'Alfa', technicianName: 'Luca Bianchi', phrase: x.verificationPhrase })).body.reason,
      ).toBe('phrase_wrong');
      expect(
        (await check('workstation_admin', { company: 'Alfa', technicianName: 'Luca Bianchi', phrase: renewed.body.verificationPhrase }))
          .body.outcome,
      ).toBe('expected');
    });

    it('records every check, never the phrase; the ALS and the auditor read the log, operators do not', async () => {
      const log = await m.get('auditor', '/caller-checks?limit=200').expect(200);
      const outcomes = log.body.items.map((c: { outcome: string }) => c.outcome);
      expect(outcomes).toEqual(expect.arrayContaining(['expected', 'unverifiable', 'not_expected']));
      expect(log.body.items.length).toBeGreaterThanOrEqual(15);
      expect(log.body.items.find((c: { claimedCompany: string }) => c.claimedCompany === 'Microsoft Assistenza')).toMatchObject({
        claimedTechnician: 'John Smith',
        outcome: 'not_expected',
        reason: 'unknown_company',
        phraseGiven: false,
        checkedBy: expect.stringContaining('auditor'),
      });
      expect(JSON.stringify(log.body)).not.toContain(mario.verificationPhrase);
      await m.get('operator', '/caller-checks').expect(403);
      const audit = await m.get('auditor', '/audit?action=caller_check.performed&limit=200').expect(200);
      expect(audit.body.items.length).toBe(log.body.items.length);
    });

    it('not expected: a named technician the ALS deactivated after the intervention was agreed', async () => {
      const withPaolo = await m.post('security_admin', `/providers/${provider.id}/technicians`, { fullName: 'Paolo Neri' }).expect(201);
      const paolo = withPaolo.body.technicians.find((x: { fullName: string }) => x.fullName === 'Paolo Neri').id as string;
      const x = await agreeIntervention(m, {
        providerId: provider.id,
        technicianIds: [paolo],
        startsAt: minutesFromNow(-5),
        endsAt: minutesFromNow(60),
      });
      const before = await check('operator', { company: 'Alfa', technicianName: 'Neri Paolo', phrase: x.verificationPhrase }).expect(200);
      expect(before.body).toMatchObject({ outcome: 'expected', intervention: { id: x.id } });
      await m.post('security_admin', `/providers/${provider.id}/technicians/${paolo}/deactivate`).expect(200);
      const after = await check('operator', { company: 'Alfa', technicianName: 'Paolo Neri', phrase: x.verificationPhrase }).expect(200);
      expect(after.body).toMatchObject({ outcome: 'not_expected', reason: 'technician_not_named', intervention: null });
    });
  });
});

describe('Caller check rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { CALLER_CHECK_RATE_PER_MINUTE: '3' } });
  }, 60_000);
  afterAll(() => t.close());

  it('answers 429 after the per-member limit, without recording, while another member can still check', async () => {
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = await createOrgWithMembers(t, admin, ['security_admin', 'operator']);
    const m = memberApi(t, org.orgId, org.tokens);
    for (let n = 0; n < 3; n++)
      await m.post('operator', '/caller-checks', { company: 'Alfa', technicianName: 'Mario Rossi', phrase: `tentativo-${n}` }).expect(200);
    const limited = await m.post('operator', '/caller-checks', { company: 'Alfa', technicianName: 'Mario Rossi', phrase: 'tentativo-3' });
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ code: 'CALLER_CHECK_RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    await m.post('security_admin', '/caller-checks', { company: 'Alfa', technicianName: 'Mario Rossi' }).expect(200);
    const log = await m.get('security_admin', '/caller-checks').expect(200);
    expect(log.body.items).toHaveLength(4);
  });
});
