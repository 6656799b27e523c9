import { writeFileSync } from 'node:fs';
import { DataSource, QueryRunner } from 'typeorm';

interface Stat {
  sql: string;
  calls: number;
  ms: number;
}

/**
 * BENCH_SQL_TRACE=<file>: times every query Custode's process sends (by SQL text, parameters
 * aside) and writes the totals when the process stops. For finding the query that costs.
 */
export function traceSql(dataSource: DataSource, file: string): () => void {
  const stats = new Map<string, Stat>();
  const driver = dataSource.driver as { createQueryRunner(mode: string): QueryRunner };
  const create = driver.createQueryRunner.bind(driver);
  const wrapped = new WeakSet<object>();
  driver.createQueryRunner = (mode: string) => {
    const runner = create(mode);
    if (wrapped.has(runner)) return runner;
    wrapped.add(runner);
    const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
    (runner as { query: unknown }).query = async (...args: unknown[]) => {
      const started = performance.now();
      try {
        return await query(...args);
      } finally {
        const sql = String(args[0])
          .replace(/\s+/g, ' ')
          .replace(/\$\d+|\?/g, '?')
          .replace(/(\?, )+\?/g, '?…');
        const stat = stats.get(sql) ?? { sql, calls: 0, ms: 0 };
        stat.calls++;
        stat.ms += performance.now() - started;
        stats.set(sql, stat);
      }
    };
    return runner;
  };
  return () => {
    const rows = [...stats.values()].sort((a, b) => b.ms - a.ms);
    writeFileSync(
      file,
      rows
        .map(
          (s) =>
            `${s.ms.toFixed(1).padStart(10)} ms ${String(s.calls).padStart(7)} calls ${(s.ms / s.calls).toFixed(3).padStart(8)} ms/call  ${s.sql.slice(0, 400)}`,
        )
        .join('\n') + '\n',
    );
  };
}
