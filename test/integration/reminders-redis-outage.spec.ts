import { FindOptionsWhere } from 'typeorm';
import { UnitOfWork } from '../../src/database/unit-of-work.service';
import { ReminderEntity } from '../../src/reminders/entities/reminder.entity';
import { createCard, createHolder, redisProxy, setNow, startSmtp, waitFor } from '../support/reminders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

/**
 * Redis goes away (a proxy in front of it is switched off): the API keeps answering, the sweep
 * writes its ledger rows, they wait `pending`, and when Redis comes back each goes out once.
 */
describe('Reminders during a Redis outage', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let proxy: Awaited<ReturnType<typeof redisProxy>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    proxy = await redisProxy();
    // Redis is down from the start: the app must still boot.
    t = await createTestApp({ workers: true, env: { REDIS_URL: proxy.url, SMTP_URL: smtp.url, LOGIN_RATE_PER_MINUTE: '1000' } });
  }, 120_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await proxy.start();
    await t.close();
    await proxy.stop();
    await smtp.close();
  });

  const ledger = (where: FindOptionsWhere<ReminderEntity>) =>
    t.app.get(UnitOfWork).read((em) => em.getRepository(ReminderEntity).findBy(where));

  it('writes the rows with Redis down and delivers each exactly once when it returns', async () => {
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const { orgId, tokens } = await createOrgWithMembers(t, admin, ['security_admin', 'mayor_office']);
    const als = tokens.security_admin!;
    setNow('2026-06-10T08:00:00Z');
    for (let i = 0; i < 5; i++) {
      const holder = await createHolder(t, als, orgId, 500 + i, `titolare${i}@comune.test`);
      await createCard(t, als, orgId, `R-${i}`, `2026-06-${String(12 + i).padStart(2, '0')}T10:00:00Z`, holder);
    }
    // The sweep must answer with Redis down (Queue.add would wait for Redis): a hang fails here.
    await t.http().post(`/api/v1/orgs/${orgId}/reminders/sweep`).timeout(15_000).auth(als, { type: 'bearer' }).expect(200);
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body.details.redis.status).toBe('down');
    // The rows were written when each card was registered (the inventory's hook), Redis or not.
    const emails = await ledger({ organizationId: orgId, channel: 'email' });
    // 5 holders + the ALS per card + the Mayor's office (steps 7, 1 and 0 escalate) for cards due within 7 days.
    expect(emails.length).toBeGreaterThanOrEqual(10);

    await new Promise((r) => setTimeout(r, 1500));
    expect((await ledger({ organizationId: orgId })).every((r) => r.state === 'pending')).toBe(true);
    expect(smtp.mails).toHaveLength(0);
    // A second sweep during the outage adds nothing.
    expect((await t.http().post(`/api/v1/orgs/${orgId}/reminders/sweep`).auth(als, { type: 'bearer' }).expect(200)).body.created).toBe(0);

    await proxy.start();
    const sent = await waitFor(
      'every e-mail sent after Redis returned',
      async () => {
        const rows = await ledger({ organizationId: orgId, channel: 'email' });
        return rows.every((r) => r.state === 'sent') ? rows : null;
      },
      60_000,
    );
    expect(sent).toHaveLength(emails.length);
    // Let any duplicate job run, then count: one message per row.
    await new Promise((r) => setTimeout(r, 1500));
    const ids = smtp.mails.map((m) => m.parsed.messageId);
    expect(ids).toHaveLength(emails.length);
    expect(new Set(ids)).toEqual(new Set(sent.map((r) => `<${r.id}@custode.reminders>`)));
  });
});
