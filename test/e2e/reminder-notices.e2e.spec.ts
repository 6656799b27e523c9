import { randomUUID } from 'node:crypto';
import { FindOptionsWhere } from 'typeorm';
import { UnitOfWork } from '../../src/database/unit-of-work.service';
import { ReminderEntity } from '../../src/reminders/entities/reminder.entity';
import { NoticesService } from '../../src/reminders/notices.service';
import { ReminderDispatcher } from '../../src/reminders/reminder-dispatcher.service';
import { ReminderSubjects } from '../../src/reminders/reminder-subjects';
import { setNow, startSmtp, waitFor } from '../support/reminders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

/**
 * Notices about a subject another module owns (the incidents module's alert and GDPR reminders):
 * the owner registers its texts and its "still applies?" answer; the ledger, the queue and the
 * channels are the reminders module's.
 */
describe('Notices for subjects owned by other modules', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let orgId: string;
  let alsId: string;
  let restore: () => void;
  const incidentId = randomUUID();
  let closed = false;
  const ledger = (where: FindOptionsWhere<ReminderEntity>) =>
    t.app
      .get(UnitOfWork)
      .read((em) => em.getRepository(ReminderEntity).find({ where: { organizationId: orgId, subjectId: incidentId, ...where } }));

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({ workers: true, env: { SMTP_URL: smtp.url, LOGIN_RATE_PER_MINUTE: '1000' } });
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = await createOrgWithMembers(t, admin, ['security_admin']);
    orgId = org.orgId;
    alsId = org.userIds.security_admin!;
    await t
      .http()
      .patch(`/api/v1/orgs/${orgId}`)
      .auth(org.tokens.security_admin!, { type: 'bearer' })
      .send({ settings: { dpoEmail: 'rpd@comune.test' } })
      .expect(200);
    restore = t.app.get(ReminderSubjects).register('incident', {
      compose: async (_em, row) => ({
        subject: row.stepDays === 0 ? '[URGENTE] Segnalazione di sicurezza n. 7' : `Violazione dei dati: ${row.stepDays} ore`,
        lines: ['Un operatore ha segnalato una chiamata sospetta.'],
        webhookType: row.stepDays === 0 ? 'incident.reported' : 'incident.gdpr_reminder',
      }),
      obsoleteReason: async (_em, row) => (closed && row.stepDays > 0 ? 'assessment recorded' : null),
    });
  }, 120_000);
  afterAll(async () => {
    restore();
    jest.restoreAllMocks();
    await t.close();
    await smtp.close();
  });

  it('sends an alert at once to every ALS and the DPO, once', async () => {
    setNow('2026-06-13T20:00:00Z'); // a Saturday evening: no working-day shift for notices
    const notices = t.app.get(NoticesService);
    const first = await t.app.get(UnitOfWork).run((tx) =>
      notices.notifyNowInTx(tx, {
        organizationId: orgId,
        subjectType: 'incident',
        subjectId: incidentId,
        step: 0,
        audiences: ['als', 'dpo'],
      }),
    );
    const again = await t.app.get(UnitOfWork).run((tx) =>
      notices.notifyNowInTx(tx, {
        organizationId: orgId,
        subjectType: 'incident',
        subjectId: incidentId,
        step: 0,
        audiences: ['als', 'dpo'],
      }),
    );
    expect(first).toHaveLength(3); // ALS e-mail + in-app, DPO e-mail
    expect(again).toHaveLength(0);
    await waitFor('alert e-mails', async () => smtp.mails.length >= 2);
    const rows = await waitFor('alert rows sent', async () => {
      const r = await ledger({ stepDays: 0 });
      return r.every((x) => x.state === 'sent') ? r : null;
    });
    expect(rows.map((r) => r.recipient).sort()).toEqual([`user:${alsId}`, `user:${alsId}`, 'mailbox:dpo'].sort());
    expect(smtp.mails.map((m) => m.to[0]).sort()).toEqual([`security_admin.${orgId.slice(0, 8)}@comune.test`, 'rpd@comune.test'].sort());
    expect(smtp.mails.every((m) => m.parsed.subject?.startsWith('[URGENTE] Segnalazione di sicurezza n. 7 (rif. R-'))).toBe(true);
    expect(smtp.mails.every((m) => m.parsed.text?.includes('apri Custode come di consueto'))).toBe(true);
  });

  it('schedules reminders at calendar hours and stops them when the owner says they no longer apply', async () => {
    const notices = t.app.get(NoticesService);
    const aware = new Date('2026-06-13T20:00:00Z');
    const at = (h: number) => new Date(aware.getTime() + h * 3_600_000);
    const created = await t.app.get(UnitOfWork).run((tx) =>
      notices.scheduleInTx(tx, {
        organizationId: orgId,
        subjectType: 'incident',
        subjectId: incidentId,
        audiences: ['als', 'dpo'],
        expiresAt: at(72),
        steps: [24, 48, 66].map((h) => ({ step: h, sendAt: at(h) })),
      }),
    );
    expect(created).toHaveLength(9);
    const rows = await ledger({ stepDays: 24 });
    expect(rows.every((r) => r.sendAt.toISOString() === '2026-06-14T20:00:00.000Z' && r.dueOn === '2026-06-14')).toBe(true);
    // 25 hours later (a Sunday): the 24-hour reminder goes, the others wait.
    setNow('2026-06-14T21:00:00Z');
    expect(await t.app.get(ReminderDispatcher).dispatchDue()).toBe(3);
    await waitFor('24-hour reminders sent', async () => (await ledger({ stepDays: 24 })).every((r) => r.state === 'sent'));
    expect((await ledger({ stepDays: 48 })).every((r) => r.state === 'pending')).toBe(true);
    // The owner closes the case: a due row is cancelled by the worker, the rest by cancelOpenInTx.
    closed = true;
    setNow('2026-06-15T21:00:00Z');
    await t.app.get(ReminderDispatcher).dispatchDue();
    await waitFor('48-hour rows cancelled', async () =>
      (await ledger({ stepDays: 48 })).every((r) => r.state === 'cancelled' && r.closedReason === 'assessment recorded'),
    );
    expect(await t.app.get(UnitOfWork).run((tx) => notices.cancelOpenInTx(tx, 'incident', incidentId, 'assessment recorded'))).toBe(3);
    expect((await ledger({ stepDays: 66 })).every((r) => r.state === 'cancelled')).toBe(true);
    expect(smtp.mails.filter((m) => m.parsed.subject?.startsWith('Violazione'))).toHaveLength(2);
  });
});
