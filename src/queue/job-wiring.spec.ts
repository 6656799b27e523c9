import { assertJobWiring } from './job-wiring';
import { JOB_QUEUE, JobName, QueueName } from './jobs';

describe(assertJobWiring.name, () => {
  const all = Object.values(JobName);

  it('accepts one handler per job on its queue', () => {
    const byQueue = new Map<QueueName, JobName[]>();
    for (const name of all) byQueue.set(JOB_QUEUE[name], [...(byQueue.get(JOB_QUEUE[name]) ?? []), name]);
    expect(() => assertJobWiring([...byQueue].map(([queue, handles]) => ({ queue, handles })))).not.toThrow();
  });

  it('refuses a job without a handler', () => {
    expect(() => assertJobWiring([])).toThrow(/has 0 handlers/);
  });

  it('refuses a job with two handlers', () => {
    const sut = all.map((name) => ({ queue: JOB_QUEUE[name], handles: [name] }));
    expect(() => assertJobWiring([...sut, sut[0]!])).toThrow(/has 2 handlers/);
  });
});
