import { DataSource } from 'typeorm';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

describe('The tamper-evident audit trail', () => {
  let t: TestApp;
  let orgId: string;
  let auditor: string;
  let als: string;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    ({
      orgId,
      tokens: { auditor, security_admin: als },
    } = await createOrgWithMembers(t, admin, ['security_admin', 'auditor']));
    for (const name of ['Comune di Prova A', 'Comune di Prova B', 'Comune di Prova C']) {
      await t.http().patch(`/api/v1/orgs/${orgId}`).auth(als, { type: 'bearer' }).send({ name }).expect(200);
    }
  });
  afterAll(() => t.close());

  const verify = async () => (await t.http().get(`/api/v1/orgs/${orgId}/audit/verify`).auth(auditor, { type: 'bearer' }).expect(200)).body;
  const db = () => t.app.get(DataSource);

  it('records every change with its actor, newest first, and the chain verifies', async () => {
    const page = await t.http().get(`/api/v1/orgs/${orgId}/audit?limit=3`).auth(auditor, { type: 'bearer' }).expect(200);
    expect(page.body.items).toHaveLength(3);
    expect(page.body.items[0]).toMatchObject({
      action: 'organization.updated',
      entity: 'organization',
      entityId: orgId,
      data: { after: { name: 'Comune di Prova C' } },
    });
    expect(page.body.items[0].actor.label).toMatch(/^security_admin\./);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const next = await t
      .http()
      .get(`/api/v1/orgs/${orgId}/audit?limit=3&cursor=${page.body.nextCursor}`)
      .auth(auditor, { type: 'bearer' })
      .expect(200);
    expect(next.body.items[0].seq).toBe(page.body.items[2].seq - 1);
    const result = await verify();
    expect(result).toMatchObject({ valid: true, firstBrokenSeq: null });
    expect(result.checked).toBeGreaterThanOrEqual(8);
  });

  it.each([
    ['at', "'2020-01-01 00:00:00.000'"],
    ['actor_label', "'someone-else@custode.test'"],
    ['action', "'organization.deleted'"],
    ['entity_id', "'00000000-0000-0000-0000-000000000000'"],
    ['data', `'{"after":{"name":"Falso"}}'`],
    ['prev_hash', `'${'a'.repeat(64)}'`],
    ['hash', `'${'b'.repeat(64)}'`],
  ])('detects a hand edit of %s and names the row', async (column, value) => {
    const target = 4;
    const [original] = await db().query(`SELECT ${column} AS v FROM audit_events WHERE chain = '${orgId}' AND seq = ${target}`);
    const restore = column === 'at' && original.v instanceof Date ? original.v.toISOString() : original.v;
    const sqlValue = column === 'at' && db().options.type === 'postgres' ? "'2020-01-01T00:00:00Z'" : value;
    await db().query(`UPDATE audit_events SET ${column} = ${sqlValue} WHERE chain = '${orgId}' AND seq = ${target}`);
    try {
      const result = await verify();
      expect(result).toMatchObject({ valid: false, firstBrokenSeq: target });
    } finally {
      await db().query(
        `UPDATE audit_events SET ${column} = $1 WHERE chain = '${orgId}' AND seq = ${target}`.replace(
          '$1',
          db().options.type === 'postgres' ? '$1' : '?',
        ),
        [restore],
      );
    }
    expect((await verify()).valid).toBe(true);
  });

  it('detects a deleted row and a truncated tail', async () => {
    const rows = await db().query(`SELECT * FROM audit_events WHERE chain = '${orgId}' ORDER BY seq`);
    const last = rows[rows.length - 1];
    await db().query(`DELETE FROM audit_events WHERE chain = '${orgId}' AND seq = ${last.seq}`);
    expect(await verify()).toMatchObject({ valid: false, firstBrokenSeq: last.seq });
    await db().query(`DELETE FROM audit_events WHERE chain = '${orgId}' AND seq = 2`);
    expect(await verify()).toMatchObject({ valid: false, firstBrokenSeq: 2 });
  });
});
