import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { In } from 'typeorm';
import { DeviceEntity } from '../../src/devices/entities/device.entity';
import { UnitOfWork } from '../../src/database/unit-of-work.service';
import { ReminderEntity } from '../../src/reminders/entities/reminder.entity';
import { ReminderDispatcher } from '../../src/reminders/reminder-dispatcher.service';
import { setNow, startSmtp, waitFor } from '../support/reminders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';
import { newDeviceRow } from '../../src/devices/new-device-row';

const ROOT = join(__dirname, '..', '..');
const COUNT = 1000;

/** The worker process (src/worker.ts) as a child, on the test's database and Redis prefix. */
function startWorker(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'worker.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.resume();
  return child;
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('A worker killed in the middle of delivering 1,000 e-mails', () => {
  if (process.env.TEST_DB !== 'postgres') {
    // Only one process may open a SQLite file (design.md section 1): the worker process refuses it.
    it('the worker process refuses SQLite', async () => {
      const child = startWorker({ SQLITE_PATH: '/tmp/custode-refused.sqlite' });
      expect(await exited(child)).toBe(78);
    }, 60_000);
    return;
  }

  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let worker: ChildProcess | null = null;

  beforeAll(async () => {
    // The server takes a little time per message, so the kill lands mid-delivery.
    smtp = await startSmtp({ delayMs: 5 });
    t = await createTestApp({ workers: false, env: { SMTP_URL: smtp.url, LOGIN_RATE_PER_MINUTE: '1000' } });
  }, 120_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    if (worker && worker.exitCode === null) {
      worker.kill('SIGKILL');
      await exited(worker);
    }
    await t.close();
    await smtp.close();
  });

  it('loses none and duplicates at most the deliveries in flight, with the same Message-ID', async () => {
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const { orgId, tokens } = await createOrgWithMembers(t, admin, ['security_admin']);
    await t
      .http()
      .put(`/api/v1/orgs/${orgId}/reminder-policies/smart_card`)
      .auth(tokens.security_admin!, { type: 'bearer' })
      .send({ steps: [90, 60, 30, 14, 7, 1, 0], sendHour: 9, channels: ['email'], escalateSteps: [] })
      .expect(200);
    setNow('2026-06-10T08:00:00Z');
    const now = new Date();
    const devices: DeviceEntity[] = Array.from({ length: COUNT }, (_, i) =>
      newDeviceRow(
        {
          organizationId: orgId,
          kind: 'smart_card',
          status: 'active',
          label: `CARD-${i}`,
          expiresAt: new Date(Date.UTC(2026, 5, 20, 10, 0, i % 60)),
        },
        now,
      ),
    );
    await t.app.get(UnitOfWork).run(async (tx) => {
      for (let i = 0; i < devices.length; i += 200) await tx.em.getRepository(DeviceEntity).insert(devices.slice(i, i + 200));
    });
    const swept = await t.http().post(`/api/v1/orgs/${orgId}/reminders/sweep`).auth(tokens.security_admin!, { type: 'bearer' }).expect(200);
    expect(swept.body.created).toBe(COUNT);
    expect(await t.app.get(ReminderDispatcher).dispatchDue()).toBe(COUNT);

    const env = {
      DATABASE_URL: t.config.database.url!,
      DATABASE_SCHEMA: t.config.database.schema!,
      REDIS_URL: t.config.redis.url,
      REDIS_PREFIX: t.config.redis.prefix,
      SMTP_URL: smtp.url,
      NOTIFY_CONCURRENCY: '10',
    };
    worker = startWorker(env);
    await waitFor('300 e-mails received', async () => smtp.mails.length >= 300, 120_000);
    worker.kill('SIGKILL');
    await exited(worker);
    const rows = () => t.app.get(UnitOfWork).read((em) => em.getRepository(ReminderEntity).findBy({ organizationId: orgId }));
    const atKill = await rows();
    const inFlight = atKill.filter((r) => r.state === 'sending').length;
    const receivedAtKill = smtp.mails.length;

    worker = startWorker(env);
    const done = await waitFor(
      'every row sent after the restart',
      async () => {
        const all = await rows();
        return all.every((r) => r.state === 'sent') ? all : null;
      },
      180_000,
    );
    await new Promise((r) => setTimeout(r, 1000));
    const ids = smtp.mails.map((m) => m.parsed.messageId!);
    const distinct = new Set(ids);
    const duplicates = ids.length - distinct.size;
    process.stderr.write(
      `worker kill: ${COUNT} rows, ${receivedAtKill} received at the kill, ${inFlight} in flight (sending), ` +
        `${ids.length} received in all, ${distinct.size} distinct Message-IDs, ${duplicates} duplicates\n`,
    );
    expect(distinct).toEqual(new Set(done.map((r) => `<${r.id}@custode.reminders>`)));
    expect(duplicates).toBeLessThanOrEqual(inFlight);
    const sending = await t.app
      .get(UnitOfWork)
      .read((em) =>
        em.getRepository(ReminderEntity).countBy({ organizationId: orgId, state: In(['pending', 'queued', 'sending', 'failed']) }),
      );
    expect(sending).toBe(0);
  }, 300_000);
});
