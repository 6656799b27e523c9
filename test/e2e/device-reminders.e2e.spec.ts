import { ORG_ROLES } from '../../src/auth/roles';
import { createCard, createHolder, setNow } from '../support/reminders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

/**
 * The inventory calls the reminders' device hook in its own transaction: a new card gets its
 * current step at once, without waiting for a sweep, and a final status cancels what is pending.
 * HTTP only; "now" is fixed through the shared clock.
 */
describe('Device reminders hook', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { LOGIN_RATE_PER_MINUTE: '1000' } });
    admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
  }, 120_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  it('writes the 30-day step when a card is created and cancels it when the card is destroyed', async () => {
    const org = await createOrgWithMembers(t, admin, ORG_ROLES);
    const als = org.tokens.security_admin!;
    const holderId = await createHolder(t, als, org.orgId, 4242, 'titolare.hook@comune.test');
    // 10:00 in Rome on Wednesday 10 June 2026; the card expires 20 days later.
    setNow('2026-06-10T08:00:00Z');
    const cardId = await createCard(t, als, org.orgId, 'HOOK-1', '2026-06-30T10:00:00Z', holderId);
    const reminders = async () =>
      (await t.http().get(`/api/v1/orgs/${org.orgId}/reminders?deviceId=${cardId}`).auth(als, { type: 'bearer' }).expect(200)).body
        .items as { stepDays: number; state: string; closedReason: string | null }[];

    const created = await reminders();
    // Holder (e-mail) + ALS (e-mail, in-app), no sweep run.
    expect(created).toHaveLength(3);
    expect(created.every((r) => r.stepDays === 30 && r.state === 'pending')).toBe(true);

    await t
      .http()
      .post(`/api/v1/orgs/${org.orgId}/devices/${cardId}/transitions`)
      .auth(als, { type: 'bearer' })
      .set('If-Match', '"1"')
      .send({ action: 'destroy' })
      .expect(200);
    const after = await reminders();
    expect(after).toHaveLength(3);
    expect(after.every((r) => r.state === 'cancelled' && r.closedReason === 'status:destroyed')).toBe(true);
  });
});
