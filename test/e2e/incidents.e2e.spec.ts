import { createHash } from 'node:crypto';
import { romeDate } from '../../src/common/time';
import { memberApi, MemberApi } from '../support/incidents';
import { binary, createHolder, pdfText } from '../support/inventory';
import { insertDevice } from '../support/nomination-fixtures';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('schermata della sessione remota')]);
const EXE = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);
const HOUR = 3_600_000;

type Timeline = { type: string; summary: string }[];

/**
 * The incident register: the operator's quick report after a caller check, containment through the
 * devices lifecycle, reports to the police and the DCSD with the detailed PDF, the GDPR clock and
 * the art. 33(5) register, and operators who read only what they reported.
 */
describe('Incidents', () => {
  let t: TestApp;
  let m: MemberApi;
  let orgId: string;
  let userIds: Record<string, string>;
  let tokens: Record<string, string>;
  let workstationId: string;
  let credentialId: string;
  let certificateId: string;
  let cardId: string;
  let incidentId: string;
  let year: string;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    ({ orgId, tokens, userIds } = await createOrgWithMembers(t, admin, [
      'security_admin',
      'workstation_admin',
      'operator',
      'auditor',
      'mayor_office',
    ]));
    const second = await t
      .http()
      .post(`/api/v1/orgs/${orgId}/users`)
      .auth(admin, { type: 'bearer' })
      .send({
        email: `operatore2.${orgId.slice(0, 8)}@comune.test`,
        displayName: 'Seconda operatrice',
        role: 'operator',
        password: 'cavallo-batteria-graffetta-9',
      });
    const first = await login(t, second.body.email as string, 'cavallo-batteria-graffetta-9');
    await t
      .http()
      .post('/api/v1/auth/password')
      .auth(first, { type: 'bearer' })
      .send({ currentPassword: 'cavallo-batteria-graffetta-9', newPassword: 'cavallo-batteria-graffetta-9-bis' })
      .expect(204);
    tokens.operator2 = first;
    m = memberApi(t, orgId, tokens);
    await m.patch('security_admin', '', { settings: { dpoEmail: 'rpd@comune.test' } }).expect(200);
    const me = await createHolder(t, orgId, tokens.security_admin!, {
      firstName: 'Paola',
      lastName: 'Operatrice',
      userId: userIds.operator,
    });
    workstationId = (await m.post('workstation_admin', '/workstations', { code: 'PC-ANAG-01', office: 'Anagrafe' }).expect(201)).body.id;
    credentialId = (
      await m
        .post('security_admin', '/credentials', {
          system: 'anpr_console',
          username: 'p.operatrice',
          holderId: me.id,
          initialStatus: 'active',
        })
        .expect(201)
    ).body.id;
    cardId = (
      await m.post('security_admin', '/smart-cards', { serialNumber: 'SC-7001', holderId: me.id, initialStatus: 'active' }).expect(201)
    ).body.id;
    certificateId = await insertDevice(t, orgId, {
      kind: 'workstation_certificate',
      status: 'installed',
      label: '015146-PC-1',
      workstationId,
    });
    year = romeDate(new Date()).slice(0, 4);
  }, 120_000);
  afterAll(() => t.close());

  const get = async (role: string, id = incidentId) => (await m.get(role, `/incidents/${id}`).expect(200)).body;

  it('files the quick report from a "not expected" caller check, with the fields already filled; links what the call exposed', async () => {
    const checked = await m
      .post('operator', '/caller-checks', { company: 'Assistenza Sogei', technicianName: 'Marco Neri', callerNumber: '+39 06 9999999' })
      .expect(200);
    expect(checked.body.outcome).toBe('not_expected');
    const prefill = checked.body.quickReport.prefill;
    const res = await m.post('operator', '/incidents/quick-report', {
      ...prefill,
      requested: ['remote_access', 'credentials'],
      done: ['remote_session_granted', 'credentials_disclosed'],
      workstationCode: 'PC-ANAG-01',
      notes: 'Diceva che il servizio si sarebbe fermato entro un’ora.',
    });
    expect(res.status).toBe(201);
    incidentId = res.body.id;
    expect(res.body).toMatchObject({
      number: `${year}/0001`,
      status: 'open',
      type: 'credentials_disclosed',
      typeLabel: 'Credenziali comunicate',
      containment: { recommended: true },
    });
    expect(res.body.message).toMatch(new RegExp(`^Segnalazione n\\. ${year}/0001 registrata \\(aperto\\)\\.`));
    const steps = res.body.containment.steps as { deviceId: string; action: string | null; summary: string }[];
    expect(steps.find((s) => s.deviceId === credentialId)).toMatchObject({
      action: 'mark_compromised',
      summary: 'Credenziale «p.operatrice»: da «attiva» a «compromessa» (da sospendere subito nella consolle o nel sistema)',
    });
    expect(steps.find((s) => s.deviceId === certificateId)).toMatchObject({ action: 'mark_compromised' });
    expect(steps.some((s) => s.deviceId === cardId)).toBe(false);

    const incident = await get('operator');
    expect(incident).toMatchObject({
      source: 'quick_report',
      possibleBreach: true,
      call: {
        claimedCompany: 'Assistenza Sogei',
        claimedName: 'Marco Neri',
        callerNumber: '+39 06 9999999',
        callerCheckId: checked.body.id,
        doneLabels: ['sessione remota concessa', 'credenziali digitate o comunicate'],
      },
      workstations: [{ id: workstationId, name: 'PC-ANAG-01' }],
      holders: [{ name: 'Paola Operatrice' }],
      breach: { dpoContact: 'rpd@comune.test', reminders: [{ hours: 24 }, { hours: 48 }, { hours: 66 }] },
    });
    expect(new Date(incident.breach.deadlineAt).getTime() - new Date(incident.awareAt).getTime()).toBe(72 * HOUR);
    expect(incident.breach.clockLabel).toMatch(/^Scadenza delle 72 ore: \d\d\/\d\d\/\d{4} \d\d:\d\d \(mancano 7[01] ore\)$/);
    expect(incident.devices.map((d: { id: string }) => d.id).sort()).toEqual([credentialId, certificateId].sort());
    const types = (incident.timeline as Timeline).map((e) => e.type);
    expect(types).toEqual(['reported', 'caller_check_linked', 'linked', 'alert_sent', 'breach_flagged']);
    expect((incident.timeline as Timeline)[1]!.summary).toMatch(/: chiamata NON prevista\.$/);

    const log = await m.get('security_admin', '/caller-checks').expect(200);
    expect(log.body.items.find((c: { id: string }) => c.id === checked.body.id).incidentId).toBe(incidentId);
    const again = await m.post('operator', '/incidents/quick-report', { ...prefill, requested: ['other'], done: ['nothing'] });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CALLER_CHECK_ALREADY_REPORTED');
  });

  it('refuses a report that says nothing was done and something was done, and another operator’s devices', async () => {
    const both = await m.post('operator', '/incidents/quick-report', {
      claimedCompany: 'X',
      requested: ['credentials'],
      done: ['nothing', 'credentials_disclosed'],
    });
    expect(both.status).toBe(400);
    const foreign = await m.post('operator2', '/incidents/quick-report', {
      claimedCompany: 'X',
      requested: ['credentials'],
      done: ['nothing'],
      deviceIds: [credentialId],
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('DEVICE_NOT_FOUND');
  });

  it('lets operators read only the incidents they reported; the ALS, the auditor and the Mayor’s office read all', async () => {
    const other = await m
      .post('operator2', '/incidents/quick-report', {
        claimedCompany: 'Beta',
        claimedName: 'Anna',
        requested: ['install_software'],
        done: ['nothing'],
      })
      .expect(201);
    expect(other.body).toMatchObject({ type: 'suspicious_call', containment: null });
    const mine = await m.get('operator', '/incidents').expect(200);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([incidentId]);
    expect((await m.get('operator2', '/incidents').expect(200)).body.items.map((i: { id: string }) => i.id)).toEqual([other.body.id]);
    const notMine = await m.get('operator', `/incidents/${other.body.id}`);
    expect(notMine.status).toBe(404);
    expect(notMine.body.code).toBe('INCIDENT_NOT_FOUND');
    await m.get('operator', `/incidents/${other.body.id}/dcsd-report`).expect(403);
    expect((await m.get('workstation_admin', '/incidents').expect(200)).body.items).toEqual([]);
    for (const role of ['security_admin', 'auditor', 'mayor_office']) {
      const all = await m.get(role, '/incidents').expect(200);
      expect(all.body.items.map((i: { id: string }) => i.id).sort()).toEqual([incidentId, other.body.id].sort());
    }
    await m.get('operator2', `/incidents/${other.body.id}`).expect(200);
  });

  it('keeps evidence with its SHA-256: the reporter adds a screenshot to their own report; executables are refused', async () => {
    const res = await t
      .http()
      .post(m.api(`/incidents/${incidentId}/attachments`))
      .auth(tokens.operator!, { type: 'bearer' })
      .field('description', 'Schermata della sessione remota')
      .attach('file', PNG, { filename: 'schermata.png', contentType: 'application/octet-stream' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      mediaType: 'image/png',
      sizeBytes: PNG.length,
      sha256: createHash('sha256').update(PNG).digest('hex'),
      description: 'Schermata della sessione remota',
    });
    const exe = await t
      .http()
      .post(m.api(`/incidents/${incidentId}/attachments`))
      .auth(tokens.operator!, { type: 'bearer' })
      .attach('file', EXE, 'aggiornamento.png');
    expect(exe.status).toBe(415);
    expect(exe.body.code).toBe('ATTACHMENT_TYPE_NOT_ALLOWED');
    const stranger = await t
      .http()
      .post(m.api(`/incidents/${incidentId}/attachments`))
      .auth(tokens.operator2!, { type: 'bearer' })
      .attach('file', PNG, 'x.png');
    expect(stranger.status).toBe(404);
    const back = await t
      .http()
      .get(m.api(`/incidents/${incidentId}/attachments/${res.body.id}`))
      .auth(tokens.auditor!, { type: 'bearer' })
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(Buffer.compare(back.body as Buffer, PNG)).toBe(0);
  });

  it('contains in one action: credential and certificate compromised through the lifecycle, revocation task for the certificate, every step on the timeline', async () => {
    await m.post('operator', `/incidents/${incidentId}/containment`, {}).expect(403);
    const proposal = await m.get('security_admin', `/incidents/${incidentId}/containment`).expect(200);
    expect(proposal.body.recommended).toBe(true);
    const res = await m
      .post('security_admin', `/incidents/${incidentId}/containment`, { note: 'Sessione AnyDesk chiusa, PC scollegato dalla rete.' })
      .expect(200);
    expect(res.body.incident).toMatchObject({ status: 'contained', statusLabel: 'Contenuto' });
    const byDevice = new Map(
      (res.body.steps as { deviceId: string; outcome: string; toStatus: string; openedTaskIds: string[] }[]).map((s) => [s.deviceId, s]),
    );
    expect(byDevice.get(credentialId)).toMatchObject({ outcome: 'applied', toStatus: 'compromised' });
    expect(byDevice.get(certificateId)).toMatchObject({ outcome: 'applied', toStatus: 'compromised' });
    expect(byDevice.get(certificateId)!.openedTaskIds).toHaveLength(1);
    expect(byDevice.get(credentialId)!.openedTaskIds).toHaveLength(0);

    expect((await m.get('security_admin', `/devices/${credentialId}`).expect(200)).body.status).toBe('compromised');
    const cert = (await m.get('security_admin', `/devices/${certificateId}`).expect(200)).body;
    expect(cert.status).toBe('compromised');
    expect(cert.history.at(-1)).toMatchObject({ action: 'mark_compromised', reason: `Incidente n. ${year}/0001: Credenziali comunicate` });
    const tasks = (await m.get('security_admin', `/tasks?deviceId=${certificateId}`).expect(200)).body.items as {
      type: string;
      status: string;
      assigneeRole: string;
    }[];
    expect(tasks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'revocation', status: 'open', assigneeRole: 'workstation_admin' }),
        // The lifecycle asks for an incident when a certificate is compromised: this incident fulfils it.
        expect.objectContaining({ type: 'incident_report', status: 'confirmed' }),
      ]),
    );
    const timeline = (await get('security_admin')).timeline as Timeline;
    const steps = timeline.filter((e) => e.type === 'containment_step').map((e) => e.summary);
    expect(steps).toEqual(
      expect.arrayContaining([
        'Credenziale «p.operatrice»: da «attiva» a «compromessa» (da sospendere subito nella consolle o nel sistema)',
        expect.stringMatching(
          /^Certificato di postazione «015146-PC-1»: da «installato» a «compromesso» \(richiesta di revoca o blocco da inoltrare\)\. Aperta 1 attività di revoca o sostituzione$/,
        ),
      ]),
    );
    expect(timeline.at(-1)).toMatchObject({ type: 'status_changed', summary: 'Incidente contenuto: 2 dispositivi messi in sicurezza' });
  });

  it('marks a stolen smart card stolen, with its revocation and replacement tasks', async () => {
    const created = await m
      .post('security_admin', '/incidents', {
        type: 'device_stolen',
        title: 'Furto della borsa con la smart card',
        description: 'Denunciato dalla titolare.',
        deviceIds: [cardId],
      })
      .expect(201);
    expect(created.body.number).toBe(`${year}/0003`);
    const res = await m.post('security_admin', `/incidents/${created.body.id}/containment`, {}).expect(200);
    expect(res.body.steps[0]).toMatchObject({ deviceId: cardId, action: 'report_stolen', toStatus: 'stolen', outcome: 'applied' });
    const types = ((await m.get('security_admin', `/tasks?deviceId=${cardId}`)).body.items as { type: string; status: string }[])
      .map((x) => `${x.type}:${x.status}`)
      .sort();
    expect(types).toEqual(['incident_report:confirmed', 'replacement_request:open', 'revocation:open']);
  });

  it('records the police report and the DCSD communication; the register moves to reported only when both are there', async () => {
    const early = await m.post('security_admin', `/incidents/${incidentId}/transitions`, { action: 'mark_reported' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'INCIDENT_REPORTS_MISSING', missing: ['police', 'dcsd'] });
    // A day that does not exist is a 400 naming the field (it reached the database before).
    const impossible = await m
      .post('security_admin', `/incidents/${incidentId}/police-report`, {
        office: 'Polizia Postale - Compartimento di Roma',
        reportedOn: '2026-02-31',
        protocol: '4521/2026',
      })
      .expect(400);
    expect(impossible.body.errors).toEqual([{ field: 'reportedOn', messages: ['reportedOn must be a real day as YYYY-MM-DD'] }]);
    expect((await get('auditor')).policeReport).toBeNull();
    await m
      .post('security_admin', `/incidents/${incidentId}/police-report`, {
        office: 'Polizia Postale - Compartimento di Roma',
        reportedOn: romeDate(new Date()),
        protocol: '4521/2026',
      })
      .expect(200);
    await m
      .post('security_admin', `/incidents/${incidentId}/dcsd-communication`, {
        sentOn: romeDate(new Date()),
        protocol: 'Prot. 889/2026 (PEC)',
      })
      .expect(200);
    const reported = await m.post('security_admin', `/incidents/${incidentId}/transitions`, { action: 'mark_reported' }).expect(200);
    expect(reported.body).toMatchObject({
      status: 'reported',
      policeReport: { protocol: '4521/2026' },
      dcsdCommunication: { protocol: 'Prot. 889/2026 (PEC)' },
      allowedActions: ['close'],
    });
  });

  it('produces the detailed report for the DCSD: a valid PDF in Italian with the facts, devices, containment, reports and evidence hashes', async () => {
    const res = await t
      .http()
      .get(m.api(`/incidents/${incidentId}/dcsd-report`))
      .auth(tokens.mayor_office!, { type: 'bearer' })
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="relazione-dcsd-incidente-${year}-0001-\\d{8}-\\d{4}\\.pdf"`),
    );
    const text = pdfText(res.body as Buffer).replace(/\s+/g, ' ');
    for (const expected of [
      'Direzione Centrale per i Servizi Demografici (DCSD)',
      `relazione dettagliata sull'incidente di sicurezza n. ${year}/0001 - Credenziali comunicate (Circolare DAIT n. 74 del 30 settembre 2025)`,
      'Azienda dichiarata: Assistenza Sogei',
      'Numero chiamante: +39 06 9999999',
      'Azioni compiute: sessione remota concessa, credenziali digitate o comunicate',
      'Credenziale «p.operatrice» - stato attuale: compromessa',
      'Postazione PC-ANAG-01',
      'Polizia: Polizia Postale - Compartimento di Roma',
      'protocollo 4521/2026',
      'Termine di 72 ore',
      createHash('sha256').update(PNG).digest('hex'),
      'schermata.png (image/png',
      'Incidente contenuto',
    ]) {
      expect(text).toContain(expected);
    }
    const timeline = (await get('security_admin')).timeline as Timeline;
    expect(timeline.at(-1)!.summary).toBe(
      `Relazione dettagliata per la DCSD prodotta (PDF, SHA-256 ${createHash('sha256')
        .update(res.body as Buffer)
        .digest('hex')}).`,
    );
  });

  it('keeps the GDPR side: assessment with reasons, notification to the Garante, people concerned; closes only once assessed', async () => {
    const early = await m.post('security_admin', `/incidents/${incidentId}/transitions`, { action: 'close', note: 'Chiuso' });
    expect(early.body.code).toBe('INCIDENT_BREACH_NOT_ASSESSED');
    const inconsistent = await m.post('auditor', `/incidents/${incidentId}/breach/assessment`, {
      assessment: 'no_notify',
      risk: 'high_risk',
      reasons: 'Dati anagrafici consultati da terzi',
    });
    expect(inconsistent.body.code).toBe('BREACH_ASSESSMENT_INCONSISTENT');
    await m
      .patch(
        'auditor',
        `/incidents/${incidentId}/breach`,
        { nature: 'Accesso remoto non autorizzato alla postazione di anagrafe', dataCategories: ['dati anagrafici'], subjectsApprox: 120 },
        '"1"',
      )
      .expect(200);
    const assessed = await m
      .post('auditor', `/incidents/${incidentId}/breach/assessment`, {
        assessment: 'notify',
        risk: 'risk',
        reasons: 'Consultazione possibile di dati anagrafici di circa 120 residenti',
      })
      .expect(200);
    expect(assessed.body).toMatchObject({ assessmentLabel: 'Da notificare al Garante', riskLabel: 'Rischio per i diritti e le libertà' });
    const notified = await m
      .post('security_admin', `/incidents/${incidentId}/breach/garante-notification`, {
        kind: 'preliminary',
        notifiedAt: new Date().toISOString(),
        reference: 'Fasc. 2026/778',
      })
      .expect(200);
    expect(notified.body).toMatchObject({ overdue: false, preliminaryNotification: { reference: 'Fasc. 2026/778' } });
    expect(notified.body.clockLabel).toMatch(/^Notificata al Garante il /);
    const late = await m.post('security_admin', `/incidents/${incidentId}/breach/garante-notification`, {
      kind: 'complete',
      notifiedAt: new Date(Date.now() + 4 * HOUR).toISOString(),
      reference: 'x',
    });
    expect(late.body.code).toBe('INCIDENT_TIMES_INVALID');
    await m
      .post('security_admin', `/incidents/${incidentId}/breach/data-subjects`, {
        decision: 'not_required',
        note: 'Rischio non elevato: nessun dato particolare coinvolto.',
      })
      .expect(200);
    await m
      .post('operator', `/incidents/${incidentId}/breach/assessment`, {
        assessment: 'notify',
        risk: 'risk',
        reasons: 'Non dovrebbe poterlo fare',
      })
      .expect(403);
    const closed = await m
      .post('security_admin', `/incidents/${incidentId}/transitions`, {
        action: 'close',
        note: 'Credenziali reimpostate, certificato revocato.',
      })
      .expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', allowedActions: [] });
    const after = await m.post('security_admin', `/incidents/${incidentId}/notes`, { text: 'tardi' });
    expect(after.body.code).toBe('INCIDENT_CLOSED');
  });

  it('keeps every possible breach in the art. 33(5) register, and exports it as CSV', async () => {
    await m
      .post('security_admin', '/incidents', {
        type: 'other',
        title: '=HYPERLINK("http://x")',
        description: 'Valutato come non rilevante',
        possibleBreach: true,
      })
      .expect(201);
    const register = await m.get('mayor_office', '/breach-register').expect(200);
    expect(register.body.items).toHaveLength(2);
    expect(register.body.items.find((e: { incidentId: string }) => e.incidentId === incidentId)).toMatchObject({
      incidentNumber: `${year}/0001`,
      assessment: 'notify',
    });
    await m.get('operator', '/breach-register').expect(403);
    const csv = await t.http().get(m.api('/breach-register/export.csv')).auth(tokens.auditor!, { type: 'bearer' }).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^incidente,titolo,tipo,conoscenza_acquisita,scadenza_72_ore,/);
    expect(lines).toHaveLength(3);
    expect(csv.text).toContain(`${year}/0001,Chiamata sospetta: sedicente tecnico di Assistenza Sogei,Credenziali comunicate,`);
    expect(csv.text).toContain('Da notificare al Garante');
    expect(csv.text).toContain('da valutare');
    expect(csv.text).toContain(`"'=HYPERLINK(""http://x"")"`);
  });
});
