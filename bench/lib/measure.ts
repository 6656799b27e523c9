import { readFileSync } from 'node:fs';

/** Resident set size of a process from /proc (Linux): current and peak ("high water mark"), bytes. */
export function procMemory(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return null; // the process has exited
  }
}

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc (Linux; clock ticks of
 * 10 ms). The difference over a load run divided by the requests served is the CPU cost of one
 * request: unlike the request rate, it hardly moves when other processes share the cores.
 */
export function procCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null; // the process has exited
  }
}

/**
 * CPU seconds (user + system, every thread) a process has used, from /proc/<pid>/stat (Linux,
 * USER_HZ = 100). Unlike wall time, it hardly moves when other processes load the machine.
 */
export function procCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * Samples the RSS of this process (process.memoryUsage().rss) and of child processes every
 * `intervalMs`; the peak also takes the kernel's high-water mark, which catches spikes between
 * samples.
 */
export class RssSampler {
  private timer: NodeJS.Timeout | null = null;
  private readonly peaks = new Map<string, number>();
  private readonly pids = new Map<string, number>();

  constructor(private readonly intervalMs = 100) {}

  watch(name: string, pid: number): void {
    this.pids.set(name, pid);
    this.sample();
  }

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  sample(): void {
    this.bump('bench', Math.max(process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024));
    for (const [name, pid] of this.pids) {
      const m = procMemory(pid);
      if (m) this.bump(name, Math.max(m.rss, m.peak));
    }
  }

  peak(name: string): number | null {
    return this.peaks.get(name) ?? null;
  }

  stop(): Record<string, number> {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    return Object.fromEntries(this.peaks);
  }

  private bump(name: string, bytes: number): void {
    if (Number.isFinite(bytes) && bytes > (this.peaks.get(name) ?? 0)) this.peaks.set(name, bytes);
  }
}

export const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export interface RoundStats {
  name: string;
  /** Items per second of each round. */
  rates: number[];
  median: number;
  best: number;
}

/**
 * Runs contenders in interleaved rounds (A B C, A B C, ...) after one warm-up round each, so a
 * burst of load from other processes hits every contender alike; the median round is reported.
 */
export async function interleavedRounds(
  contenders: { name: string; run: () => Promise<number> | number }[],
  rounds: number,
  onRound?: (name: string, round: number, rate: number) => void,
): Promise<RoundStats[]> {
  const rates = new Map(contenders.map((c) => [c.name, [] as number[]]));
  for (const c of contenders) await timeRate(c.run);
  for (let r = 0; r < rounds; r++) {
    for (const c of contenders) {
      const rate = await timeRate(c.run);
      rates.get(c.name)!.push(rate);
      onRound?.(c.name, r, rate);
    }
  }
  return contenders.map((c) => {
    const list = rates.get(c.name)!;
    return { name: c.name, rates: list, median: median(list), best: Math.max(...list) };
  });
}

/** `run` returns how many items it processed; the result is items per second. */
async function timeRate(run: () => Promise<number> | number): Promise<number> {
  const started = performance.now();
  const items = await run();
  return items / ((performance.now() - started) / 1000);
}
