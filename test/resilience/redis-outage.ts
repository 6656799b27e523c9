import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { In } from 'typeorm';
import { UnitOfWork } from '../../src/database/unit-of-work.service';
import { DeviceSmartCardEntity } from '../../src/devices/entities/device-details.entity';
import { DeviceEntity } from '../../src/devices/entities/device.entity';
import { HolderEntity } from '../../src/holders/holder.entity';
import { JobQueueService } from '../../src/queue/job-queue.service';
import { QueueName } from '../../src/queue/jobs';
import { ReminderEntity } from '../../src/reminders/entities/reminder.entity';
import { fiscalCode } from '../support/inventory';
import { createCard, redisProxy, setNow, startSmtp, waitFor } from '../support/reminders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';
import { newDeviceRow } from '../../src/devices/new-device-row';

/**
 * Issue 9 item 2 at full size: a sweep writes 10,000 due e-mail reminders; while they are being
 * delivered, Redis (a TCP proxy in front of it) is cut for 30 s and restored. The API must answer
 * every request meanwhile (readiness saying Redis is down), and every ledger row must reach the
 * SMTP server in the test, carrying its ledger id as Message-ID.
 *
 * The guarantee checked is exactly once: the process does not die, so no message can be accepted
 * by the SMTP server without its row being marked `sent` (design.md section 5 allows a duplicate
 * only for a message in flight at a crash). Every job that Redis lost track of during the cut
 * (lock expired, completion not recorded) runs again after it, and the ledger must refuse it.
 */
const HOLDERS = 100;
const CUT_MS = Number(process.env.OUTAGE_CUT_MS ?? 30_000);
/** The cut comes once this share of the messages has arrived. */
const CUT_AT = 0.2;
const NOW = '2026-06-10T08:00:00Z'; // a Wednesday, 10:00 in Rome
const FIRST_EXPIRY = Date.parse('2026-06-25T10:00:00Z');
const DAY_MS = 86_400_000;
const OPEN = ['pending', 'queued', 'sending'] as const;

interface AnswerBody {
  version?: number;
  details?: { redis?: { status?: string } };
}

interface Answer {
  what: 'read' | 'write' | 'ready';
  status: number;
  ms: number;
  redis?: string;
  error?: string;
}

