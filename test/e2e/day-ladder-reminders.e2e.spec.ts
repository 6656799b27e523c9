import { FindOptionsWhere } from 'typeorm';
import { ORG_ROLES } from '../../src/auth/roles';
import { UnitOfWork } from '../../src/database/unit-of-work.service';
import { ReminderEntity } from '../../src/reminders/entities/reminder.entity';
import { ReminderDispatcher } from '../../src/reminders/reminder-dispatcher.service';
import { auth, insertHolder, nominate } from '../support/nomination-fixtures';
import { ReceivedMail, createHolder, setNow, startSmtp, waitFor } from '../support/reminders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

/**
 * The ladders that count down to a day: a nomination's last day in force (to the nominee and the
 * Mayor's office) and a credential's password rotation (to the holder and the ALS). Real SMTP
 * server, real Redis, workers inline; "now" is fixed through the shared clock.
 */
describe('Nomination and password rotation reminders (issue 6)', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let admin: string;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({
      workers: true,
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'Custode <custode@comune.test>', NOTIFY_BACKOFF_MS: '50', LOGIN_RATE_PER_MINUTE: '1000' },
    });
    admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
  }, 120_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
    await smtp.close();
  });

  const ledger = (orgId: string, where: FindOptionsWhere<ReminderEntity>) =>
    t.app
      .get(UnitOfWork)
      .read((em) => em.getRepository(ReminderEntity).find({ where: { organizationId: orgId, ...where }, order: { stepDays: 'DESC' } }));
  const sweep = async (orgId: string, token: string): Promise<number> =>
    (await t.http().post(`/api/v1/orgs/${orgId}/reminders/sweep`).set(auth(token)).expect(200)).body.created as number;
  const mailsWith = (subject: string): ReceivedMail[] => smtp.mails.filter((m) => m.parsed.subject?.includes(subject));
  /** Waits until every row of `where` has been delivered (or cancelled) and answers the rows. */
  const delivered = (orgId: string, where: FindOptionsWhere<ReminderEntity>) =>
    waitFor('rows delivered', async () => {
      const rows = await ledger(orgId, where);
      return rows.length > 0 && rows.every((r) => r.state === 'sent') ? rows : null;
    });
  const noLink = (m: ReceivedMail) => {
    const all = `${m.parsed.text ?? ''}${typeof m.parsed.html === 'string' ? m.parsed.html : ''}`;
    expect(all).not.toMatch(/https?:|www\.|<a\s|href=/i);
    expect(m.parsed.attachments).toHaveLength(0);
  };

  it('a nomination with an end date reminds the nominee and the Mayor’s office once per step, on the Rome day, until it is renewed', async () => {
    const { orgId, tokens, userIds } = await createOrgWithMembers(t, admin, ORG_ROLES);
    const mayorEmail = `mayor_office.${orgId.slice(0, 8)}@comune.test`;
    const rossi = await insertHolder(t, orgId, { firstName: 'Mario', lastName: 'Rossi', email: 'mario.rossi@comune.test' });
    // Wednesday 10 June 2026, 10:00 in Rome; the deputy ALS is in force until Wednesday 24 June: step 14 is due today.
    setNow('2026-06-10T08:00:00Z');
    const ending = await nominate(t, orgId, tokens.mayor_office!, { role: 'als_deputy', holderId: rossi, effectiveUntil: '2026-06-24' });

    // Activation wrote the step at once; three sweeps add nothing.
    const step14 = await ledger(orgId, { subjectId: ending.id });
    expect(step14.map((r) => `${r.stepDays}/${r.dueOn}/${r.channel}/${r.recipient}/${r.audience}`).sort()).toEqual(
      [
        `14/2026-06-10/email/holder:${rossi}/nominee`,
        `14/2026-06-10/email/user:${userIds.mayor_office}/mayor_office`,
        `14/2026-06-10/in_app/user:${userIds.mayor_office}/mayor_office`,
      ].sort(),
    );
    expect(step14.every((r) => r.subjectType === 'nomination' && r.expiresAt.toISOString() === '2026-06-23T22:00:00.000Z')).toBe(true);
    for (let i = 0; i < 3; i++) expect(await sweep(orgId, tokens.security_admin!)).toBe(0);

    await delivered(orgId, { subjectId: ending.id, stepDays: 14 });
    const first = mailsWith('Nomina ALS vicario in scadenza il 24/06/2026');
    expect(first.map((m) => m.to[0]).sort()).toEqual(['mario.rossi@comune.test', mayorEmail].sort());
    for (const m of first) {
      expect(m.parsed.subject).toMatch(/^Nomina ALS vicario in scadenza il 24\/06\/2026 \(rif\. R-[0-9A-F]{8}\)$/);
      expect(m.parsed.text).toContain('La nomina di Mario Rossi come Vice amministratore locale della sicurezza (ALS vicario)');
      expect(m.parsed.text).toContain('termina il 24/06/2026 (tra 14 giorni)');
      expect(m.parsed.text).toContain('serve un nuovo decreto del Sindaco');
      expect(m.parsed.text).toContain('apri Custode come di consueto');
      expect(m.parsed.text).toContain(m.parsed.subject!.match(/R-[0-9A-F]{8}/)![0]);
      noLink(m);
    }

    // Step 7 falls due on Wednesday 17 June in Rome: not at 23:30 on the 16th, yes at 00:30 on the 17th (22:30Z, still the 16th in UTC).
    setNow('2026-06-16T21:30:00Z');
    expect(await sweep(orgId, tokens.security_admin!)).toBe(0);
    setNow('2026-06-16T22:30:00Z');
    expect(await sweep(orgId, tokens.security_admin!)).toBe(3);
    expect(await sweep(orgId, tokens.security_admin!)).toBe(0);
    const step7 = await ledger(orgId, { subjectId: ending.id, stepDays: 7 });
    expect(step7.every((r) => r.dueOn === '2026-06-17' && r.sendAt.toISOString() === '2026-06-17T07:00:00.000Z')).toBe(true);
    // Step 7 escalates by default: the Mayor's office copy says so.
    expect(step7.filter((r) => r.escalation).map((r) => r.audience)).toEqual(['mayor_office', 'mayor_office']);
    setNow('2026-06-17T07:30:00Z');
    await t.app.get(ReminderDispatcher).dispatchDue();
    await delivered(orgId, { subjectId: ending.id, stepDays: 7 });
    expect(mailsWith('[Ufficio del Sindaco] Nomina ALS vicario').map((m) => m.to[0])).toEqual([mayorEmail]);
    expect(mailsWith('Nomina ALS vicario')).toHaveLength(4);

    // Tuesday 23 June, 07:00 in Rome: step 1 is written for 09:00; the Mayor signs the renewal first.
    setNow('2026-06-23T05:00:00Z');
    expect(await sweep(orgId, tokens.security_admin!)).toBe(3);
    await nominate(t, orgId, tokens.mayor_office!, { role: 'als_deputy', holderId: rossi, effectiveFrom: '2026-06-25' }, 'signed');
    const step1 = await ledger(orgId, { subjectId: ending.id, stepDays: 1 });
    expect(step1.map((r) => `${r.state}/${r.closedReason}`)).toEqual(['cancelled/renewed', 'cancelled/renewed', 'cancelled/renewed']);
    setNow('2026-06-24T08:00:00Z');
    await t.app.get(ReminderDispatcher).dispatchDue();
    expect(await sweep(orgId, tokens.security_admin!)).toBe(0);
    expect(mailsWith('Nomina ALS vicario')).toHaveLength(4);
  });

  it('a revoked nomination stops its reminders', async () => {
    const { orgId, tokens } = await createOrgWithMembers(t, admin, ['mayor_office', 'security_admin']);
    const verdi = await insertHolder(t, orgId, { firstName: 'Giuseppe', lastName: 'Verdi', email: 'g.verdi@comune.test' });
    // Friday 11 September 2026, 07:00 in Rome: the ALP ends on Sunday 11 October, so step 30 is due today.
    setNow('2026-09-11T05:00:00Z');
    const alp = await nominate(t, orgId, tokens.mayor_office!, { role: 'alp', holderId: verdi, effectiveUntil: '2026-10-11' });
    expect((await ledger(orgId, { subjectId: alp.id })).map((r) => `${r.stepDays}/${r.dueOn}/${r.state}`)).toEqual([
      '30/2026-09-11/pending',
      '30/2026-09-11/pending',
      '30/2026-09-11/pending',
    ]);
    await t
      .http()
      .post(`/api/v1/orgs/${orgId}/nominations/${alp.id}/revoke`)
      .set(auth(tokens.mayor_office!))
      .send({ reason: 'Trasferito ad altro ente' })
      .expect(200);
    expect((await ledger(orgId, { subjectId: alp.id })).every((r) => r.state === 'cancelled' && r.closedReason === 'status:revoked')).toBe(
      true,
    );
    setNow('2026-09-11T08:00:00Z');
    await t.app.get(ReminderDispatcher).dispatchDue();
    expect(await sweep(orgId, tokens.security_admin!)).toBe(0);
    expect(mailsWith('Nomina ALP')).toHaveLength(0);
  });

  it('a credential’s password rotation reminds its holder and the ALS beside its own expiry ladder, and stops when the password is changed', async () => {
    const { orgId, tokens, userIds } = await createOrgWithMembers(t, admin, ['security_admin', 'mayor_office']);
    const als = tokens.security_admin!;
    const alsEmail = `security_admin.${orgId.slice(0, 8)}@comune.test`;
    const holder = await createHolder(t, als, orgId, 7101, 'anna.bianchi@comune.test');
    // Tuesday 16 June 2026, 10:00 in Rome. Changed on 1 April, every 90 days: due Tuesday 30 June (step 14 today);
    // the account itself also expires on 30 June: a ladder of its own (subject "device").
    setNow('2026-06-16T08:00:00Z');
    const created = await t
      .http()
      .post(`/api/v1/orgs/${orgId}/credentials`)
      .set(auth(als))
      .send({
        system: 'registry_software',
        username: 'abianchi',
        holderId: holder,
        lastRotatedOn: '2026-04-01',
        rotationDays: 90,
        expiresAt: '2026-06-30T16:00:00Z',
        initialStatus: 'active',
      })
      .expect(201);
    const deviceId = created.body.id as string;
    expect(created.body.rotationDueOn).toBe('2026-06-30');
    const rotation = await ledger(orgId, { subjectType: 'rotation', subjectId: deviceId });
    expect(rotation.map((r) => `${r.stepDays}/${r.dueOn}/${r.channel}/${r.recipient}/${r.audience}`).sort()).toEqual(
      [
        `14/2026-06-16/email/holder:${holder}/holder`,
        `14/2026-06-16/email/user:${userIds.security_admin}/als`,
        `14/2026-06-16/in_app/user:${userIds.security_admin}/als`,
      ].sort(),
    );
    // Same device, step, channel and recipient, another subject: both ladders have their rows.
    expect(await ledger(orgId, { subjectType: 'device', subjectId: deviceId })).toHaveLength(3);
    for (let i = 0; i < 3; i++) expect(await sweep(orgId, als)).toBe(0);

    await delivered(orgId, { subjectType: 'rotation', subjectId: deviceId });
    const mails = mailsWith('Cambio password da fare entro il 30/06/2026');
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['anna.bianchi@comune.test', alsEmail].sort());
    for (const m of mails) {
      expect(m.parsed.text).toContain(
        "La password dell'account «abianchi» (Software anagrafico (web service)) va cambiata entro il 30/06/2026 (tra 14 giorni)",
      );
      expect(m.parsed.text).toContain('cambio password ogni 90 giorni');
      expect(m.parsed.text).toContain('apri Custode come di consueto');
      expect(m.parsed.text).toContain(m.parsed.subject!.match(/R-[0-9A-F]{8}/)![0]);
      noLink(m);
    }
    await delivered(orgId, { subjectType: 'device', subjectId: deviceId });
    expect(mailsWith('Credenziale in scadenza il 30/06/2026')).toHaveLength(2);

    // Tuesday 23 June, 07:00 in Rome: step 7 written for 09:00 (rotation 3 rows; expiry 5, it escalates to
    // the Mayor's office); the holder changes the password first.
    setNow('2026-06-23T05:00:00Z');
    expect(await sweep(orgId, als)).toBe(8);
    expect((await ledger(orgId, { subjectType: 'rotation', subjectId: deviceId, stepDays: 7 })).every((r) => r.state === 'pending')).toBe(
      true,
    );
    const patched = await t
      .http()
      .patch(`/api/v1/orgs/${orgId}/devices/${deviceId}`)
      .set(auth(als))
      .set('If-Match', `"${created.body.version as number}"`)
      .send({ lastRotatedOn: '2026-06-22' })
      .expect(200);
    expect(patched.body.rotationDueOn).toBe('2026-09-20');
    const step7 = await ledger(orgId, { subjectType: 'rotation', subjectId: deviceId, stepDays: 7 });
    expect(step7.map((r) => `${r.state}/${r.closedReason}`)).toEqual(Array(3).fill('cancelled/recomputed: rotation due on 2026-09-20'));
    // The account's own expiry ladder is untouched.
    expect((await ledger(orgId, { subjectType: 'device', subjectId: deviceId, stepDays: 7 })).every((r) => r.state === 'pending')).toBe(
      true,
    );
    setNow('2026-06-23T08:00:00Z');
    await t.app.get(ReminderDispatcher).dispatchDue();
    await delivered(orgId, { subjectType: 'device', subjectId: deviceId, stepDays: 7 });
    expect(mailsWith('Cambio password')).toHaveLength(2);

    // The new ladder follows the new day: step 14 of Sunday 20 September falls on Sunday 6, so it is due on Friday 4 September.
    setNow('2026-09-03T08:00:00Z');
    expect(await sweep(orgId, als)).toBe(0);
    setNow('2026-09-04T05:00:00Z'); // 07:00 in Rome: written for 09:00
    expect(await sweep(orgId, als)).toBe(3);
    expect(
      (await ledger(orgId, { subjectType: 'rotation', subjectId: deviceId, stepDays: 14 })).filter((r) => r.dueOn === '2026-09-04'),
    ).toHaveLength(3);
    // Deleting the account ends the ladder before those go out.
    const current = await t.http().get(`/api/v1/orgs/${orgId}/devices/${deviceId}`).set(auth(als)).expect(200);
    await t
      .http()
      .post(`/api/v1/orgs/${orgId}/devices/${deviceId}/transitions`)
      .set(auth(als))
      .set('If-Match', `"${current.body.version as number}"`)
      .send({ action: 'delete', reason: 'no_longer_needed' })
      .expect(200);
    const open = await ledger(orgId, { subjectType: 'rotation', subjectId: deviceId, dueOn: '2026-09-04' });
    expect(open.map((r) => `${r.state}/${r.closedReason}`)).toEqual(Array(3).fill('cancelled/status:deleted'));
    setNow('2026-09-04T08:00:00Z');
    await t.app.get(ReminderDispatcher).dispatchDue();
    expect(mailsWith('Cambio password')).toHaveLength(2);
  });

  it('the two ladders have their own policies: defaults listed, editable and validated like the others', async () => {
    const { orgId, tokens } = await createOrgWithMembers(t, admin, ['security_admin']);
    const als = tokens.security_admin!;
    const policies = (await t.http().get(`/api/v1/orgs/${orgId}/reminder-policies`).set(auth(als)).expect(200)).body.items as {
      subjectKind: string;
      steps: number[];
      escalateSteps: number[];
    }[];
    expect(policies.find((p) => p.subjectKind === 'nomination')).toMatchObject({
      steps: [90, 60, 30, 14, 7, 1, 0],
      escalateSteps: [7, 1, 0],
    });
    expect(policies.find((p) => p.subjectKind === 'credential_rotation')).toMatchObject({ steps: [14, 7, 1, 0], escalateSteps: [] });
    const put = (body: object) => t.http().put(`/api/v1/orgs/${orgId}/reminder-policies/credential_rotation`).set(auth(als)).send(body);
    expect((await put({ steps: [30, -1], sendHour: 8, channels: ['email'], escalateSteps: [] })).body.code).toBe('REMINDER_POLICY_INVALID');
    expect((await put({ steps: [30, 7], sendHour: 8, channels: ['email'], escalateSteps: [0] })).body.code).toBe('REMINDER_POLICY_INVALID');
    await put({ steps: [30, 7, 0], sendHour: 8, channels: ['email'], escalateSteps: [] }).expect(200);

    // Thursday 1 October 2026, 07:00 in Rome: changed on 3 July, every 120 days, due Saturday 31 October: step 30 is due today, at 08:00.
    setNow('2026-10-01T05:00:00Z');
    const holder = await createHolder(t, als, orgId, 7202, 'carla.neri@comune.test');
    const created = await t
      .http()
      .post(`/api/v1/orgs/${orgId}/credentials`)
      .set(auth(als))
      .send({ system: 'anpr_console', username: 'cneri', holderId: holder, lastRotatedOn: '2026-07-03', rotationDays: 120 })
      .expect(201);
    const rows = await ledger(orgId, { subjectType: 'rotation', subjectId: created.body.id as string });
    expect(rows.map((r) => `${r.stepDays}/${r.dueOn}/${r.channel}/${r.sendAt.toISOString()}`)).toEqual([
      '30/2026-10-01/email/2026-10-01T06:00:00.000Z',
      '30/2026-10-01/email/2026-10-01T06:00:00.000Z',
    ]);
  });
});
