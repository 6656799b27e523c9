import { JOB_QUEUE, JobHandlerSet, JobName } from './jobs';

/**
 * Fails fast when the wiring is wrong: a job nobody handles would wait forever, a job two
 * processors claim would run twice, a handler on the wrong queue would never see its jobs.
 */
export function assertJobWiring(processors: readonly JobHandlerSet[]): void {
  const problems: string[] = [];
  for (const name of Object.values(JobName)) {
    const owners = processors.filter((p) => p.handles.includes(name));
    if (owners.length !== 1) problems.push(`${name} has ${owners.length} handlers`);
    for (const owner of owners) {
      if (owner.queue !== JOB_QUEUE[name]) problems.push(`${name} is handled on ${owner.queue}, but is sent to ${JOB_QUEUE[name]}`);
    }
  }
  if (problems.length > 0) throw new Error(`Job wiring is broken: ${problems.join('; ')}`);
}
