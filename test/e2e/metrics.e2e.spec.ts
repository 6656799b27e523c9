import { ORG_ROLES } from '../../src/auth/roles';
import { UnitOfWork } from '../../src/database/unit-of-work.service';
import { MetricsService } from '../../src/metrics/metrics.service';
import { createCard } from '../support/reminders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

const METRICS_TOKEN = 'metrics-token-for-the-cache-test-0123456789';
const ACTIVE_CARDS = /custode_devices\{kind="smart_card",status="active"\} (\d+)/;

/** GET /metrics at scale: computed at most every METRICS_CACHE_SECONDS, one computation shared by concurrent scrapes. */
describe.each([
  { cacheSeconds: '0', fresh: true },
  { cacheSeconds: '3600', fresh: false },
])('Metrics with METRICS_CACHE_SECONDS=$cacheSeconds', ({ cacheSeconds, fresh }) => {
  let t: TestApp;
  let orgId: string;
  let als: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { METRICS_TOKEN, METRICS_CACHE_SECONDS: cacheSeconds, LOGIN_RATE_PER_MINUTE: '1000' } });
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = await createOrgWithMembers(t, admin, ORG_ROLES);
    orgId = org.orgId;
    als = org.tokens.security_admin!;
  }, 120_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  const scrape = async () => {
    const res = await t.http().get('/metrics').auth(METRICS_TOKEN, { type: 'bearer' }).expect(200);
    return res.text;
  };
  const activeCards = (text: string) => Number(ACTIVE_CARDS.exec(text)?.[1] ?? 0);

  it('computes once for scrapes that arrive together', async () => {
    await createCard(t, als, orgId, `MET-${cacheSeconds}-1`, '2030-09-01T10:00:00Z');
    const reads = jest.spyOn(t.app.get(UnitOfWork), 'read');
    const metrics = t.app.get(MetricsService);
    const texts = await Promise.all(Array.from({ length: 8 }, () => metrics.render()));
    expect(reads).toHaveBeenCalledTimes(1);
    expect(new Set(texts).size).toBe(1);
    expect(activeCards(texts[0]!)).toBe(1);
    reads.mockRestore();
  });

  it(fresh ? 'shows a new device at the next scrape' : 'serves the computed text until it is older than the setting', async () => {
    await createCard(t, als, orgId, `MET-${cacheSeconds}-2`, '2030-09-01T10:00:00Z');
    const reads = jest.spyOn(t.app.get(UnitOfWork), 'read');
    const text = await scrape();
    expect(activeCards(text)).toBe(fresh ? 2 : 1);
    expect(reads).toHaveBeenCalledTimes(fresh ? 1 : 0);
    reads.mockRestore();
  });
});
