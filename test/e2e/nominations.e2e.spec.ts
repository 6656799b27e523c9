import { createHash } from 'node:crypto';
import type { Response } from 'supertest';
import { AttachmentEntity } from '../../src/attachments/attachment.entity';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { ORG_ROLES } from '../../src/auth/roles';
import { UnitOfWork } from '../../src/database/unit-of-work.service';
import { NOMINATION_CLOCK } from '../../src/nominations/nomination-clock';
import { TaskEntity } from '../../src/tasks/task.entity';
import { auth, insertDevice, insertHolder, insertWorkstation, makePdf, nominate } from '../support/nomination-fixtures';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

const UPLOAD_LIMIT = 64 * 1024;

describe('Nominations (issue 5)', () => {
  let t: TestApp;
  let orgId: string;
  let tokens: Record<string, string>;
  let userIds: Record<string, string>;
  let base: string;
  let rossi: string;
  let verdi: string;
  let neri: string;
  const mayor = () => auth(tokens.mayor_office);

  beforeAll(async () => {
    t = await createTestApp({ env: { UPLOAD_LIMIT_BYTES: String(UPLOAD_LIMIT) } });
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    ({ orgId, tokens, userIds } = await createOrgWithMembers(t, admin, ORG_ROLES));
    base = `/api/v1/orgs/${orgId}/nominations`;
    rossi = await insertHolder(t, orgId, { firstName: 'Mario', lastName: 'Rossi' });
    verdi = await insertHolder(t, orgId, { firstName: 'Giuseppe', lastName: 'Verdi' });
    neri = await insertHolder(t, orgId, { firstName: 'Lucia', lastName: 'Neri' });
  }, 120_000);
  afterAll(() => t.close());

  const count = (entity: typeof AttachmentEntity | typeof TaskEntity, where: Record<string, unknown> = {}) =>
    t.app.get(UnitOfWork).read((em) => em.getRepository(entity).countBy({ organizationId: orgId, ...where }));
  const tasksFor = (holderId: string) =>
    t.app.get(UnitOfWork).read((em) => em.getRepository(TaskEntity).findBy({ organizationId: orgId, holderId }));
  const auditActions = (entityId: string) =>
    t.app
      .get(UnitOfWork)
      .read((em) => em.getRepository(AuditEventEntity).find({ where: { chain: orgId, entityId }, order: { seq: 'ASC' } }))
      .then((rows) => rows.map((r) => r.action));

  it('creates a draft with the contract fields: 201, id, status draft, names and Italian labels', async () => {
    const res = await t.http().post(base).set(mayor()).send({
      role: 'als',
      holderId: rossi,
      actNumber: '12/2025',
      actDate: '2025-10-01',
      effectiveFrom: '2025-10-02',
      signedBy: 'Il Sindaco, Anna Bianchi',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      status: 'draft',
      statusLabel: 'Bozza',
      role: 'als',
      roleLabel: 'Amministratore locale della sicurezza (ALS)',
      nominee: { id: rossi, name: 'Mario Rossi' },
      actType: 'decreto_sindacale',
      act: null,
      allowedActions: ['sign', 'revoke'],
      current: false,
    });
    expect(await auditActions(res.body.id)).toEqual(['nomination.created']);
  });

  it('lets only the Mayor’s office create, sign, activate and revoke; the ALS reads; operators see nothing', async () => {
    const draft = await nominate(t, orgId, tokens.mayor_office, { role: 'alp', holderId: verdi }, 'attached');
    const body = { role: 'als', holderId: verdi, actNumber: '1', actDate: '2025-10-01', effectiveFrom: '2025-10-01', signedBy: 'Sindaco' };
    for (const role of ['security_admin', 'workstation_admin', 'operator', 'auditor']) {
      const h = auth(tokens[role]);
      expect((await t.http().post(base).set(h).send(body)).status).toBe(403);
      for (const action of ['sign', 'activate', 'revoke']) {
        const res = await t.http().post(`${base}/${draft.id}/${action}`).set(h).send({ reason: 'prova di revoca' });
        expect({ role, action, status: res.status, code: res.body.code }).toEqual({ role, action, status: 403, code: 'FORBIDDEN' });
      }
      const upload = await t
        .http()
        .post(`${base}/${draft.id}/act`)
        .set(h)
        .attach('file', await makePdf(), 'x.pdf');
      expect(upload.status).toBe(403);
    }
    for (const role of ['security_admin', 'workstation_admin', 'auditor', 'mayor_office']) {
      expect((await t.http().get(base).set(auth(tokens[role]))).status).toBe(200);
      expect((await t.http().get(`${base}/${draft.id}`).set(auth(tokens[role]))).status).toBe(200);
    }
    expect((await t.http().get(base).set(auth(tokens.operator))).status).toBe(403);
    expect((await t.http().get(`${base}/${draft.id}`).set(auth(tokens.operator))).status).toBe(403);
    // Another Comune's member gets 404 for the whole Comune.
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const other = await createOrgWithMembers(t, admin, ['mayor_office']);
    const foreign = await t.http().get(`${base}/${draft.id}`).set(auth(other.tokens.mayor_office));
    expect(foreign.status).toBe(404);
    // And its own route does not find this Comune's nomination.
    const cross = await t.http().get(`/api/v1/orgs/${other.orgId}/nominations/${draft.id}`).set(auth(other.tokens.mayor_office));
    expect(cross.body.code).toBe('NOMINATION_NOT_FOUND');
  });

  it('refuses a self-nomination: the nominee cannot be the signed-in user', async () => {
    const me = await insertHolder(t, orgId, { firstName: 'Paola', lastName: 'Sindaco', userId: userIds.mayor_office });
    const res = await t.http().post(base).set(mayor()).send({
      role: 'als',
      holderId: me,
      actNumber: '2',
      actDate: '2025-10-01',
      effectiveFrom: '2025-10-01',
      signedBy: 'Sindaco',
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('NOMINATION_SELF_NOT_ALLOWED');
  });

  it('validates the request: unknown fields, days, date order, scope, nominee', async () => {
    const ok = { role: 'alp', holderId: verdi, actNumber: '3', actDate: '2025-10-01', effectiveFrom: '2025-10-01', signedBy: 'Sindaco' };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...ok, status: 'active' }, 400, 'VALIDATION_FAILED'],
      [{ ...ok, actDate: '2025-02-30' }, 400, 'VALIDATION_FAILED'],
      [{ ...ok, role: 'sindaco' }, 400, 'VALIDATION_FAILED'],
      [{ ...ok, effectiveUntil: '2025-09-30' }, 422, 'NOMINATION_DATES_INVALID'],
      [{ ...ok, scope: { workstationIds: [verdi] } }, 422, 'NOMINATION_SCOPE_INVALID'],
      [{ ...ok, role: 'certificate_custodian' }, 422, 'NOMINATION_SCOPE_INVALID'],
      [{ ...ok, role: 'certificate_custodian', scope: { certificateIds: [verdi] } }, 422, 'NOMINATION_SCOPE_INVALID'],
      [{ ...ok, holderId: '00000000-0000-4000-8000-000000000000' }, 404, 'NOMINEE_NOT_FOUND'],
    ];
    for (const [body, status, code] of cases) {
      const res = await t.http().post(base).set(mayor()).send(body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status, code });
    }
    const leaver = await insertHolder(t, orgId, { firstName: 'Ex', lastName: 'Dipendente', leaver: true });
    const res = await t
      .http()
      .post(base)
      .set(mayor())
      .send({ ...ok, holderId: leaver });
    expect([res.status, res.body.code]).toEqual([409, 'NOMINEE_HAS_LEFT']);
  });

  describe('the signed act', () => {
    let id: string;
    beforeAll(async () => {
      id = (await nominate(t, orgId, tokens.mayor_office, { role: 'als_deputy', holderId: neri }, 'draft')).id;
    });

    it('refuses a non-PDF (by content, whatever its name and type) and stores nothing', async () => {
      const before = { attachments: await count(AttachmentEntity), audit: await auditActions(id) };
      const attempts = [
        { content: Buffer.from('Decreto sindacale n. 5 (testo semplice)'), code: 'ATTACHMENT_NOT_PDF', status: 415 },
        { content: Buffer.from('\x89PNG\r\n\x1a\n' + 'x'.repeat(100)), code: 'ATTACHMENT_NOT_PDF', status: 415 },
        { content: Buffer.from('%PDF-1.7\nsolo l’intestazione\n%%EOF\n'), code: 'ATTACHMENT_PDF_UNREADABLE', status: 422 },
      ];
      for (const a of attempts) {
        const res = await t
          .http()
          .post(`${base}/${id}/act`)
          .set(mayor())
          .attach('file', a.content, { filename: 'decreto.pdf', contentType: 'application/pdf' });
        expect({ status: res.status, code: res.body.code }).toEqual({ status: a.status, code: a.code });
      }
      const tooBig = Buffer.concat([await makePdf(), Buffer.alloc(UPLOAD_LIMIT, 0x20)]);
      const big = await t.http().post(`${base}/${id}/act`).set(mayor()).attach('file', tooBig, 'decreto.pdf');
      expect([big.status, big.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
      const none = await t.http().post(`${base}/${id}/act`).set(mayor()).send({});
      expect([none.status, none.body.code]).toEqual([422, 'ATTACHMENT_FILE_REQUIRED']);
      expect(await count(AttachmentEntity)).toBe(before.attachments);
      expect(await auditActions(id)).toEqual(before.audit);
      expect((await t.http().get(`${base}/${id}`).set(mayor())).body.act).toBeNull();
    });

    it('needs the act before the signature', async () => {
      const res = await t.http().post(`${base}/${id}/sign`).set(mayor()).send({});
      expect([res.status, res.body.code]).toEqual([422, 'NOMINATION_ACT_REQUIRED']);
    });

    it('stores a real PDF with its SHA-256, size and media type, and gives it back byte for byte', async () => {
      const pdf = await makePdf('Decreto sindacale n. 77/2025', 'Nomina del vicario ALS');
      const res = await t
        .http()
        .post(`${base}/${id}/act`)
        .set(mayor())
        .attach('file', pdf, { filename: '../../decreto 77.pdf', contentType: 'text/plain' });
      expect(res.status).toBe(201);
      const sha256 = createHash('sha256').update(pdf).digest('hex');
      expect(res.body.act).toMatchObject({
        fileName: 'decreto 77.pdf',
        mediaType: 'application/pdf',
        sizeBytes: pdf.length,
        sha256,
        downloadPath: `/api/v1/orgs/${orgId}/nominations/${id}/act`,
      });
      const download = await t
        .http()
        .get(res.body.act.downloadPath)
        .set(auth(tokens.security_admin))
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(download.status).toBe(200);
      expect(download.headers['content-type']).toBe('application/pdf');
      expect(download.headers['content-disposition']).toContain('attachment;');
      expect(
        createHash('sha256')
          .update(download.body as Buffer)
          .digest('hex'),
      ).toBe(sha256);
      expect(await auditActions(id)).toEqual(
        ['nomination.created', 'attachment.stored', 'nomination.act_attached'].slice(0, 1).concat(['nomination.act_attached']),
      );
    });

    it('signs once (with the final number), then locks the act', async () => {
      const signed = await t.http().post(`${base}/${id}/sign`).set(mayor()).send({ actNumber: '77/2025' });
      expect(signed.status).toBe(200);
      expect(signed.body).toMatchObject({
        status: 'signed',
        statusLabel: 'Firmata',
        actNumber: '77/2025',
        allowedActions: ['activate', 'revoke'],
      });
      expect(signed.body.signedAt).toEqual(expect.any(String));
      const again = await t.http().post(`${base}/${id}/sign`).set(mayor()).send({});
      expect([again.status, again.body.code]).toEqual([409, 'NOMINATION_TRANSITION_NOT_ALLOWED']);
      const replace = await t
        .http()
        .post(`${base}/${id}/act`)
        .set(mayor())
        .attach('file', await makePdf(), 'altro.pdf');
      expect([replace.status, replace.body.code]).toEqual([409, 'NOMINATION_ACT_LOCKED']);
    });
  });

  it('a new ALS supersedes the one in force atomically, and leaves the new ALS a task about the former one', async () => {
    const first = await nominate(t, orgId, tokens.mayor_office, { role: 'als', holderId: rossi, actNumber: 'ALS-1/2025' });
    expect(first.body).toMatchObject({ status: 'active', statusLabel: 'In vigore', current: true, registeredOn: expect.any(String) });
    expect(await tasksFor(rossi)).toEqual([]);
    const second = await nominate(t, orgId, tokens.mayor_office, { role: 'als', holderId: verdi, actNumber: 'ALS-2/2025' });
    expect(second.body.status).toBe('active');

    const old = await t.http().get(`${base}/${first.id}`).set(mayor());
    expect(old.body).toMatchObject({
      status: 'superseded',
      statusLabel: 'Sostituita',
      supersededBy: { id: second.id, nomineeName: 'Giuseppe Verdi', actNumber: 'ALS-2/2025' },
      allowedActions: [],
    });
    expect(old.body.endReason).toContain('Giuseppe Verdi');
    const active = await t.http().get(`${base}?role=als&status=active`).set(mayor());
    expect(active.body.items.map((n: { id: string }) => n.id)).toEqual([second.id]);

    const tasks = await tasksFor(rossi);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      type: 'console_privilege_removal',
      status: 'open',
      assigneeRole: 'security_admin',
      trigger: 'nomination',
    });
    expect(tasks[0].reason).toContain('Mario Rossi');
    expect(tasks[0].reason).toContain('Giuseppe Verdi, ALS in carica');
    expect(tasks[0].dueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await auditActions(first.id)).toContain('nomination.superseded');
    // The ALS finds it among the inventory's tasks.
    const listed = await t.http().get(`/api/v1/orgs/${orgId}/tasks`).set(auth(tokens.security_admin));
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ id: tasks[0].id, type: 'console_privilege_removal', holder: { id: rossi, name: 'Mario Rossi' } }),
    );

    // A deputy supersedes nobody.
    await nominate(t, orgId, tokens.mayor_office, { role: 'als_deputy', holderId: rossi });
    const stillActive = await t.http().get(`${base}?role=als&status=active`).set(mayor());
    expect(stillActive.body.items).toHaveLength(1);
  });

  it('revoking an active ALP leaves a task; withdrawing a draft does not', async () => {
    const alp = await nominate(t, orgId, tokens.mayor_office, { role: 'alp', holderId: neri });
    const missingReason = await t.http().post(`${base}/${alp.id}/revoke`).set(mayor()).send({});
    expect(missingReason.status).toBe(400);
    const revoked = await t.http().post(`${base}/${alp.id}/revoke`).set(mayor()).send({ reason: 'Revocata con decreto n. 30/2025' });
    expect(revoked.body).toMatchObject({ status: 'revoked', statusLabel: 'Revocata', endReason: 'Revocata con decreto n. 30/2025' });
    const tasks = (await tasksFor(neri)).filter((x) => x.reason.includes('ALP'));
    expect(tasks).toHaveLength(1);
    const again = await t.http().post(`${base}/${alp.id}/revoke`).set(mayor()).send({ reason: 'di nuovo' });
    expect([again.status, again.body.code]).toEqual([409, 'NOMINATION_TRANSITION_NOT_ALLOWED']);

    const before = await count(TaskEntity);
    const draft = await nominate(t, orgId, tokens.mayor_office, { role: 'alp', holderId: verdi }, 'draft');
    const withdrawn = await t.http().post(`${base}/${draft.id}/revoke`).set(mayor()).send({ reason: 'Atto ritirato' });
    expect(withdrawn.body.status).toBe('revoked');
    expect(await count(TaskEntity)).toBe(before);
  });

  it('refuses to activate with a console registration day in the future or before the act', async () => {
    const n = await nominate(
      t,
      orgId,
      tokens.mayor_office,
      { role: 'certificate_custodian', holderId: neri, scope: { workstationIds: [await insertWorkstation(t, orgId, 'X-PC-9')] } },
      'signed',
    );
    for (const registeredOn of ['2999-01-01', '2025-09-30']) {
      const res = await t.http().post(`${base}/${n.id}/activate`).set(mayor()).send({ registeredOn });
      expect([res.status, res.body.code]).toEqual([422, 'NOMINATION_DATES_INVALID']);
    }
    const ok = await t.http().post(`${base}/${n.id}/activate`).set(mayor()).send({ registeredOn: '2025-10-03' });
    expect(ok.body).toMatchObject({ status: 'active', registeredOn: '2025-10-03', scope: { workstations: [{ name: 'X-PC-9' }] } });
  });

  it('lists current and history with filters, names and cursor pagination', async () => {
    const all: { id: string; actDate: string }[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await t
        .http()
        .get(base)
        .query(cursor ? { limit: 2, cursor } : { limit: 2 })
        .set(auth(tokens.auditor));
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      all.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(all.map((n) => n.id)).size).toBe(all.length);
    const everything = await t.http().get(base).query({ limit: 200 }).set(mayor());
    expect(all.map((n) => n.id)).toEqual(everything.body.items.map((n: { id: string }) => n.id));
    expect(all.length).toBeGreaterThanOrEqual(8);

    const superseded = await t.http().get(base).query({ status: 'superseded' }).set(mayor());
    expect(superseded.body.items.every((n: { status: string }) => n.status === 'superseded')).toBe(true);
    expect(superseded.body.items[0].nominee.name).toBe('Mario Rossi');
    const byHolder = await t.http().get(base).query({ holderId: neri, role: 'alp' }).set(mayor());
    expect(byHolder.body.items.every((n: { nominee: { id: string }; role: string }) => n.nominee.id === neri && n.role === 'alp')).toBe(
      true,
    );
    const bad = await t.http().get(base).query({ status: 'attiva' }).set(mayor());
    expect(bad.status).toBe(400);
  });

  it('expires a nomination after its last day (Europe/Rome) and leaves a task for an ALS/ALP', async () => {
    const n = await nominate(t, orgId, tokens.mayor_office, { role: 'alp', holderId: rossi, effectiveUntil: '2099-06-30' });
    const clock = t.app.get<{ now: () => Date }>(NOMINATION_CLOCK);
    const realNow = clock.now;
    try {
      // 2099-06-30T22:30Z is already 1 July in Rome (UTC+2).
      clock.now = () => new Date('2099-06-30T21:59:00Z');
      expect((await t.http().get(`${base}/${n.id}`).set(mayor())).body.status).toBe('active');
      clock.now = () => new Date('2099-06-30T22:30:00Z');
      const res = await t.http().get(`${base}/${n.id}`).set(mayor());
      expect(res.body).toMatchObject({ status: 'expired', statusLabel: 'Scaduta', endedBy: 'custode' });
    } finally {
      clock.now = realNow;
    }
    expect((await tasksFor(rossi)).some((x) => x.reason.includes('scaduta'))).toBe(true);
    expect(await auditActions(n.id)).toContain('nomination.expired');
  });

  it('keeps the certificate custodian scope to this Comune’s certificates', async () => {
    const cert = await insertDevice(t, orgId, { kind: 'workstation_certificate', status: 'installed', label: '015146-PC-7' });
    const res = await t
      .http()
      .post(base)
      .set(mayor())
      .send({
        role: 'certificate_custodian',
        holderId: neri,
        actNumber: 'C-1',
        actDate: '2025-10-01',
        effectiveFrom: '2025-10-01',
        signedBy: 'Sindaco',
        scope: { certificateIds: [cert] },
      });
    expect(res.status).toBe(201);
    expect(res.body.scope).toEqual({ certificates: [{ id: cert, name: '015146-PC-7' }], workstations: [] });
  });
});
