import { getQueueToken } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { UnitOfWork } from '../../src/database/unit-of-work.service';
import { OrganizationEntity } from '../../src/organizations/organization.entity';
import { JobQueueService } from '../../src/queue/job-queue.service';
import { JobName, QueueName } from '../../src/queue/jobs';
import { ReminderEntity } from '../../src/reminders/entities/reminder.entity';
import { sweepJobId } from '../../src/reminders/reminder-sweep-fanout.service';
import { ReminderSweepService } from '../../src/reminders/reminder-sweep.service';
import { createCard, setNow, waitFor } from '../support/reminders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

const DAY = '2026-06-10';
const ALL_STATES = ['completed', 'failed', 'waiting', 'prioritized', 'active', 'delayed'] as const;

/**
 * The daily sweep job on real Redis: it adds one job per Comune (id from the Comune and the Rome
 * day), the worker runs them, one Comune's failure is retried alone, and a second run the same day
 * adds nothing.
 */
describe('Daily sweep fan-out', () => {
  let t: TestApp;
  let queue: Queue;
  let orgIds: string[];

  beforeAll(async () => {
    t = await createTestApp({ workers: true, env: { LOGIN_RATE_PER_MINUTE: '1000', REMINDER_SWEEP_BACKOFF_MS: '100' } });
    queue = t.app.get<Queue>(getQueueToken(QueueName.Reminders));
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    // Registered when no step is due yet (102 days ahead), so the sweep jobs are what write the rows.
    setNow('2026-03-20T08:00:00Z');
    for (let i = 0; i < 3; i++) {
      const org = await createOrgWithMembers(t, admin, ['security_admin']);
      await createCard(t, org.tokens.security_admin!, org.orgId, `FAN-${i}`, '2026-06-30T10:00:00Z');
    }
    orgIds = (await t.app.get(UnitOfWork).read((em) => em.getRepository(OrganizationEntity).find())).map((o) => o.id).sort();
    setNow(`${DAY}T08:00:00Z`);
  }, 120_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  const ledgerCount = () => t.app.get(UnitOfWork).read((em) => em.getRepository(ReminderEntity).count());
  const sweepJobs = async () =>
    (await queue.getJobs([...ALL_STATES])).filter((j) => j.name === JobName.SweepOrganization).sort((a, b) => a.id!.localeCompare(b.id!));
  /** Runs the daily job (as its scheduler would add it) and waits for it to finish. */
  const runDaily = async (jobId: string) => {
    await t.app.get(JobQueueService).enqueue(JobName.SweepReminders, {}, { jobId });
    return waitFor(`daily job ${jobId}`, async () => {
      const job = await queue.getJob(jobId);
      return job && (await job.getState()) === 'completed' ? job : null;
    });
  };

  it('adds one job per Comune, each run by the worker; a failing Comune is retried alone', async () => {
    expect(orgIds).toHaveLength(3);
    const sweeper = t.app.get(ReminderSweepService);
    const sweep = sweeper.sweepOrganization.bind(sweeper);
    const calls: string[] = [];
    let failed = false;
    jest.spyOn(sweeper, 'sweepOrganization').mockImplementation(async (actor, organizationId, mode) => {
      calls.push(organizationId);
      // The second Comune's first attempt fails (say, a lost database connection).
      if (organizationId === orgIds[1] && !failed) {
        failed = true;
        throw new Error('connection terminated unexpectedly');
      }
      return sweep(actor, organizationId, mode);
    });

    const daily = await runDaily('daily-test-1');
    expect(daily.returnvalue).toEqual({ day: DAY, organizations: 3 });
    await waitFor('three per-Comune sweeps completed', async () => {
      const jobs = await sweepJobs();
      const states = await Promise.all(jobs.map((j) => j.getState()));
      return jobs.length === 3 && states.every((s) => s === 'completed');
    });
    // Read again: a job read while it was still running holds no return value.
    const done = await sweepJobs();
    expect(done.map((j) => j.id)).toEqual(orgIds.map((id) => sweepJobId(id, DAY)).sort());
    expect(done.map((j) => j.data)).toEqual(expect.arrayContaining(orgIds.map((organizationId) => ({ organizationId }))));
    // Each card's step-30 reminder to the ALS (e-mail and in-app), written by its Comune's job.
    for (const job of done) expect(job.returnvalue).toEqual({ created: 2 });
    expect(await ledgerCount()).toBe(6);
    // The failing Comune ran twice, the others once.
    expect(done.map((j) => [j.data.organizationId, j.attemptsMade])).toEqual(
      expect.arrayContaining(orgIds.map((id) => [id, id === orgIds[1] ? 2 : 1])),
    );
    expect(calls.filter((id) => id === orgIds[1])).toHaveLength(2);
    expect(calls).toHaveLength(4);
  });

  it('a second run of the daily job the same day adds no job and no reminder', async () => {
    const before = (await sweepJobs()).map((j: Job) => [j.id, j.timestamp, j.finishedOn]);
    const again = await runDaily('daily-test-2');
    expect(again.returnvalue).toEqual({ day: DAY, organizations: 3 });
    const after = await sweepJobs();
    expect(after.map((j: Job) => [j.id, j.timestamp, j.finishedOn])).toEqual(before);
    expect(await Promise.all(after.map((j) => j.getState()))).toEqual(['completed', 'completed', 'completed']);
    expect(await ledgerCount()).toBe(6);
  });

  it('the next Rome day gets its own jobs', async () => {
    setNow('2026-06-11T08:00:00Z');
    await runDaily('daily-test-3');
    const jobs = await waitFor("the next day's jobs", async () => {
      const all = await sweepJobs();
      const next = all.filter((j) => j.id!.endsWith('-2026-06-11'));
      const states = await Promise.all(next.map((j) => j.getState()));
      return next.length === 3 && states.every((s) => s === 'completed') ? all : null;
    });
    expect(jobs).toHaveLength(6);
  });
});
