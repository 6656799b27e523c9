import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createTestApp, login, nextIstatCode } from '../support/test-app';

/** Redis unreachable: readiness says so, and the API keeps serving (design.md section 1). */
describe('with Redis down', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Port 1 on loopback: nothing listens there, so every connection is refused at once.
    t = await createTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1' }, workers: true });
  });
  afterAll(() => t.close());

  it('reports Redis down in readiness while staying ready', async () => {
    const res = await t.http().get('/health/ready').expect(200);
    expect(res.body).toMatchObject({
      status: 'degraded',
      details: { database: { status: 'up' }, redis: { status: 'down', critical: false } },
    });
  });

  it('keeps serving reads and writes', async () => {
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = await t
      .http()
      .post('/api/v1/orgs')
      .auth(admin, { type: 'bearer' })
      .send({ istatCode: nextIstatCode(), name: 'Comune senza Redis' })
      .expect(201);
    await t.http().get(`/api/v1/orgs/${org.body.id}`).auth(admin, { type: 'bearer' }).expect(200);
  });
});