/** `cards` smart cards, each due for two e-mails (holder, ALS): 5,000 cards = 10,000 reminders. */
export function redisOutageScenario(kind: 'sqlite' | 'postgres', cardCount: number): void {
  const CARDS = cardCount;
  describe(`Redis cut for ${CUT_MS / 1000} s during a ${CARDS * 2}-reminder sweep on ${kind}`, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let proxy: Awaited<ReturnType<typeof redisProxy>>;

    // SQLite: the file lives in memory-backed /dev/shm where there is one. The proof is about Redis;
    // on this machine's disk the 20,000 synchronous=FULL commits of the deliveries alone block the
    // event loop ~70 s (3.4 ms per fsync), which the resilience run cannot afford.
    const shm = kind === 'sqlite' && existsSync('/dev/shm') ? mkdtempSync(join('/dev/shm', 'custode-outage-')) : null;

    beforeAll(async () => {
      smtp = await startSmtp();
      proxy = await redisProxy();
      await proxy.start();
      const env = { REDIS_URL: proxy.url, SMTP_URL: smtp.url, ...(shm ? { SQLITE_PATH: join(shm, 'custode.sqlite') } : {}) };
      t = await createTestApp({ workers: true, env });
    }, 120_000);
    afterAll(async () => {
      jest.restoreAllMocks();
      await proxy?.start();
      await t?.close();
      await proxy?.stop();
      await smtp?.close();
      if (shm) rmSync(shm, { recursive: true, force: true });
    });

    const uow = () => t.app.get(UnitOfWork);
    const jobs = () => t.app.get(JobQueueService);
    const openRows = () => uow().read((em) => em.getRepository(ReminderEntity).countBy({ state: In([...OPEN]) }));

    it('delivers every reminder exactly once and answers every request during the cut', async () => {
      const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
      const { orgId, tokens, userIds } = await createOrgWithMembers(t, admin, ['security_admin']);
      const als = tokens.security_admin!;
      const alsUser = `user:${userIds.security_admin}`;
      const api = (path: string) => `/api/v1/orgs/${orgId}${path}`;
      setNow(NOW);
      // One step, e-mail only, no escalation: each card gives exactly two rows (holder, ALS).
      await t
        .http()
        .put(api('/reminder-policies/smart_card'))
        .auth(als, { type: 'bearer' })
        .send({ steps: [30], sendHour: 9, channels: ['email'], escalateSteps: [] })
        .expect(200);
      // A card for the write loop, its first step years away (no reminder of its own).
      const noteCard = await createCard(t, als, orgId, 'OUTAGE-NOTE', '2030-01-15T10:00:00Z');

      // Holders and cards in bulk, past the API and its per-device hook: the sweep writes every row.
      const seeded = performance.now();
      const now = new Date(NOW);
      const holders = Array.from({ length: HOLDERS }, (_, i) => ({ id: randomUUID(), email: `titolare${i}@outage.test`, i }));
      const cards = Array.from({ length: CARDS }, (_, i) => ({ id: randomUUID(), holder: holders[i % HOLDERS]!, i }));
      await uow().run(async (tx) => {
        await tx.em.insert(
          HolderEntity,
          holders.map((h) => ({
            id: h.id,
            organizationId: orgId,
            firstName: `Nome${h.i}`,
            lastName: `Cognome${h.i}`,
            fiscalCode: fiscalCode(9000 + h.i),
            email: h.email,
            office: 'Anagrafe',
            roleDescription: null,
            employmentStatus: 'active' as const,
            leaverReason: null,
            leftOn: null,
            leaverNote: null,
            userId: null,
            createdAt: now,
            updatedAt: now,
            version: 1,
          })),
        );
        for (let from = 0; from < cards.length; from += 500) {
          const chunk = cards.slice(from, from + 500);
          await tx.em.insert(
            DeviceEntity,
            chunk.map((c) =>
              newDeviceRow(
                {
                  id: c.id,
                  organizationId: orgId,
                  kind: 'smart_card',
                  status: 'active',
                  label: `CNS ${String(c.i).padStart(8, '0')}`,
                  holderId: c.holder.id,
                  // Spread over ten days from 15 days ahead: the 30-day step fell due on every one.
                  expiresAt: new Date(FIRST_EXPIRY + (c.i % 10) * DAY_MS + c.i * 1000),
                },
                now,
              ),
            ),
          );
          await tx.em.insert(
            DeviceSmartCardEntity,
            chunk.map((c) => ({
              deviceId: c.id,
              organizationId: orgId,
              serialNumber: `OUT${String(c.i).padStart(10, '0')}`,
              cardType: 'CNS',
              generation: 'v3',
            })),
          );
        }
      });
      const seedSeconds = (performance.now() - seeded) / 1000;

      const sweep = await t.http().post(api('/reminders/sweep')).auth(als, { type: 'bearer' }).timeout(120_000).expect(200);
      expect(sweep.body.created).toBe(CARDS * 2);
      const rows = await uow().read((em) => em.getRepository(ReminderEntity).findBy({ organizationId: orgId }));
      const address = new Map<string, string>(holders.map((h) => [`holder:${h.id}`, h.email]));
      address.set(alsUser, `security_admin.${orgId.slice(0, 8)}@comune.test`);
      // The expected set: for each card its holder and the ALS, one e-mail each.
      expect(rows.map((r) => `${r.subjectId}|${r.channel}|${r.recipient}`).sort()).toEqual(
        cards.flatMap((c) => [`${c.id}|email|holder:${c.holder.id}`, `${c.id}|email|${alsUser}`]).sort(),
      );
      const expected = new Map(rows.map((r) => [`<${r.id}@custode.reminders>`, address.get(r.recipient)!]));

      // OUTAGE_TRACE=1: a line every 5 s (messages, ledger states) to see where time goes.
      const trace = process.env.OUTAGE_TRACE
        ? setInterval(() => {
            void uow()
              .read((em) =>
                em
                  .getRepository(ReminderEntity)
                  .createQueryBuilder('r')
                  .select('r.state', 'state')
                  .addSelect('count(*)', 'n')
                  .groupBy('r.state')
                  .getRawMany(),
              )
              .then((s) => process.stdout.write(`${new Date().toISOString()} mails ${smtp.mails.length} ${JSON.stringify(s)}\n`));
          }, 5000)
        : null;

      // The cut: mid-delivery.
      await waitFor('a fifth of the messages delivered', async () => smtp.mails.length >= CARDS * 2 * CUT_AT, 300_000);
      await proxy.stop();
      const cutAt = performance.now();
      const deliveredAtCut = smtp.mails.length;
      const openAtCut = await openRows();
      const sendingAtCut = await uow().read((em) => em.getRepository(ReminderEntity).countBy({ state: 'sending' }));
      expect(openAtCut).toBeGreaterThan(0);
      await waitFor(
        'readiness to report Redis down',
        async () => (await t.http().get('/health/ready')).body.details?.redis?.status === 'down',
        10_000,
      );

      // The API during the cut: a read, a write and readiness, in turn, until the cut ends.
      const answers: Answer[] = [];
      let version = 1;
      const timed = async (what: Answer['what'], call: () => Promise<{ status: number; body: AnswerBody }>) => {
        const started = performance.now();
        try {
          const res = await call();
          answers.push({ what, status: res.status, ms: performance.now() - started, redis: res.body?.details?.redis?.status });
          return res;
        } catch (error) {
          // A request that hangs past the timeout (or a dropped connection) fails the test below.
          answers.push({ what, status: 0, ms: performance.now() - started, error: String(error) });
          return null;
        }
      };
      for (let n = 0; performance.now() - cutAt < CUT_MS; n++) {
        await timed('read', () =>
          t
            .http()
            .get(api(`/devices/${noteCard}`))
            .auth(als, { type: 'bearer' })
            .timeout(10_000),
        );
        const written = await timed('write', () =>
          t
            .http()
            .patch(api(`/devices/${noteCard}`))
            .auth(als, { type: 'bearer' })
            .set('If-Match', `"${version}"`)
            .send({ notes: `Nota scritta durante il guasto di Redis n. ${n}` })
            .timeout(10_000),
        );
        if (written?.status === 200) version = written.body.version as number;
        await timed('ready', () => t.http().get('/health/ready').timeout(10_000));
      }
      const deliveredDuringCut = smtp.mails.length - deliveredAtCut;
      await proxy.start();
      const restoredAt = performance.now();

      await waitFor('no open ledger row', async () => (await openRows()) === 0, 600_000);
      const drainSeconds = (performance.now() - restoredAt) / 1000;
      if (trace) clearInterval(trace);
      await waitFor(
        'readiness to report Redis up',
        async () => (await t.http().get('/health/ready')).body.details?.redis?.status === 'up',
        30_000,
      );
      // Jobs whose completion Redis never recorded (their lock expired during the cut) are moved
      // back and run again by BullMQ's stalled-job check: wait until the queue is empty, then count.
      await waitFor(
        'the notifications queue to empty',
        async () => {
          const depth = (await jobs().depths())[QueueName.Notifications]!;
          return depth.waiting + depth.active + depth.delayed === 0;
        },
        120_000,
      );

      const final = await uow().read((em) => em.getRepository(ReminderEntity).findBy({ organizationId: orgId }));
      const byId = new Map<string, number>();
      const wrongRecipient: string[] = [];
      for (const mail of smtp.mails) {
        const id = mail.parsed.messageId ?? '(none)';
        byId.set(id, (byId.get(id) ?? 0) + 1);
        if (mail.to.join(',') !== expected.get(id)) wrongRecipient.push(`${id} -> ${mail.to.join(',')}`);
      }
      const missing = [...expected.keys()].filter((id) => !byId.has(id));
      const unknown = [...byId.keys()].filter((id) => !expected.has(id));
      const duplicates = [...byId.entries()].filter(([, n]) => n > 1);
      const states = final.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.state]: (acc[r.state] ?? 0) + 1 }), {});
      const count = (what: Answer['what']) => answers.filter((a) => a.what === what).length;
      const longest = answers.reduce((max, a) => Math.max(max, a.ms), 0);
      process.stdout.write(
        [
          `redis outage on ${kind}: ${final.length} ledger rows (seeded ${CARDS} cards in ${seedSeconds.toFixed(1)} s), ` +
            `${smtp.mails.length} messages received, ${byId.size} distinct Message-IDs, ${duplicates.length} duplicates, ${missing.length} missing`,
          `  cut ${CUT_MS / 1000} s after ${deliveredAtCut} messages with ${openAtCut} rows open (${sendingAtCut} sending); ` +
            `${deliveredDuringCut} messages arrived during the cut`,
          `  API during the cut: ${answers.length} answers (${count('read')} reads, ${count('write')} note changes, ${count('ready')} readiness), ` +
            `${answers.filter((a) => a.status === 0 || a.status >= 500).length} failed or 5xx, longest ${Math.round(longest)} ms`,
          `  drained ${drainSeconds.toFixed(1)} s after Redis returned; states ${JSON.stringify(states)}`,
          '',
        ].join('\n'),
      );

      expect(answers.filter((a) => a.status !== 200)).toEqual([]);
      expect(answers.filter((a) => a.what === 'ready' && a.redis !== 'down')).toEqual([]);
      expect([count('read'), count('write'), count('ready')].every((n) => n > 0)).toBe(true);
      expect(states).toEqual({ sent: CARDS * 2 });
      expect({ missing, unknown, duplicates, wrongRecipient }).toEqual({ missing: [], unknown: [], duplicates: [], wrongRecipient: [] });
    }, 900_000);
  });
}
