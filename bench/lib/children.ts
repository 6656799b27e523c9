import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { buildForBench } from './compile';

const ROOT = join(__dirname, '..', '..');

/** Node flags for a child: a CPU profile when BENCH_CPU_PROF_DIR is set. */
export function childExecArgv(profileName: string): string[] {
  const args: string[] = [];
  const dir = process.env.BENCH_CPU_PROF_DIR;
  if (dir) args.push('--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${profileName}-${Date.now()}.cpuprofile`);
  return args;
}

export interface Child<M> {
  proc: ChildProcess;
  pid: number;
  ready: M;
  /** Asks the child to close cleanly (a CPU profile is written on a clean exit), then kills it. */
  stop(): Promise<void>;
}

/**
 * Forks a TypeScript entry under bench/lib, transpiled ahead of time (plain `node`, as production
 * runs), and waits for its first IPC message `{ type: 'ready' }`.
 */
export async function forkChild<M extends { type: string }>(
  entry: string,
  env: Record<string, string>,
  profileName: string,
  timeoutMs = 120_000,
): Promise<Child<M>> {
  const script = join(buildForBench(), entry.replace(/\.ts$/, '.js'));
  const proc = fork(script, [], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    execArgv: childExecArgv(profileName),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const ready = await new Promise<M>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} not ready after ${timeoutMs} ms:\n${output}`)), timeoutMs);
    proc.on('message', (m: M) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m);
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code}:\n${output}`));
    });
  });
  proc.removeAllListeners('exit');
  live.add(proc);
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.send({ type: 'stop' });
    const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    live.delete(proc);
  };
  return { proc, pid: proc.pid!, ready, stop };
}

const live = new Set<ChildProcess>();

/** On an interrupted run, children die with the parent (each by its own pid). */
export function killChildren(): void {
  for (const proc of live) if (proc.exitCode === null) proc.kill('SIGKILL');
  live.clear();
}
