import { AuditService } from '../../src/audit/audit.service';
import { UnitOfWork } from '../../src/database/unit-of-work.service';
import { NominationEntity } from '../../src/nominations/nomination.entity';
import { auth, insertHolder, nominate } from '../support/nomination-fixtures';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

/** Two ALS in force must be impossible, whatever arrives at once (SQLite: one writer; PostgreSQL: row lock + index). */
describe('Nominations under concurrent activations', () => {
  let t: TestApp;
  let orgId: string;
  let token: string;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = await createOrgWithMembers(t, admin, ['mayor_office']);
    orgId = org.orgId;
    token = org.tokens.mayor_office;
    base = `/api/v1/orgs/${orgId}/nominations`;
  }, 120_000);
  afterAll(() => t.close());

  const rows = (role: string) =>
    t.app
      .get(UnitOfWork)
      .read((em) => em.getRepository(NominationEntity).findBy({ organizationId: orgId, role: role as NominationEntity['role'] }));

  it('10 different ALS activated at once: exactly one in force, the others superseded in a chain', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const holder = await insertHolder(t, orgId, { firstName: `Persona${i}`, lastName: 'Concorrente' });
      ids.push((await nominate(t, orgId, token, { role: 'als', holderId: holder }, 'signed')).id);
    }
    const results = await Promise.all(ids.map((id) => t.http().post(`${base}/${id}/activate`).set(auth(token)).send({})));
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 200));

    const all = await rows('als');
    const active = all.filter((n) => n.status === 'active');
    expect(active).toHaveLength(1);
    const superseded = all.filter((n) => n.status === 'superseded');
    expect(superseded).toHaveLength(9);
    // Each activation superseded exactly the one in force before it: a single chain ending at the active one.
    const successorOf = new Map(superseded.map((n) => [n.id, n.supersededById]));
    expect(new Set(successorOf.values()).size).toBe(9);
    const heads = superseded.filter((n) => ![...successorOf.values()].includes(n.id));
    expect(heads).toHaveLength(1);
    let cursor: string | null | undefined = heads[0].id;
    let steps = 0;
    while (cursor && successorOf.has(cursor)) {
      cursor = successorOf.get(cursor);
      steps += 1;
    }
    expect([cursor, steps]).toEqual([active[0].id, 9]);

    const listed = await t.http().get(base).query({ role: 'als', status: 'active' }).set(auth(token));
    expect(listed.body.items).toHaveLength(1);
    await expect(t.app.get(AuditService).verify(orgId)).resolves.toMatchObject({ valid: true });
  });

  it('the same nomination activated 10 times at once: one success, nine conflicts', async () => {
    const holder = await insertHolder(t, orgId, { firstName: 'Unica', lastName: 'Attivazione' });
    const { id } = await nominate(t, orgId, token, { role: 'alp', holderId: holder }, 'signed');
    const results = await Promise.all(Array.from({ length: 10 }, () => t.http().post(`${base}/${id}/activate`).set(auth(token)).send({})));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused.map((r) => [r.status, r.body.code])).toEqual(
      Array.from({ length: 9 }, () => [409, 'NOMINATION_TRANSITION_NOT_ALLOWED']),
    );
    expect((await rows('alp')).filter((n) => n.status === 'active')).toHaveLength(1);
  });

  it('the database itself refuses a second ALS in force (partial unique index), even behind the application', async () => {
    const [active] = (await rows('als')).filter((n) => n.status === 'active');
    const [other] = (await rows('als')).filter((n) => n.status === 'superseded');
    // TypeORM prints the refused query; expected here.
    const quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await expect(
      t.app.get(UnitOfWork).run((tx) => tx.em.getRepository(NominationEntity).update({ id: other.id }, { status: 'active' })),
    ).rejects.toThrow(/unique|UNIQUE/);
    quiet.mockRestore();
    expect((await rows('als')).filter((n) => n.status === 'active').map((n) => n.id)).toEqual([active.id]);
    // Deputies and custodians are not limited to one.
    const d1 = await insertHolder(t, orgId, { firstName: 'Vice', lastName: 'Uno' });
    const d2 = await insertHolder(t, orgId, { firstName: 'Vice', lastName: 'Due' });
    await Promise.all([d1, d2].map((holderId) => nominate(t, orgId, token, { role: 'als_deputy', holderId })));
    expect((await rows('als_deputy')).filter((n) => n.status === 'active')).toHaveLength(2);
  });
});
