import { DataSource } from 'typeorm';
import { IncidentNotifier } from '../../src/incidents/incident-notifier';
import { IncidentReminderSubject } from '../../src/incidents/incident-reminder-subject';
import { UnitOfWork } from '../../src/database/unit-of-work.service';
import { ReminderEntity } from '../../src/reminders/entities/reminder.entity';
import { memberApi, MemberApi } from '../support/incidents';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

/**
 * The incidents module's side of the notifications contract (docs/incidents.md, "Notifications"):
 * which call to the reminders module happens when, in the same transaction as the change, and the
 * ledger rows it leaves. Delivery by e-mail: incident-alert-mail.e2e.spec.ts.
 */
describe('Incident notifications: the calls to the reminders module', () => {
  let t: TestApp;
  let m: MemberApi;
  let notifier: IncidentNotifier;
  let orgId: string;
  let alsId: string;
  const ledger = (subjectId: string) =>
    t.app.get(UnitOfWork).read((em) => em.getRepository(ReminderEntity).find({ where: { subjectType: 'incident', subjectId } }));

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = await createOrgWithMembers(t, admin, ['security_admin', 'operator', 'auditor']);
    orgId = org.orgId;
    alsId = org.userIds.security_admin!;
    m = memberApi(t, org.orgId, org.tokens);
    notifier = t.app.get(IncidentNotifier);
  }, 60_000);
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t.close());

  it('alerts the ALS once per quick report, and tells the operator to call if nothing could be queued', async () => {
    const alert = jest.spyOn(notifier, 'alertReportedInTx');
    const heard = await m
      .post('operator', '/incidents/quick-report', { claimedCompany: 'Alfa', requested: ['remote_access'], done: ['nothing'] })
      .expect(201);
    expect(alert).toHaveBeenCalledTimes(1);
    expect(alert.mock.calls[0]![1]).toMatchObject({ id: heard.body.id, number: heard.body.number, type: 'suspicious_call' });
    expect(heard.body.alsNotified).toBe(true);
    expect(heard.body.message).toContain("L'Amministratore locale della sicurezza è stato avvisato.");
    // One ALS member: e-mail and in-app, due now, step 0.
    const rows = await ledger(heard.body.id);
    expect(rows.map((r) => `${r.stepDays}:${r.channel}:${r.recipient}`).sort()).toEqual([
      `0:email:user:${alsId}`,
      `0:in_app:user:${alsId}`,
    ]);
    const incident = (await m.get('operator', `/incidents/${heard.body.id}`).expect(200)).body;
    expect(incident.timeline.find((e: { type: string }) => e.type === 'alert_sent').summary).toBe(
      "Avviso ad alta priorità all'Amministratore locale della sicurezza su tutti i canali (2 messaggi).",
    );

    alert.mockResolvedValue(0);
    const quiet = await m
      .post('operator', '/incidents/quick-report', { claimedCompany: 'Alfa', requested: ['remote_access'], done: ['nothing'] })
      .expect(201);
    expect(quiet.body).toMatchObject({ alsNotified: false });
    expect(quiet.body.message).toContain("Avvisa subito a voce l'Amministratore locale della sicurezza.");
  });

  it('schedules the GDPR reminders when a breach is flagged, and cancels them when the assessment is recorded', async () => {
    const schedule = jest.spyOn(notifier, 'scheduleBreachRemindersInTx');
    const cancel = jest.spyOn(notifier, 'cancelBreachRemindersInTx');
    const report = await m
      .post('operator', '/incidents/quick-report', { claimedCompany: 'Alfa', requested: ['credentials'], done: ['credentials_disclosed'] })
      .expect(201);
    expect(schedule).toHaveBeenCalledTimes(1);
    const [, incident, breach] = schedule.mock.calls[0]!;
    expect(incident.id).toBe(report.body.id);
    expect(breach.deadlineAt.getTime() - breach.awareAt.getTime()).toBe(72 * 3_600_000);
    expect(cancel).not.toHaveBeenCalled();
    // 24, 48, 66 calendar hours after awareness, to the ALS (e-mail, in-app) and the DPO mailbox.
    const gdpr = (await ledger(report.body.id)).filter((r) => r.stepDays > 0);
    expect(gdpr).toHaveLength(9);
    for (const r of gdpr) {
      expect(r.sendAt.getTime() - breach.awareAt.getTime()).toBe(r.stepDays * 3_600_000);
      expect(r.expiresAt.getTime()).toBe(breach.deadlineAt.getTime());
    }
    expect([...new Set(gdpr.map((r) => r.stepDays))].sort((a, b) => a - b)).toEqual([24, 48, 66]);
    expect(gdpr.filter((r) => r.recipient === 'mailbox:dpo').map((r) => r.channel)).toEqual(['email', 'email', 'email']);

    await m
      .post('auditor', `/incidents/${report.body.id}/breach/assessment`, {
        assessment: 'notify',
        risk: 'risk',
        reasons: 'Credenziali ANPR comunicate a terzi',
      })
      .expect(200);
    expect(cancel).toHaveBeenCalledTimes(1);
    expect(cancel.mock.calls[0]![2]).toBe('assessment_recorded');
    const after = await ledger(report.body.id);
    expect(after.filter((r) => r.stepDays > 0).every((r) => r.state === 'cancelled')).toBe(true);
    // The alert is not a GDPR reminder: the assessment does not stop it.
    expect(after.filter((r) => r.stepDays === 0).some((r) => r.state === 'cancelled')).toBe(false);
    const timeline = (await m.get('security_admin', `/incidents/${report.body.id}`).expect(200)).body.timeline as {
      type: string;
      summary: string;
    }[];
    expect(timeline.find((e) => e.type === 'breach_assessed')!.summary).toMatch(/Promemoria GDPR interrotti: 9\.$/);
  });

  it('gives the reminders module the Italian text of incident rows and tells it when a GDPR row is obsolete', async () => {
    const subject = t.app.get(IncidentReminderSubject);
    const em = t.app.get(DataSource).manager;
    const report = await m
      .post('operator', '/incidents/quick-report', { claimedCompany: 'Alfa', requested: ['credentials'], done: ['credentials_disclosed'] })
      .expect(201);
    const incident = (await m.get('security_admin', `/incidents/${report.body.id}`).expect(200)).body;
    const row = (stepDays: number, expiresAt = new Date(incident.breach.deadlineAt)) => ({
      organizationId: orgId,
      subjectId: incident.id,
      stepDays,
      expiresAt,
    });

    const alert = await subject.compose(em, row(0));
    expect(alert.subject).toBe(`[URGENTE] Segnalazione di sicurezza n. ${incident.number}: Credenziali comunicate`);
    const reminder = await subject.compose(em, row(48));
    expect(reminder.subject).toBe(`Violazione di dati personali, incidente n. ${incident.number}: 24 ore alla scadenza per il Garante`);

    expect(await subject.obsoleteReason(em, row(24))).toBeNull();
    expect(await subject.obsoleteReason(em, row(24, new Date(0)))).toBe('aware_at changed');
    await m
      .post('auditor', `/incidents/${incident.id}/breach/assessment`, {
        assessment: 'no_notify',
        risk: 'unlikely_risk',
        reasons: 'Credenziali reimpostate entro pochi minuti',
      })
      .expect(200);
    expect(await subject.obsoleteReason(em, row(66))).toBe('assessment recorded');
    expect(await subject.obsoleteReason(em, row(0))).toBeNull();
  });

  it('rolls the incident back when the alert cannot be written (the ledger is the outbox: both or neither)', async () => {
    jest.spyOn(notifier, 'alertReportedInTx').mockRejectedValue(new Error('ledger unavailable'));
    const before = (await m.get('security_admin', '/incidents').expect(200)).body.items.length;
    const res = await m.post('operator', '/incidents/quick-report', {
      claimedCompany: 'Alfa',
      requested: ['remote_access'],
      done: ['nothing'],
    });
    expect(res.status).toBe(500);
    expect((await m.get('security_admin', '/incidents').expect(200)).body.items).toHaveLength(before);
  });
});
