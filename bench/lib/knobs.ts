/** Benchmark sizes and durations, read from the environment with the sizes as defaults. */
export function intKnob(name: string, fallback: number, min = 1, max = 100_000_000): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
  return n;
}

export function listKnob(name: string, fallback: string[]): string[] {
  const raw = process.env[name];
  return raw === undefined || raw.trim() === ''
    ? fallback
    : raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

export const SEED = intKnob('BENCH_SEED', 20251122, 0, 2 ** 32 - 1);

/** Only loopback: a benchmark never reaches another machine. */
export function assertLoopback(url: string, what: string): string {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) throw new Error(`${what} must be on 127.0.0.1, got ${host}`);
  return url;
}

export const REDIS_URL = assertLoopback(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', 'BENCH_REDIS_URL');
export const POSTGRES_URL = assertLoopback(
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  'BENCH_DATABASE_URL',
);
