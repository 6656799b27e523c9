import { createHash, randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { FindOptionsWhere } from 'typeorm';
import { AttachmentEntity } from '../../src/attachments/attachment.entity';
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
  let admin: string;
  const ledger = (where: FindOptionsWhere<ReminderEntity>) =>
    t.app
      .get(UnitOfWork)
      .read((em) => em.getRepository(ReminderEntity).find({ where: { organizationId: orgId, ...where }, order: { createdAt: 'ASC' } }));

  beforeAll(async () => {
    t = await createTestApp({ workers: true, env: { LOGIN_RATE_PER_MINUTE: '1000' } });
    admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
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
    const evidence = await uploadEvidence(orgId, tokens.security_admin!);
    const confirmed = await t
      .http()
      .post(`${base}/confirm`)
      .auth(tokens.security_admin!, { type: 'bearer' })
      .send({ note: 'Blocco confermato dalla consolle il 17/06', attachmentId: evidence.id })
      .expect(200);
    expect(confirmed.body.status).toBe('confirmed');
    expect(confirmed.body.history.map((h: { action: string }) => h.action)).toEqual(['requested', 'confirmed']);
    const evidenceShown = {
      attachmentId: evidence.id,
      attachment: { id: evidence.id, fileName: 'conferma-consolle.txt', mediaType: 'text/plain; charset=utf-8', sha256: EVIDENCE_SHA256 },
    };
    expect(confirmed.body.history[1]).toMatchObject(evidenceShown);
    const timeline = await t.http().get(`${base}/workflow`).auth(tokens.auditor!, { type: 'bearer' }).expect(200);
    expect(timeline.body.history[1]).toMatchObject(evidenceShown);
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

  const EVIDENCE = Buffer.from('Consolle ANPR: blocco della smart card confermato il 17/06/2026, ticket 2026/77.\n', 'utf8');
  const EVIDENCE_SHA256 = createHash('sha256').update(EVIDENCE).digest('hex');

  /** A text file stored as an incident's evidence in that Comune: the way evidence enters Custode today. */
  async function uploadEvidence(org: string, token: string): Promise<{ id: string }> {
    const incident = await t
      .http()
      .post(`/api/v1/orgs/${org}/incidents`)
      .auth(token, { type: 'bearer' })
      .send({ type: 'device_lost', title: 'Smarrimento della smart card', description: 'Smarrita in ufficio.' })
      .expect(201);
    const res = await t
      .http()
      .post(`/api/v1/orgs/${org}/incidents/${incident.body.id}/attachments`)
      .auth(token, { type: 'bearer' })
      .attach('file', EVIDENCE, 'conferma-consolle.txt')
      .expect(201);
    expect(res.body.sha256).toBe(EVIDENCE_SHA256);
    return { id: res.body.id as string };
  }

  it('confirms only with evidence stored in this Comune and of an evidence kind; a refused id stores nothing', async () => {
    setNow('2026-06-16T08:00:00Z');
    const holder = await createHolder(t, tokens.security_admin!, orgId, 901, 'seconda@comune.test');
    const card = await createCard(t, tokens.security_admin!, orgId, 'LOST-2', '2029-01-01T10:00:00Z', holder);
    const lost = await t
      .http()
      .post(`/api/v1/orgs/${orgId}/devices/${card}/transitions`)
      .auth(tokens.security_admin!, { type: 'bearer' })
      .send({ action: 'report_lost', reason: 'Smarrita in trasferta', version: 1 })
      .expect(200);
    const base = `/api/v1/orgs/${orgId}/tasks/${lost.body.openedTaskIds[0]}`;
    const other = await createOrgWithMembers(t, admin, ['security_admin']);
    const foreign = await uploadEvidence(other.orgId, other.tokens.security_admin!);
    // A stored file whose kind is not evidence (media types are decided from the content at upload).
    const keystore = randomUUID();
    await t.app.get(UnitOfWork).run((tx) =>
      tx.em.getRepository(AttachmentEntity).insert({
        id: keystore,
        organizationId: orgId,
        sha256: 'a'.repeat(64),
        sizeBytes: 3,
        mediaType: 'application/x-pkcs12',
        fileName: 'chiave.p12',
        content: Buffer.from([0x30, 0x82, 0x01]),
        createdAt: new Date(),
        createdBy: 'test',
      }),
    );
    const confirm = (attachmentId: string) =>
      t
        .http()
        .post(`${base}/confirm`)
        .auth(tokens.security_admin!, { type: 'bearer' })
        .send({ note: 'Blocco confermato dalla consolle', attachmentId });
    const before = (await t.http().get(`${base}/workflow`).auth(tokens.security_admin!, { type: 'bearer' }).expect(200)).body;
    expect(before.status).toBe('open');
    for (const [id, status, code] of [
      [randomUUID(), 404, 'ATTACHMENT_NOT_FOUND'],
      [foreign.id, 404, 'ATTACHMENT_NOT_FOUND'],
      [keystore, 422, 'ATTACHMENT_NOT_EVIDENCE'],
      ['not-a-uuid', 400, 'VALIDATION_FAILED'],
    ] as const) {
      const res = await confirm(id);
      expect({ id, status: res.status, code: res.body.code }).toEqual({ id, status, code });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await t.http().get(`${base}/workflow`).auth(tokens.security_admin!, { type: 'bearer' }).expect(200)).body).toEqual(before);
    const audit = await t
      .http()
      .get(`/api/v1/orgs/${orgId}/audit?action=task.confirmed&entityId=${before.id}`)
      .auth(tokens.auditor!, { type: 'bearer' })
      .expect(200);
    expect(audit.body.items).toEqual([]);
    const mine = await uploadEvidence(orgId, tokens.security_admin!);
    const ok = await confirm(mine.id).expect(200);
    expect(ok.body).toMatchObject({
      status: 'confirmed',
      history: [{ action: 'confirmed', attachment: { id: mine.id, sha256: EVIDENCE_SHA256 } }],
    });
    const recorded = await t
      .http()
      .get(`/api/v1/orgs/${orgId}/audit?action=task.confirmed&entityId=${before.id}`)
      .auth(tokens.auditor!, { type: 'bearer' })
      .expect(200);
    expect(recorded.body.items).toHaveLength(1);
    expect(recorded.body.items[0].data).toMatchObject({ attachmentId: mine.id, attachmentSha256: EVIDENCE_SHA256 });
  });

  it('confirms with the evidence file sent in the same request, stored with its hash and downloadable from the task', async () => {
    setNow('2026-06-16T08:00:00Z');
    const holder = await createHolder(t, tokens.security_admin!, orgId, 902, 'terza@comune.test');
    const card = await createCard(t, tokens.security_admin!, orgId, 'LOST-3', '2029-01-01T10:00:00Z', holder);
    const lost = await t
      .http()
      .post(`/api/v1/orgs/${orgId}/devices/${card}/transitions`)
      .auth(tokens.security_admin!, { type: 'bearer' })
      .send({ action: 'report_lost', reason: 'Smarrita in sala consiliare', version: 1 })
      .expect(200);
    const base = `/api/v1/orgs/${orgId}/tasks/${lost.body.openedTaskIds[0]}`;
    const attachments = () =>
      t.app.get(UnitOfWork).read((em) => em.getRepository(AttachmentEntity).count({ where: { organizationId: orgId } }));
    const stored = await attachments();
    const before = (await t.http().get(`${base}/workflow`).auth(tokens.security_admin!, { type: 'bearer' }).expect(200)).body;

    // Refused before anything is written: a file that is not evidence, and a file together with an id.
    const refusals = [
      await t
        .http()
        .post(`${base}/confirm`)
        .auth(tokens.security_admin!, { type: 'bearer' })
        .field('note', 'Blocco confermato dalla consolle')
        .attach('file', Buffer.from([0x30, 0x82, 0x01, 0x00, 0xff, 0xfe]), 'chiave.p12'),
      await t
        .http()
        .post(`${base}/confirm`)
        .auth(tokens.security_admin!, { type: 'bearer' })
        .field('note', 'Blocco confermato dalla consolle')
        .field('attachmentId', randomUUID())
        .attach('file', EVIDENCE, 'conferma.txt'),
    ];
    expect(refusals.map((r) => [r.status, r.body.code])).toEqual([
      [415, 'ATTACHMENT_TYPE_NOT_ALLOWED'],
      [400, 'VALIDATION_FAILED'],
    ]);
    expect(await attachments()).toBe(stored);
    expect((await t.http().get(`${base}/workflow`).auth(tokens.security_admin!, { type: 'bearer' }).expect(200)).body).toEqual(before);

    const ok = await t
      .http()
      .post(`${base}/confirm`)
      .auth(tokens.security_admin!, { type: 'bearer' })
      .field('note', 'Blocco confermato dalla consolle, ticket 2026/77')
      .attach('file', EVIDENCE, 'conferma-consolle.txt')
      .expect(200);
    const evidence = ok.body.history.find((e: { action: string }) => e.action === 'confirmed').attachment;
    expect(evidence).toMatchObject({ fileName: 'conferma-consolle.txt', sha256: EVIDENCE_SHA256, sizeBytes: EVIDENCE.length });
    expect(await attachments()).toBe(stored + 1);

    // The auditor reads it from the task; an id the task does not cite is not found here.
    const file = await t
      .http()
      .get(`${base}/attachments/${evidence.id}`)
      .auth(tokens.auditor!, { type: 'bearer' })
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(
      createHash('sha256')
        .update(file.body as Buffer)
        .digest('hex'),
    ).toBe(EVIDENCE_SHA256);
    const elsewhere = await uploadEvidence(orgId, tokens.security_admin!);
    await t.http().get(`${base}/attachments/${elsewhere.id}`).auth(tokens.auditor!, { type: 'bearer' }).expect(404);
  });
});
