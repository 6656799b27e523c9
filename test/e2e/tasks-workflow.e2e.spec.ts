import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { FindOptionsWhere } from 'typeorm';
import { ORG_ROLES } from '../../src/auth/roles';
import { UnitOfWork } from '../../src/database/unit-of-work.service';
import { QueueName } from '../../src/queue/jobs';
import { ReminderEntity } from '../../src/reminders/entities/reminder.entity';
import { createCard, createHolder, setNow, waitFor } from '../support/reminders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

/** Revocation tasks: deadline in working days, workflow, reminder before and escalation after the deadline. */
describe('Task workflow (issue 6)', () => {
  let t: TestApp;
  let orgId: string;
  let tokens: Record<string, string>;
  let taskId: string;
  const ledger = (where: FindOptionsWhere<ReminderEntity>) =>
    t.app
      .get(UnitOfWork)
      .read((em) => em.getRepository(ReminderEntity).find({ where: { organizationId: orgId, ...where }, order: { createdAt: 'ASC' } }));

  beforeAll(async () => {
    t = await createTestApp({ workers: true, env: { LOGIN_RATE_PER_MINUTE: '1000' } });
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    ({ orgId, tokens } = await createOrgWithMembers(t, admin, ORG_ROLES));
  }, 120_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  it('a lost card opens its tasks due the next working day, with deadline jobs queued', async () => {
    // Friday 12 June 2026, 10:00 in Rome: the next working day is Monday 15.
    setNow('2026-06-12T08:00:00Z');
    const holder = await createHolder(t, tokens.security_admin!, orgId, 900, 'titolare@comune.test');
    const card = await createCard(t, tokens.security_admin!, orgId, 'LOST-1', '2029-01-01T10:00:00Z', holder);
    const res = await t
      .http()
      .post(`/api/v1/orgs/${orgId}/devices/${card}/transitions`)
      .auth(tokens.security_admin!, { type: 'bearer' })
      .send({ action: 'report_lost', reason: 'Smarrita in ufficio', version: 1 });
    expect(res.status).toBe(200);
    expect(res.body.openedTaskIds.length).toBeGreaterThan(0);
    taskId = res.body.openedTaskIds[0];
    const wf = await t.http().get(`/api/v1/orgs/${orgId}/tasks/${taskId}/workflow`).auth(tokens.auditor!, { type: 'bearer' }).expect(200);
    expect(wf.body).toMatchObject({ status: 'open', dueOn: '2026-06-15', history: [] });
    const queue = t.app.get<Queue>(getQueueToken(QueueName.Reminders));
    const after = await waitFor('escalation job', () => queue.getJob(`task-${taskId}-after`));
    expect(await after.getState()).toBe('delayed');
  });

  it('reminds the assignee the working day before and escalates to the Mayor the working day after', async () => {
    const sweep = () => t.http().post(`/api/v1/orgs/${orgId}/reminders/sweep`).auth(tokens.security_admin!, { type: 'bearer' }).expect(200);
    await sweep();
    // The working day before Monday 15 is Friday 12: today.
    const before = await ledger({ subjectId: taskId });
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((r) => r.stepDays === 1 && r.dueOn === '2026-06-12' && !r.escalation)).toBe(true);
    // Tuesday 16: overdue. The delayed job fires (promoted here) and writes the escalation.
    setNow('2026-06-16T08:00:00Z');
    const job = await t.app.get<Queue>(getQueueToken(QueueName.Reminders)).getJob(`task-${taskId}-after`);
    await job!.promote();
    const escalated = await waitFor('escalation rows', async () => {
      const rows = await ledger({ subjectId: taskId, stepDays: -1 });
      return rows.length > 0 ? rows : null;
    });
    expect(escalated.some((r) => r.audience === 'mayor_office' && r.escalation)).toBe(true);
    expect(escalated.every((r) => r.dueOn === '2026-06-16')).toBe(true);
    await sweep();
    expect(await ledger({ subjectId: taskId, stepDays: -1 })).toHaveLength(escalated.length);
  });

  it('moves open -> requested -> confirmed with reference and evidence, and stops its reminders', async () => {
    const base = `/api/v1/orgs/${orgId}/tasks/${taskId}`;
    await t
      .http()
      .post(`${base}/request`)
      .auth(tokens.workstation_admin!, { type: 'bearer' })
      .send({ requestedOn: '2026-06-16', reference: 'x' })
      .expect(403);
    await t.http().post(`${base}/confirm`).auth(tokens.operator!, { type: 'bearer' }).send({ note: 'fatto' }).expect(403);
    await t
      .http()
      .post(`${base}/request`)
      .auth(tokens.security_admin!, { type: 'bearer' })
      .send({ requestedOn: '2026-06-30', reference: 'x' })
      .expect(400);
    const requested = await t
      .http()
      .post(`${base}/request`)
      .auth(tokens.security_admin!, { type: 'bearer' })
      .send({ requestedOn: '2026-06-16', reference: 'Ticket DCSD 2026/77' })
      .expect(200);
    expect(requested.body).toMatchObject({
      status: 'requested',
      history: [{ action: 'requested', reference: 'Ticket DCSD 2026/77', requestedOn: '2026-06-16' }],
    });
    await t
      .http()
      .post(`${base}/request`)
      .auth(tokens.security_admin!, { type: 'bearer' })
      .send({ requestedOn: '2026-06-16', reference: 'again' })
      .expect(409);
    const confirmed = await t
      .http()
      .post(`${base}/confirm`)
      .auth(tokens.security_admin!, { type: 'bearer' })
      .send({ note: 'Blocco confermato dalla consolle il 17/06' })
      .expect(200);
    expect(confirmed.body.status).toBe('confirmed');
    expect(confirmed.body.history.map((h: { action: string }) => h.action)).toEqual(['requested', 'confirmed']);
    const cancel = await t
      .http()
      .post(`${base}/cancel`)
      .auth(tokens.security_admin!, { type: 'bearer' })
      .send({ reason: 'troppo tardi' })
      .expect(409);
    expect(cancel.body.code).toBe('TASK_TRANSITION_NOT_ALLOWED');
    const rows = await ledger({ subjectId: taskId });
    expect(rows.every((r) => r.state === 'sent' || r.state === 'cancelled' || r.state === 'failed')).toBe(true);
    const tasks = await t
      .http()
      .get(`/api/v1/orgs/${orgId}/tasks?status=confirmed`)
      .auth(tokens.security_admin!, { type: 'bearer' })
      .expect(200);
    expect(tasks.body.items.map((i: { id: string }) => i.id)).toContain(taskId);
  });
});
