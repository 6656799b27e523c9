import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { JobName, QueueName } from '../../src/queue/jobs';
import { ReminderDispatcher } from '../../src/reminders/reminder-dispatcher.service';
import { waitFor } from '../support/reminders';
import { TestApp, createTestApp } from '../support/test-app';

/**
 * Every sweep job and every request that writes a ledger row kicks the dispatcher. On real Redis,
 * with no worker running, 200 kicks leave one waiting dispatch job, not 200.
 */
describe('Dispatcher kicks', () => {
  let t: TestApp;
  let queue: Queue;

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    queue = t.app.get<Queue>(getQueueToken(QueueName.Reminders));
  }, 120_000);
  afterAll(() => t.close());

  const dispatchJobs = async () =>
    (await queue.getJobs(['waiting', 'prioritized', 'delayed', 'active'])).filter((j) => j.name === JobName.DispatchReminders);

  it('collapse into one waiting dispatch job', async () => {
    const dispatcher = t.app.get(ReminderDispatcher);
    for (let i = 0; i < 200; i++) dispatcher.kick();
    // kick() does not return its add: wait until the adds have reached Redis.
    await waitFor('a dispatch job in the queue', async () => ((await dispatchJobs()).length > 0 ? true : null));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const jobs = await dispatchJobs();
    expect(jobs.length).toBe(1);
    const fresh = await waitFor('the job with its deduplication id', async () => (await queue.getJob(jobs[0]!.id!)) ?? null);
    expect(fresh.opts.deduplication?.id).toBe('dispatch-kick');
  });
});
