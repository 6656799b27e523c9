import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { AuditService } from '../../src/audit/audit.service';
import { UnitOfWork } from '../../src/database/unit-of-work.service';
import { OrganizationEntity } from '../../src/organizations/organization.entity';
import { TestApp, createTestApp } from '../support/test-app';

/**
 * TypeORM's better-sqlite3 driver shares one connection: unserialized, concurrent transactions
 * nest as savepoints and a late failure rolls back other requests' acknowledged writes. Through
 * the UnitOfWork, each write commits or fails on its own, on SQLite and on PostgreSQL.
 */
describe(UnitOfWork.name, () => {
  let t: TestApp;
  let sut: UnitOfWork;

  beforeAll(async () => {
    t = await createTestApp();
    sut = t.app.get(UnitOfWork);
  });
  afterAll(() => t.close());

  it('keeps every acknowledged write and none of a failed one under 50 concurrent writers', async () => {
    const audit = t.app.get(AuditService);
    const attempts = Array.from({ length: 50 }, (_, i) => ({ i, id: randomUUID(), fails: i % 4 === 1 }));
    const outcomes = await Promise.allSettled(
      attempts.map(({ i, id, fails }) =>
        sut.run(async (tx) => {
          await tx.em
            .getRepository(OrganizationEntity)
            .insert({ id, istatCode: String(900000 + i), name: `Concurrency ${i}`, province: null, settings: {} });
          await audit.append(tx, {
            organizationId: id,
            actor: SYSTEM_ACTOR,
            action: 'organization.created',
            entity: 'organization',
            entityId: id,
          });
          await sleep(Math.floor(Math.random() * 15)); // other writers queue up meanwhile
          if (fails) throw new Error(`late failure ${i}`);
          return id;
        }),
      ),
    );
    const acknowledged = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const failed: string[] = attempts.filter((a) => a.fails).map((a) => a.id);
    expect(acknowledged).toHaveLength(50 - failed.length);

    const stored = (await t.app.get(DataSource).getRepository(OrganizationEntity).find()).map((o) => o.id);
    expect(acknowledged.filter((id) => !stored.includes(id))).toEqual([]);
    expect(failed.filter((id) => stored.includes(id))).toEqual([]);
    const chains: { chain: string }[] = await t.app.get(DataSource).query('SELECT chain FROM audit_chain_heads');
    expect(chains.filter((c) => failed.includes(c.chain))).toEqual([]);
  });

  it('refuses a nested unit of work instead of deadlocking or escaping the transaction', async () => {
    await expect(sut.run(() => sut.run(async () => 1))).rejects.toThrow(/inside another unit of work/);
  });

  it('runs after-commit hooks only after a commit', async () => {
    const ran: string[] = [];
    await sut.run(async (tx) => tx.afterCommit(() => void ran.push('committed')));
    await expect(
      sut.run(async (tx) => {
        tx.afterCommit(() => void ran.push('rolled back'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await sleep(20);
    expect(ran).toEqual(['committed']);
  });
});
