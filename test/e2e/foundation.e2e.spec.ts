import { ADMIN_EMAIL, ADMIN_PASSWORD, STRONG_PASSWORD, TestApp, createTestApp, login, nextIstatCode } from '../support/test-app';

describe('Foundation over HTTP', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
  });
  afterAll(() => t.close());

  it('serves liveness and readiness with database and Redis up', async () => {
    await t.http().get('/health/live').expect(200, { status: 'ok' });
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.details.database.status).toBe('up');
    expect(ready.body.details.redis.status).toBe('up');
  });

  it('lets the superadmin create a Comune and an ALS who then signs in', async () => {
    const istatCode = nextIstatCode();
    const org = await t
      .http()
      .post('/api/v1/orgs')
      .auth(admin, { type: 'bearer' })
      .send({ istatCode, name: 'Comune di Roccacannuccia', province: 'rm' })
      .expect(201);
    expect(org.body).toMatchObject({ istatCode, name: 'Comune di Roccacannuccia', province: 'RM' });
    const user = await t
      .http()
      .post(`/api/v1/orgs/${org.body.id}/users`)
      .auth(admin, { type: 'bearer' })
      .send({ email: 'als@roccacannuccia.test', displayName: 'Anna Sicuri', role: 'security_admin', password: STRONG_PASSWORD })
      .expect(201);
    expect(user.body).toMatchObject({ email: 'als@roccacannuccia.test', role: 'security_admin', mustChangePassword: true });
    expect(user.body).not.toHaveProperty('passwordHash');

    const res = await t.http().post('/api/v1/auth/login').send({ email: 'als@roccacannuccia.test', password: STRONG_PASSWORD }).expect(200);
    expect(res.body).toEqual({ token: expect.stringMatching(/^cus_/), expiresAt: expect.any(String), mustChangePassword: true });
    // Until the password is changed, only the self routes work.
    const blocked = await t.http().get(`/api/v1/orgs/${org.body.id}`).auth(res.body.token, { type: 'bearer' }).expect(403);
    expect(blocked.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    await t
      .http()
      .post('/api/v1/auth/password')
      .auth(res.body.token, { type: 'bearer' })
      .send({ currentPassword: STRONG_PASSWORD, newPassword: 'una-nuova-frase-segreta-7' })
      .expect(204);
    const read = await t.http().get(`/api/v1/orgs/${org.body.id}`).auth(res.body.token, { type: 'bearer' }).expect(200);
    expect(read.body.id).toBe(org.body.id);
    const me = await t.http().get('/api/v1/auth/me').auth(res.body.token, { type: 'bearer' }).expect(200);
    expect(me.body.memberships).toEqual([
      expect.objectContaining({ organizationId: org.body.id, role: 'security_admin', roleLabel: expect.stringContaining('ALS') }),
    ]);
  });

  it('answers a duplicate ISTAT code with 409 naming the Comune, and a bad one with 400', async () => {
    const istatCode = nextIstatCode();
    await t.http().post('/api/v1/orgs').auth(admin, { type: 'bearer' }).send({ istatCode, name: 'Comune Uno' }).expect(201);
    const dup = await t.http().post('/api/v1/orgs').auth(admin, { type: 'bearer' }).send({ istatCode, name: 'Comune Due' }).expect(409);
    expect(dup.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(dup.body).toMatchObject({ status: 409, code: 'ISTAT_CODE_TAKEN', detail: expect.stringContaining('Comune Uno') });
    const bad = await t.http().post('/api/v1/orgs').auth(admin, { type: 'bearer' }).send({ istatCode: '12345', name: 'X' }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['istatCode', 'name']);
  });

  it('refuses unknown body fields with a 400 problem and stores nothing', async () => {
    const istatCode = nextIstatCode();
    const res = await t
      .http()
      .post('/api/v1/orgs')
      .auth(admin, { type: 'bearer' })
      .send({ istatCode, name: 'Comune Tre', isSuperadmin: true })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'isSuperadmin' })] });
    const list = await t.http().get('/api/v1/orgs?limit=200').auth(admin, { type: 'bearer' }).expect(200);
    expect(list.body.items.map((o: { istatCode: string }) => o.istatCode)).not.toContain(istatCode);
  });

  it('answers malformed JSON and oversized bodies with 4xx problems', async () => {
    const malformed = await t.http().post('/api/v1/auth/login').set('content-type', 'application/json').send('{"email":').expect(400);
    expect(malformed.body.code).toBe('MALFORMED_REQUEST');
    const huge = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'a@b.it', password: 'x'.repeat(400_000) })
      .expect(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
    const missing = await t.http().get('/api/v1/nothing-here').auth(admin, { type: 'bearer' }).expect(404);
    expect(missing.body.code).toBe('ROUTE_NOT_FOUND');
  });

  it('refuses a weak password for a new user', async () => {
    const org = await t
      .http()
      .post('/api/v1/orgs')
      .auth(admin, { type: 'bearer' })
      .send({ istatCode: nextIstatCode(), name: 'Comune Quattro' })
      .expect(201);
    const res = await t
      .http()
      .post(`/api/v1/orgs/${org.body.id}/users`)
      .auth(admin, { type: 'bearer' })
      .send({ email: 'op@quattro.test', displayName: 'Op', role: 'operator', password: 'password1234' })
      .expect(422);
    expect(res.body.code).toBe('WEAK_PASSWORD');
  });

  it('serves the OpenAPI document', async () => {
    const res = await t.http().get('/api/docs/openapi.json').expect(200);
    expect(res.body.paths).toHaveProperty('/api/v1/auth/login');
    expect(res.body.paths).toHaveProperty('/api/v1/orgs/{orgId}/audit/verify');
  });
});
