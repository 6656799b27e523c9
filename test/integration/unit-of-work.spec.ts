import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, EntityManager } from 'typeorm';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { AuditService } from '../../src/audit/audit.service';
import { Tx, UnitOfWork } from '../../src/database/unit-of-work.service';
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
  it('runs before-commit hooks inside the transaction, in order, and rolls back when one fails', async () => {
    const ds = t.app.get(DataSource);
    const id = randomUUID();
    const order: string[] = [];
    await sut.run(async (tx) => {
      tx.beforeCommit(async () => {
        order.push('first');
        // Still inside: the body's insert is visible, and a hook may register another.
        expect(await tx.em.getRepository(OrganizationEntity).findOneBy({ id })).not.toBeNull();
        tx.beforeCommit(async () => void order.push('registered by first'));
      });
      tx.beforeCommit(async () => void order.push('second'));
      await tx.em.getRepository(OrganizationEntity).insert({ id, istatCode: '899001', name: 'Hooks', province: null, settings: {} });
      order.push('body');
    });
    expect(order).toEqual(['body', 'first', 'second', 'registered by first']);

    const failing = randomUUID();
    await expect(
      sut.run(async (tx) => {
        await tx.em
          .getRepository(OrganizationEntity)
          .insert({ id: failing, istatCode: '899002', name: 'Rolled back', province: null, settings: {} });
        tx.beforeCommit(async () => {
          throw new Error('hook failed');
        });
      }),
    ).rejects.toThrow('hook failed');
    expect(await ds.getRepository(OrganizationEntity).findOneBy({ id: failing })).toBeNull();
  });

  it('refuses an audit entry on a transaction that has ended instead of dropping it', async () => {
    const audit = t.app.get(AuditService);
    let ended: Tx | null = null;
    await sut.run(async (tx) => {
      ended = tx;
    });
    // Every time, not just the first (a queue left behind by the first refusal would swallow the second).
    for (const action of ['test.late', 'test.later']) {
      await expect(
        audit.append(ended!, { organizationId: null, actor: SYSTEM_ACTOR, action, entity: 'test', entityId: null }),
      ).rejects.toThrow(/already ended/);
    }
  });

  it('writes audit rows as the last statements: an entry appended before a failure leaves no row', async () => {
    const audit = t.app.get(AuditService);
    const id = randomUUID();
    await expect(
      sut.run(async (tx) => {
        await audit.append(tx, { organizationId: id, actor: SYSTEM_ACTOR, action: 'test.failed', entity: 'organization', entityId: id });
        throw new Error('after the append');
      }),
    ).rejects.toThrow('after the append');
    expect(await t.app.get(DataSource).getRepository(AuditEventEntity).countBy({ chain: id })).toBe(0);
  });

  if (process.env.TEST_DB === 'postgres') {
    it('never deadlocks two writers that lock a row and append to the same chain in opposite orders', async () => {
      // A task confirmed with its evidence file (audit, then the task's reminder rows) against the
      // delivery of one of those reminders (its row, then audit): with the chain head locked at the
      // first append, PostgreSQL aborted one of them with "deadlock detected".
      const audit = t.app.get(AuditService);
      const org = randomUUID();
      await sut.run(async (tx) => {
        await tx.em
          .getRepository(OrganizationEntity)
          .insert({ id: org, istatCode: '899003', name: 'Lock order', province: null, settings: {} });
        await audit.append(tx, {
          organizationId: org,
          actor: SYSTEM_ACTOR,
          action: 'organization.created',
          entity: 'organization',
          entityId: org,
        });
      });
      let rowLocked!: () => void;
      const secondHoldsRow = new Promise<void>((resolve) => (rowLocked = resolve));
      const rename = (em: EntityManager, name: string) => em.getRepository(OrganizationEntity).update({ id: org }, { name });
      const appendFirst = sut.run(async (tx) => {
        await audit.append(tx, { organizationId: org, actor: SYSTEM_ACTOR, action: 'test.first', entity: 'organization', entityId: org });
        await secondHoldsRow;
        await rename(tx.em, 'first'); // waits for the second writer's row lock
      });
      const rowFirst = sut.run(async (tx) => {
        await rename(tx.em, 'second');
        rowLocked();
        await sleep(300); // the first writer is now queued behind this row lock
        await audit.append(tx, { organizationId: org, actor: SYSTEM_ACTOR, action: 'test.second', entity: 'organization', entityId: org });
      });
      const outcomes = await Promise.allSettled([appendFirst, rowFirst]);
      expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'committed'))).toEqual(['committed', 'committed']);
      const chain = await audit.verify(org);
      expect(chain).toMatchObject({ valid: true, checked: 3 });
      const actions = await t.app
        .get(DataSource)
        .getRepository(AuditEventEntity)
        .find({ where: { chain: org }, order: { seq: 'ASC' } });
      // The row's holder committed first, so its record comes first.
      expect(actions.map((a) => a.action)).toEqual(['organization.created', 'test.second', 'test.first']);
    });
  }
});
