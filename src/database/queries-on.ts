import { EntityManager } from 'typeorm';

/**
 * Runs independent queries on one manager: together on the pooled manager of a read (PostgreSQL
 * spreads them over connections), one after the other inside a transaction, whose single
 * connection must not be asked a query while another is executing (pg 8 warns, pg 9 refuses).
 */
export async function queriesOn<T extends unknown[]>(em: EntityManager, ...work: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  if (!em.queryRunner) return (await Promise.all(work.map((w) => w()))) as T;
  const results: unknown[] = [];
  for (const w of work) results.push(await w());
  return results as T;
}
