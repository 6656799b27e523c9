import { DataSource } from 'typeorm';
import { SessionEntity } from '../../src/auth/entities/session.entity';
import { ADMIN_EMAIL, ADMIN_PASSWORD, STRONG_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

describe('Sign-in, lockout, sign-out and API tokens', () => {
  let t: TestApp;
  let admin: string;
  let orgId: string;
  let als: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { LOGIN_MAX_FAILURES: '3', LOGIN_LOCKOUT_MINUTES: '15' } });
    admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    ({
      orgId,
      tokens: { security_admin: als },
    } = await createOrgWithMembers(t, admin, ['security_admin']));
  });
  afterAll(() => t.close());

  const platformEvents = (action: string) =>
    t.app.get(DataSource).query(`SELECT seq, entity_id FROM audit_events WHERE chain = 'platform' AND action = '${action}' ORDER BY seq`);

  it('answers a wrong password and an unknown user alike, and audits both', async () => {
    const before = (await platformEvents('auth.login_failed')).length;
    const wrong = await t.http().post('/api/v1/auth/login').send({ email: ADMIN_EMAIL, password: 'not-the-password-1' }).expect(401);
    const unknown = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@custode.test', password: 'not-the-password-1' })
      .expect(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.body).toMatchObject({ code: wrong.body.code, detail: wrong.body.detail });
    expect((await platformEvents('auth.login_failed')).length).toBe(before + 2);
    // A success resets the counter, so the failure above does not count towards a lock.
    await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  it('locks the account after repeated failures, even for the right password, and audits the lock', async () => {
    const email = 'lockme@custode.test';
    await t
      .http()
      .post(`/api/v1/orgs/${orgId}/users`)
      .auth(admin, { type: 'bearer' })
      .send({ email, displayName: 'Lock Me', role: 'operator', password: STRONG_PASSWORD })
      .expect(201);
    for (let i = 0; i < 2; i++) {
      await t.http().post('/api/v1/auth/login').send({ email, password: 'wrong-password-123' }).expect(401);
    }
    const third = await t.http().post('/api/v1/auth/login').send({ email, password: 'wrong-password-123' }).expect(423);
    expect(third.body.code).toBe('ACCOUNT_LOCKED');
    const right = await t.http().post('/api/v1/auth/login').send({ email, password: STRONG_PASSWORD }).expect(423);
    expect(right.body).toMatchObject({ code: 'ACCOUNT_LOCKED', lockedUntil: expect.any(String) });
    expect((await platformEvents('auth.account_locked')).length).toBeGreaterThanOrEqual(1);
    const members = await t.http().get(`/api/v1/orgs/${orgId}/members`).auth(als, { type: 'bearer' }).expect(200);
    expect(members.body.items.find((m: { email: string }) => m.email === email).lockedUntil).not.toBeNull();
  });

  it('revokes the token at sign-out', async () => {
    const token = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    await t.http().get('/api/v1/auth/me').auth(token, { type: 'bearer' }).expect(200);
    await t.http().post('/api/v1/auth/logout').auth(token, { type: 'bearer' }).expect(204);
    const after = await t.http().get('/api/v1/auth/me').auth(token, { type: 'bearer' }).expect(401);
    expect(after.body.code).toBe('UNAUTHENTICATED');
  });

  it('applies a role change, a removal and an expired session on the next request', async () => {
    const home = await createOrgWithMembers(t, admin, ['security_admin', 'operator']);
    const operator = home.tokens.operator!;
    const members = `/api/v1/orgs/${home.orgId}/members`;
    expect((await t.http().get(members).auth(operator, { type: 'bearer' }).expect(403)).body.code).toBe('FORBIDDEN');
    await t
      .http()
      .patch(`${members}/${home.userIds.operator}`)
      .auth(home.tokens.security_admin!, { type: 'bearer' })
      .send({ role: 'auditor' })
      .expect(200);
    await t.http().get(members).auth(operator, { type: 'bearer' }).expect(200);
    await t.http().delete(`${members}/${home.userIds.operator}`).auth(home.tokens.security_admin!, { type: 'bearer' }).expect(204);
    expect((await t.http().get(members).auth(operator, { type: 'bearer' }).expect(404)).body.code).toBe('ORGANIZATION_NOT_FOUND');

    const token = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    await t.http().get(members).auth(token, { type: 'bearer' }).expect(200);
    // Another process (or the clock) ended the session: the next request reads it fresh.
    await t.app
      .get(DataSource)
      .getRepository(SessionEntity)
      .update({ userId: home.userIds.security_admin }, { expiresAt: new Date(Date.now() - 1000) });
    expect((await t.http().get(members).auth(home.tokens.security_admin!, { type: 'bearer' }).expect(401)).body.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('refuses forged, malformed and missing tokens', async () => {
    for (const header of ['Bearer cus_forged-token-value-that-does-not-exist', 'Bearer ', 'Basic abc', 'Bearer x y']) {
      const res = await t.http().get('/api/v1/auth/me').set('authorization', header).expect(401);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });

  it('stores no token in clear: sessions keep only an HMAC', async () => {
    const token = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const rows: { token_hash: string }[] = await t.app.get(DataSource).query('SELECT token_hash FROM sessions');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash) && !token.includes(r.token_hash))).toBe(true);
  });

  it('issues an API token shown once, acting with its role in its Comune only, until revoked', async () => {
    const created = await t
      .http()
      .post(`/api/v1/orgs/${orgId}/api-tokens`)
      .auth(als, { type: 'bearer' })
      .send({ name: 'gestionale anagrafe', role: 'auditor', expiresInDays: 30 })
      .expect(201);
    expect(created.body).toMatchObject({ name: 'gestionale anagrafe', role: 'auditor', token: expect.stringMatching(/^cat_/) });
    const token = created.body.token as string;
    const list = await t.http().get(`/api/v1/orgs/${orgId}/api-tokens`).auth(als, { type: 'bearer' }).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(token);
    await t.http().get(`/api/v1/orgs/${orgId}/audit/verify`).auth(token, { type: 'bearer' }).expect(200);
    const denied = await t.http().patch(`/api/v1/orgs/${orgId}`).auth(token, { type: 'bearer' }).send({ name: 'Altro nome' }).expect(403);
    expect(denied.body.code).toBe('FORBIDDEN');
    await t.http().delete(`/api/v1/orgs/${orgId}/api-tokens/${created.body.id}`).auth(als, { type: 'bearer' }).expect(204);
    await t.http().get(`/api/v1/orgs/${orgId}/audit/verify`).auth(token, { type: 'bearer' }).expect(401);
  });

  it('never removes the last security administrator of a Comune', async () => {
    const members = await t.http().get(`/api/v1/orgs/${orgId}/members`).auth(als, { type: 'bearer' }).expect(200);
    const alsId = members.body.items.find((m: { role: string }) => m.role === 'security_admin').userId;
    const res = await t.http().delete(`/api/v1/orgs/${orgId}/members/${alsId}`).auth(admin, { type: 'bearer' }).expect(409);
    expect(res.body.code).toBe('LAST_SECURITY_ADMIN');
  });
});

describe('Sign-in rate limit per client address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LOGIN_RATE_PER_MINUTE: '5' } });
  });
  afterAll(() => t.close());

  it('answers 429 problem+json past the limit, across different accounts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: `guess${i}@custode.test`, password: 'guess-password-123' });
      statuses.push(res.status);
      if (res.status === 429) expect(res.body.code).toBe('TOO_MANY_REQUESTS');
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });
});
