import { FindOptionsWhere } from 'typeorm';
import { jobActor } from '../../src/audit/actor';
import { ORG_ROLES } from '../../src/auth/roles';
import { UnitOfWork } from '../../src/database/unit-of-work.service';
import { ReminderEntity } from '../../src/reminders/entities/reminder.entity';
import { ReminderDispatcher } from '../../src/reminders/reminder-dispatcher.service';
import { ReminderSweepService } from '../../src/reminders/reminder-sweep.service';
import { createCard, createHolder, setNow, startSmtp, waitFor } from '../support/reminders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

/**
 * The reminder ledger, the sweep and e-mail delivery over HTTP, with a real SMTP server, real
 * Redis (own prefix) and the workers inline. "Now" is fixed through the shared clock.
 */
describe('Reminders (issue 6)', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let admin: string;
  let n = 0;

  beforeAll(async () => {
    smtp = await startSmtp({ failFirst: 2 });
    t = await createTestApp({
      workers: true,
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Custode <custode@comune.test>',
        NOTIFY_BACKOFF_MS: '50',
        NOTIFY_MAX_ATTEMPTS: '5',
        LOGIN_RATE_PER_MINUTE: '1000',
      },
    });
    admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
  }, 120_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
    await smtp.close();
  });

  async function comune(settings: Record<string, string> = {}) {
    const org = await createOrgWithMembers(t, admin, ORG_ROLES);
    if (Object.keys(settings).length > 0) {
      await t.http().patch(`/api/v1/orgs/${org.orgId}`).auth(org.tokens.security_admin!, { type: 'bearer' }).send({ settings }).expect(200);
    }
    return { ...org, als: org.tokens.security_admin! };
  }
  const sweep = (orgId: string, token: string) => t.http().post(`/api/v1/orgs/${orgId}/reminders/sweep`).auth(token, { type: 'bearer' });
  /** The ledger rows of one device through the API (they are written when the device changes). */
  const rowsOf = async (orgId: string, token: string, deviceId: string) =>
    (await t.http().get(`/api/v1/orgs/${orgId}/reminders?deviceId=${deviceId}&limit=200`).auth(token, { type: 'bearer' }).expect(200)).body
      .items as { id: string; state: string; stepDays: number; dueOn: string; escalation: boolean; deviceId: string }[];
  const ledger = (orgId: string, where: FindOptionsWhere<ReminderEntity> = {}) =>
    t.app
      .get(UnitOfWork)
      .read((em) => em.getRepository(ReminderEntity).find({ where: { organizationId: orgId, ...where }, order: { createdAt: 'ASC' } }));

  describe('sweep, ledger and e-mail', () => {
    let org: Awaited<ReturnType<typeof comune>>;
    let cardA: string;
    let cardB: string;

    beforeAll(async () => {
      org = await comune({ mayorOfficeEmail: 'sindaco@comune.test' });
      const holderA = await createHolder(t, org.als, org.orgId, ++n + 100, 'titolare.a@comune.test');
      const holderB = await createHolder(t, org.als, org.orgId, ++n + 100, 'titolare.b@comune.test');
      // 10:00 in Rome on Wednesday 10 June 2026, after the default sending hour (9).
      setNow('2026-06-10T08:00:00Z');
      cardA = await createCard(t, org.als, org.orgId, `A-${n}`, '2026-06-30T10:00:00Z', holderA); // 20 days: step 30
      cardB = await createCard(t, org.als, org.orgId, `B-${n}`, '2026-06-17T10:00:00Z', holderB); // 7 days: step 7, escalates
      await createCard(t, org.als, org.orgId, `C-${n}`, '2026-12-01T10:00:00Z', holderA); // nothing due
    });

    it('writes one row per step, channel and recipient when the device is registered, and nothing more when swept again', async () => {
      // The inventory runs the sweep for a device in the transaction that registers it.
      const written = [...(await rowsOf(org.orgId, org.als, cardA)), ...(await rowsOf(org.orgId, org.als, cardB))];
      // A: holder (e-mail) + ALS (e-mail, in-app) = 3; B: holder + ALS (2) + Mayor user (2) + Mayor mailbox = 6.
      expect(written).toHaveLength(9);
      expect(await ledger(org.orgId)).toHaveLength(9);
      const byDevice = (id: string) => written.filter((i) => i.deviceId === id);
      expect(byDevice(cardA).map((i) => i.stepDays)).toEqual([30, 30, 30]);
      expect(byDevice(cardA)[0]).toMatchObject({ dueOn: '2026-05-29' });
      expect(byDevice(cardB).every((i) => i.stepDays === 7 && i.dueOn === '2026-06-10')).toBe(true);
      expect(byDevice(cardB).filter((i) => i.escalation)).toHaveLength(3);
      for (let run = 0; run < 3; run++) expect((await sweep(org.orgId, org.als).expect(200)).body.created).toBe(0);
      // And the daily job's incremental run on the same day adds nothing either.
      await t.app.get(ReminderSweepService).sweepAll(jobActor('test'));
      expect(await ledger(org.orgId)).toHaveLength(9);
    });

    it('lists the ledger with the contract fields, filtered by state and device', async () => {
      const res = await t.http().get(`/api/v1/orgs/${org.orgId}/reminders?deviceId=${cardA}`).auth(org.als, { type: 'bearer' }).expect(200);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.items).toHaveLength(3);
      for (const item of res.body.items) {
        expect(Object.keys(item)).toEqual(expect.arrayContaining(['id', 'state', 'stepDays', 'dueOn', 'channel', 'recipient', 'deviceId']));
      }
      const paged = await t
        .http()
        .get(`/api/v1/orgs/${org.orgId}/reminders?limit=4`)
        .auth(org.tokens.auditor!, { type: 'bearer' })
        .expect(200);
      expect(paged.body.items).toHaveLength(4);
      const rest = await t
        .http()
        .get(`/api/v1/orgs/${org.orgId}/reminders?limit=50&cursor=${paged.body.nextCursor}`)
        .auth(org.als, { type: 'bearer' })
        .expect(200);
      expect(rest.body.items).toHaveLength(5);
      await t.http().get(`/api/v1/orgs/${org.orgId}/reminders?state=bogus`).auth(org.als, { type: 'bearer' }).expect(400);
      await sweep(org.orgId, org.tokens.workstation_admin!).expect(403);
    });

    it('delivers each e-mail once, in Italian, without links, with the ledger id as Message-ID', async () => {
      const emails = await waitFor('six e-mails sent', async () => {
        const rows = await ledger(org.orgId, { channel: 'email' });
        return rows.length === 6 && rows.every((r) => r.state === 'sent') ? rows : null;
      });
      await waitFor('in-app rows sent', async () => (await ledger(org.orgId, { channel: 'in_app' })).every((r) => r.state === 'sent'));
      const mine = smtp.mails.filter((m) => emails.some((r) => m.parsed.messageId === `<${r.id}@custode.reminders>`));
      expect(mine).toHaveLength(6);
      expect(new Set(mine.map((m) => m.parsed.messageId)).size).toBe(6);
      expect(mine.flatMap((m) => m.to).sort()).toEqual(
        [
          'titolare.a@comune.test',
          'titolare.b@comune.test',
          `security_admin.${org.orgId.slice(0, 8)}@comune.test`,
          `security_admin.${org.orgId.slice(0, 8)}@comune.test`,
          `mayor_office.${org.orgId.slice(0, 8)}@comune.test`,
          'sindaco@comune.test',
        ].sort(),
      );
      // The SMTP server refused the first two attempts (451): they were retried with backoff.
      expect(emails.some((r) => r.attempts > 1)).toBe(true);
      for (const mail of mine) {
        const row = emails.find((r) => mail.parsed.messageId === `<${r.id}@custode.reminders>`)!;
        expect(mail.parsed.text).toContain('apri Custode come di consueto');
        expect(mail.parsed.text).toContain(row.reference);
        expect(mail.parsed.subject).toContain(row.reference);
        expect(mail.parsed.html).toBeTruthy();
        expect(mail.parsed.attachments).toHaveLength(0);
        expect(mail.raw).not.toMatch(/https?:\/\/|<a\s|href=|www\./i);
        expect(mail.parsed.headers.get('x-custode-reference')).toBe(row.reference);
      }
      const escalated = mine.filter((m) => m.parsed.subject?.startsWith('[Ufficio del Sindaco]'));
      expect(escalated.map((m) => m.to[0]).sort()).toEqual(
        [`mayor_office.${org.orgId.slice(0, 8)}@comune.test`, 'sindaco@comune.test'].sort(),
      );
    });

    it("shows the in-app reminders in the recipient's inbox, looked up by reference", async () => {
      const inbox = await t.http().get(`/api/v1/orgs/${org.orgId}/inbox`).auth(org.als, { type: 'bearer' }).expect(200);
      expect(inbox.body.items).toHaveLength(2);
      const ref = inbox.body.items[0].reference as string;
      const found = await t.http().get(`/api/v1/orgs/${org.orgId}/inbox?reference=${ref}`).auth(org.als, { type: 'bearer' }).expect(200);
      expect(found.body.items).toHaveLength(1);
      expect(found.body.items[0].text).toContain(ref);
      await t.http().post(`/api/v1/orgs/${org.orgId}/inbox/${found.body.items[0].id}/read`).auth(org.als, { type: 'bearer' }).expect(204);
      // The operator has no reminders; someone else's item is not found.
      const other = await t.http().get(`/api/v1/orgs/${org.orgId}/inbox`).auth(org.tokens.operator!, { type: 'bearer' }).expect(200);
      expect(other.body.items).toHaveLength(0);
      await t
        .http()
        .post(`/api/v1/orgs/${org.orgId}/inbox/${found.body.items[0].id}/read`)
        .auth(org.tokens.operator!, { type: 'bearer' })
        .expect(404);
    });

    it('sends nothing more for a ladder after acknowledgement', async () => {
      const [row] = await ledger(org.orgId, { deviceId: cardB, channel: 'email', audience: 'holder' });
      const ack = await t
        .http()
        .post(`/api/v1/orgs/${org.orgId}/reminders/${row!.id}/acknowledge`)
        .auth(org.als, { type: 'bearer' })
        .send({ note: 'Rinnovo richiesto il 2026-06-10 alla Prefettura' })
        .expect(200);
      expect(ack.body.acknowledged).toBe(6);
      // Step 1 of B falls due on 16 June: nothing is written, nothing is sent.
      setNow('2026-06-16T08:00:00Z');
      await sweep(org.orgId, org.als).expect(200);
      const afterAck = await ledger(org.orgId, { deviceId: cardB });
      expect(afterAck.filter((r) => r.stepDays !== 7)).toHaveLength(0);
      expect(afterAck.every((r) => r.state === 'acknowledged')).toBe(true);
    });

    it('a successor cancels the pending rows and stops the ladder', async () => {
      // 08:00 in Rome, before the sending hour: step 30 of S is written but waits pending.
      setNow('2026-06-16T06:00:00Z');
      const cardS = await createCard(t, org.als, org.orgId, `S-${n}`, '2026-07-16T10:00:00Z');
      expect((await rowsOf(org.orgId, org.als, cardS)).map((i) => [i.state, i.stepDays])).toEqual([
        ['pending', 30],
        ['pending', 30],
      ]);
      const successor = await createCard(t, org.als, org.orgId, `S2-${n}`, '2031-06-30T10:00:00Z');
      const version = (await t.http().get(`/api/v1/orgs/${org.orgId}/devices/${cardS}`).auth(org.als, { type: 'bearer' }).expect(200)).body
        .version;
      await t
        .http()
        .put(`/api/v1/orgs/${org.orgId}/devices/${cardS}/successor`)
        .auth(org.als, { type: 'bearer' })
        .send({ successorId: successor, version })
        .expect(200);
      const rows = await ledger(org.orgId, { deviceId: cardS });
      expect(rows.map((r) => [r.state, r.closedReason])).toEqual([
        ['cancelled', 'successor'],
        ['cancelled', 'successor'],
      ]);
      setNow('2026-07-03T08:00:00Z');
      expect((await sweep(org.orgId, org.als).expect(200)).body.items.filter((i: { deviceId: string }) => i.deviceId === cardS)).toEqual(
        [],
      );
    });

    it('never sends a row whose ladder ended, even when nobody recomputed it', async () => {
      setNow('2026-07-06T06:00:00Z');
      const cardT = await createCard(t, org.als, org.orgId, `T-${n}`, '2026-08-05T10:00:00Z');
      expect(await rowsOf(org.orgId, org.als, cardT)).toHaveLength(2);
      const successor = await createCard(t, org.als, org.orgId, `T2-${n}`, '2031-06-30T10:00:00Z');
      // Link the successor behind the inventory's back, so nobody recomputes the ladder: the
      // worker's own check must still stop the rows.
      await t.app.get(UnitOfWork).run((tx) => tx.em.query(`UPDATE devices SET successor_id = '${successor}' WHERE id = '${cardT}'`));
      setNow('2026-07-06T08:00:00Z');
      await t.app.get(ReminderDispatcher).dispatchDue();
      const rows = await waitFor('rows closed', async () => {
        const r = await ledger(org.orgId, { deviceId: cardT });
        return r.every((x) => x.state === 'cancelled') ? r : null;
      });
      expect(rows.map((r) => r.closedReason)).toEqual(['successor', 'successor']);
    });

    it("a holder change cancels the former holder's pending rows and writes the new holder's", async () => {
      setNow('2026-07-07T06:00:00Z');
      const x = await createHolder(t, org.als, org.orgId, ++n + 100, 'vecchio@comune.test');
      const y = await createHolder(t, org.als, org.orgId, ++n + 100, 'nuovo@comune.test');
      const card = await createCard(t, org.als, org.orgId, `H-${n}`, '2026-08-06T10:00:00Z', x);
      await sweep(org.orgId, org.als).expect(200);
      expect((await ledger(org.orgId, { deviceId: card, recipient: `holder:${x}` })).map((r) => r.state)).toEqual(['pending']);
      const version = (await t.http().get(`/api/v1/orgs/${org.orgId}/devices/${card}`).auth(org.als, { type: 'bearer' }).expect(200)).body
        .version;
      await t
        .http()
        .post(`/api/v1/orgs/${org.orgId}/devices/${card}/custody`)
        .auth(org.als, { type: 'bearer' })
        .send({ holderId: y, receipt: false, version })
        .expect(200);
      await t.app.get(UnitOfWork).run((tx) => t.app.get(ReminderSweepService).onDeviceChanged(tx, card));
      const rows = await ledger(org.orgId, { deviceId: card, channel: 'email' });
      expect(rows.map((r) => [r.recipient, r.state, r.stepDays]).sort()).toEqual(
        [
          [`holder:${x}`, 'cancelled', 30],
          [`holder:${y}`, 'pending', 30],
          [`user:${org.userIds.security_admin}`, 'pending', 30],
        ].sort(),
      );
    });

    it('an operator acknowledges only their own devices', async () => {
      const [row] = await ledger(org.orgId, { deviceId: cardA, stepDays: 30 });
      await t
        .http()
        .post(`/api/v1/orgs/${org.orgId}/reminders/${row!.id}/acknowledge`)
        .auth(org.tokens.operator!, { type: 'bearer' })
        .send({ note: 'non mio' })
        .expect(404);
      await t
        .http()
        .post(`/api/v1/orgs/${org.orgId}/reminders/${row!.id}/acknowledge`)
        .auth(org.als, { type: 'bearer' })
        .send({ note: 'data passata', pausedUntil: '2026-01-01' })
        .expect(422);
    });
  });

  describe('days in Europe/Rome', () => {
    let org: Awaited<ReturnType<typeof comune>>;
    beforeAll(async () => {
      org = await comune();
    });

    it.each([
      // [now (UTC), expiry (UTC), expected step, expected due day]
      ['2026-04-24T08:00:00Z', '2026-04-25T10:00:00Z', 0, '2026-04-24', '25 April 2026, a Saturday and a holiday: Friday'],
      ['2026-04-03T08:00:00Z', '2026-04-13T10:00:00Z', 7, '2026-04-03', 'Easter Monday: the Friday before'],
      ['2026-08-14T08:00:00Z', '2026-08-22T10:00:00Z', 7, '2026-08-14', '15 August 2026 (Saturday): Friday 14'],
      ['2026-10-23T08:00:00Z', '2026-10-25T22:30:00Z', 0, '2026-10-23', '23:30 on the last Sunday of October is still the 25th'],
      ['2026-10-23T08:00:00Z', '2026-10-25T23:30:00Z', 1, '2026-10-23', '00:30 on 26 October: step 1 falls on Sunday, so Friday'],
      ['2026-10-26T08:00:00Z', '2026-10-25T23:30:00Z', 0, '2026-10-26', '00:30 on 26 October: step 0 on Monday 26'],
      ['2026-03-27T08:00:00Z', '2026-03-29T22:30:00Z', 1, '2026-03-27', '00:30 on Monday 30 March after the spring change: Friday'],
      ['2026-03-30T08:00:00Z', '2026-03-29T22:30:00Z', 0, '2026-03-30', 'and step 0 on Monday 30 March'],
      ['2026-03-27T08:00:00Z', '2026-03-29T21:30:00Z', 0, '2026-03-27', '23:30 on Sunday 29 March: step 0 on Friday'],
    ])('now %s, expiry %s: step %i due on %s (%s)', async (now, expiry, step, dueOn) => {
      setNow(now);
      const card = await createCard(t, org.als, org.orgId, `D-${++n}`, expiry);
      await sweep(org.orgId, org.als).expect(200);
      const rows = await rowsOf(org.orgId, org.als, card);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((i) => [i.stepDays, i.dueOn])).toEqual(rows.map(() => [step, dueOn]));
    });

    it("honours the Comune's patron saint day (Sant'Ambrogio in Milano)", async () => {
      await t
        .http()
        .patch(`/api/v1/orgs/${org.orgId}`)
        .auth(org.als, { type: 'bearer' })
        .send({ settings: { patronSaintDay: '12-07' } })
        .expect(200);
      setNow('2026-12-04T09:00:00Z');
      const card = await createCard(t, org.als, org.orgId, `M-${++n}`, '2026-12-14T10:00:00Z');
      expect((await rowsOf(org.orgId, org.als, card))[0]?.dueOn).toBe('2026-12-04');
    });

    it('the daily incremental sweep writes each step once across a fortnight with a holiday', async () => {
      setNow('2026-04-14T08:00:00Z');
      const card = await createCard(t, org.als, org.orgId, `E-${++n}`, '2026-04-27T10:00:00Z');
      const sweeper = t.app.get(ReminderSweepService);
      for (let day = 14; day <= 28; day++) {
        setNow(`2026-04-${String(day).padStart(2, '0')}T04:00:00Z`);
        await sweeper.sweepOrganization(jobActor('test'), org.orgId, 'daily');
        await sweeper.sweepOrganization(jobActor('test'), org.orgId, 'daily');
      }
      const rows = await ledger(org.orgId, { deviceId: card, channel: 'email', audience: 'als' });
      // Step 14 (13 April) was already due at the first sweep; 7 on Monday 20; 1 on Friday 24
      // (the 26th is a Sunday, the 25th a holiday); 0 on Monday 27.
      expect(rows.map((r) => [r.stepDays, r.dueOn])).toEqual([
        [14, '2026-04-13'],
        [7, '2026-04-20'],
        [1, '2026-04-24'],
        [0, '2026-04-27'],
      ]);
    });
  });
});
