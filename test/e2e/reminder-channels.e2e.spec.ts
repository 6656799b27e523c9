import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import ical from 'node-ical';
import { FindOptionsWhere } from 'typeorm';
import { ORG_ROLES } from '../../src/auth/roles';
import { UnitOfWork } from '../../src/database/unit-of-work.service';
import { ReminderEntity } from '../../src/reminders/entities/reminder.entity';
import { createCard, createHolder, setNow, waitFor } from '../support/reminders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

const METRICS_TOKEN = 'metrics-token-for-the-test-0123456789';

interface Delivery {
  headers: IncomingMessage['headers'];
  body: string;
  valid: boolean;
}

/** A webhook receiver that verifies the signature as an integrator would. */
async function receiver(secretOf: () => string, failFirst: number) {
  const deliveries: Delivery[] = [];
  let failures = failFirst;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(req.headers['x-custode-timestamp'] ?? '');
      const expected = `sha256=${createHmac('sha256', secretOf()).update(`${timestamp}.${body}`).digest('hex')}`;
      const given = String(req.headers['x-custode-signature'] ?? '');
      const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
      const valid = fresh && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
      deliveries.push({ headers: req.headers, body, valid });
      if (failures > 0) {
        failures -= 1;
        res.writeHead(503).end();
        return;
      }
      res.writeHead(valid ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('Reminder channels: webhooks, calendar feed, metrics, queue dashboard', () => {
  let t: TestApp;
  let admin: string;
  let orgId: string;
  let tokens: Record<string, string>;
  let secret = '';
  let hook: Awaited<ReturnType<typeof receiver>>;
  const ledger = (where: FindOptionsWhere<ReminderEntity>) =>
    t.app.get(UnitOfWork).read((em) => em.getRepository(ReminderEntity).find({ where: { organizationId: orgId, ...where } }));

  beforeAll(async () => {
    hook = await receiver(() => secret, 2);
    t = await createTestApp({
      workers: true,
      env: { METRICS_TOKEN, NOTIFY_BACKOFF_MS: '50', NOTIFY_MAX_ATTEMPTS: '4', LOGIN_RATE_PER_MINUTE: '1000' },
    });
    admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    ({ orgId, tokens } = await createOrgWithMembers(t, admin, ORG_ROLES));
  }, 120_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
    await hook.close();
  });

  it('signs webhooks with HMAC-SHA256 over timestamp and body, retrying until the receiver accepts', async () => {
    const created = await t
      .http()
      .post(`/api/v1/orgs/${orgId}/webhooks`)
      .auth(tokens.security_admin!, { type: 'bearer' })
      .send({ url: hook.url, description: 'SIEM' })
      .expect(201);
    secret = created.body.secret;
    expect(secret.length).toBeGreaterThan(30);
    const listed = await t.http().get(`/api/v1/orgs/${orgId}/webhooks`).auth(tokens.security_admin!, { type: 'bearer' }).expect(200);
    expect(listed.body.items[0]).not.toHaveProperty('secret');
    await t
      .http()
      .post(`/api/v1/orgs/${orgId}/webhooks`)
      .auth(tokens.security_admin!, { type: 'bearer' })
      .send({ url: 'ftp://x', description: 'no' })
      .expect(400);

    setNow('2026-06-10T08:00:00Z');
    const card = await createCard(t, tokens.security_admin!, orgId, 'W-1', '2026-06-30T10:00:00Z');
    await t.http().post(`/api/v1/orgs/${orgId}/reminders/sweep`).auth(tokens.security_admin!, { type: 'bearer' }).expect(200);
    const [row] = await waitFor('webhook sent', async () => {
      const rows = await ledger({ channel: 'webhook', deviceId: card });
      return rows.length === 1 && rows[0]!.state === 'sent' ? rows : null;
    });
    // Refused twice (503), accepted the third time; every attempt was signed correctly.
    expect(row!.attempts).toBe(3);
    expect(hook.deliveries).toHaveLength(3);
    expect(hook.deliveries.every((d) => d.valid)).toBe(true);
    expect(hook.deliveries.every((d) => d.headers['x-custode-delivery'] === row!.id)).toBe(true);
    const event = JSON.parse(hook.deliveries[2]!.body);
    expect(event).toMatchObject({
      id: row!.id,
      reference: row!.reference,
      type: 'reminder.due',
      deviceId: card,
      stepDays: 30,
      dueOn: '2026-05-29',
    });
    // A tampered body does not verify with the same signature.
    const d = hook.deliveries[2]!;
    const forged = createHmac('sha256', secret)
      .update(`${d.headers['x-custode-timestamp']}.${d.body.replace('30', '31')}`)
      .digest('hex');
    expect(`sha256=${forged}`).not.toBe(d.headers['x-custode-signature']);
  });

  it('marks a webhook failed with the reason after the last attempt', async () => {
    const [endpoint] = (await t.http().get(`/api/v1/orgs/${orgId}/webhooks`).auth(tokens.security_admin!, { type: 'bearer' })).body.items;
    secret = 'wrong-secret'; // the receiver now answers 401: a permanent refusal
    const card = await createCard(t, tokens.security_admin!, orgId, 'W-2', '2026-06-29T10:00:00Z');
    await t.http().post(`/api/v1/orgs/${orgId}/reminders/sweep`).auth(tokens.security_admin!, { type: 'bearer' }).expect(200);
    const [row] = await waitFor('webhook failed', async () => {
      const rows = await ledger({ channel: 'webhook', deviceId: card });
      return rows.length === 1 && rows[0]!.state === 'failed' ? rows : null;
    });
    expect(row!.lastError).toBe('webhook answered 401');
    await t.http().delete(`/api/v1/orgs/${orgId}/webhooks/${endpoint.id}`).auth(tokens.security_admin!, { type: 'bearer' }).expect(204);
  });

  it('serves a calendar feed behind a revocable token that a third-party parser reads', async () => {
    const holder = await createHolder(t, tokens.security_admin!, orgId, 700, 'persona@comune.test');
    await createCard(t, tokens.security_admin!, orgId, 'ICS-1;,\\', '2026-09-15T10:00:00Z', holder);
    const feed = await t.http().post(`/api/v1/orgs/${orgId}/calendar-feed`).auth(tokens.security_admin!, { type: 'bearer' }).expect(201);
    expect(feed.body.path).toMatch(/^\/api\/v1\/calendar\/cfd_[A-Za-z0-9_-]+\.ics$/);
    const res = await t.http().get(feed.body.path).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    expect(res.text).not.toMatch(/https?:\/\//);
    const parsed = ical.sync.parseICS(res.text);
    const events = Object.values(parsed).filter((c) => c?.type === 'VEVENT') as ical.VEvent[];
    const summaries = events.map((e) => String(e.summary));
    expect(summaries).toContain('Scadenza: Smart card ICS-1;,\\');
    expect(summaries).toContain('Scadenza: Smart card W-1');
    const ics1 = events.find((e) => String(e.summary).includes('ICS-1'))!;
    expect(ics1.datetype).toBe('date');
    expect([ics1.start.getFullYear(), ics1.start.getMonth() + 1, ics1.start.getDate()]).toEqual([2026, 9, 15]);
    // The operator's feed has only their own devices (none).
    const operatorFeed = await t.http().post(`/api/v1/orgs/${orgId}/calendar-feed`).auth(tokens.operator!, { type: 'bearer' }).expect(201);
    const opEvents = Object.values(ical.sync.parseICS((await t.http().get(operatorFeed.body.path).expect(200)).text)).filter(
      (c) => c?.type === 'VEVENT',
    );
    expect(opEvents).toHaveLength(0);
    // Replacing or revoking the token ends the old URL.
    const again = await t.http().post(`/api/v1/orgs/${orgId}/calendar-feed`).auth(tokens.security_admin!, { type: 'bearer' }).expect(201);
    await t.http().get(feed.body.path).expect(404);
    await t.http().get(again.body.path).expect(200);
    await t.http().delete(`/api/v1/orgs/${orgId}/calendar-feed`).auth(tokens.security_admin!, { type: 'bearer' }).expect(204);
    await t.http().get(again.body.path).expect(404);
    await t.http().get('/api/v1/calendar/not-a-token.ics').expect(404);
  });

  it('exposes Prometheus metrics to the bearer of METRICS_TOKEN only', async () => {
    const first = await t.http().get('/metrics');
    expect(first.status).toBe(401);
    await t.http().get('/metrics').auth(tokens.security_admin!, { type: 'bearer' }).expect(401);
    const res = await t.http().get('/metrics').auth(METRICS_TOKEN, { type: 'bearer' }).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/custode_devices\{kind="smart_card",status="active"\} \d+/);
    expect(res.text).toMatch(/custode_devices_expiring\{within="90d"\} \d+/);
    expect(res.text).toMatch(/custode_reminders\{state="sent"\} [1-9]\d*/);
    expect(res.text).toMatch(/custode_queue_jobs\{queue="notifications",state="waiting"\} \d+/);
    expect(res.text).toMatch(/custode_tasks_overdue \d+/);
  });

  it('opens the queue dashboard to the superadmin only', async () => {
    await t.http().get('/api/v1/admin/queues').expect(401);
    await t.http().get('/api/v1/admin/queues').auth(tokens.security_admin!, { type: 'bearer' }).expect(403);
    const page = await t.http().get('/api/v1/admin/queues').auth(admin, { type: 'bearer' }).expect(200);
    expect(page.text).toMatch(/<html/i);
    const api = await t.http().get('/api/v1/admin/queues/api/queues').auth(admin, { type: 'bearer' }).expect(200);
    expect(JSON.stringify(api.body)).toContain('notifications');
    const session = await t.http().post('/api/v1/admin/queue-dashboard/session').auth(admin, { type: 'bearer' }).expect(204);
    const cookie = String(session.headers['set-cookie']);
    expect(cookie).toMatch(/custode_dashboard=.*HttpOnly/i);
    await t.http().get('/api/v1/admin/queues/api/queues').set('Cookie', cookie.split(';')[0]!).expect(200);
  });
});
