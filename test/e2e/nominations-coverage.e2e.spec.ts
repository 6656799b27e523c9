import { addDays, romeDate } from '../../src/common/time';
import {
  auth,
  insertDevice,
  insertHolder,
  insertWorkstation,
  nominate,
  setHolderLeaver,
  updateDevice,
} from '../support/nomination-fixtures';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

interface Check {
  code: string;
  severity: string;
  message: string;
  nominationId?: string;
  holderId?: string;
  deviceId?: string;
}

/** Every coverage check fires in a situation built for it, and clears when the situation is fixed. */
describe('Nomination coverage checks', () => {
  let t: TestApp;
  let orgId: string;
  let tokens: Record<string, string>;
  let base: string;
  const people: Record<string, string> = {};
  const cards: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    ({ orgId, tokens } = await createOrgWithMembers(t, admin, ['mayor_office', 'security_admin', 'auditor', 'operator']));
    base = `/api/v1/orgs/${orgId}/nominations`;
    for (const [key, first, last] of [
      ['als', 'Mario', 'Rossi'],
      ['deputy', 'Lucia', 'Neri'],
      ['alp', 'Giuseppe', 'Verdi'],
      ['deputy2', 'Anna', 'Gialli'],
      ['custodian', 'Carlo', 'Bruni'],
    ]) {
      people[key] = await insertHolder(t, orgId, { firstName: first, lastName: last });
      cards[key] = await insertDevice(t, orgId, { kind: 'smart_card', status: 'active', label: `SC-${last}`, holderId: people[key] });
    }
  }, 120_000);
  afterAll(() => t.close());

  const mayor = () => auth(tokens.mayor_office);
  async function coverage(query: Record<string, string | number> = {}, token = tokens.mayor_office): Promise<Check[]> {
    const res = await t.http().get(`${base}/coverage`).query(query).set(auth(token));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['asOf', 'checks', 'windowDays']);
    for (const c of res.body.checks as Check[]) {
      expect(['critical', 'warning', 'info']).toContain(c.severity);
      expect(c.message.length).toBeGreaterThan(10);
    }
    return res.body.checks as Check[];
  }
  const codes = (checks: Check[]) => checks.map((c) => c.code).sort();

  it('an empty Comune: ALS vacant, fewer than two ALS, ALP vacant', async () => {
    const checks = await coverage();
    expect(codes(checks)).toEqual(['ALP_VACANT', 'ALS_FEWER_THAN_TWO', 'ALS_VACANT']);
    expect(checks[0]).toMatchObject({ code: 'ALS_VACANT', severity: 'critical' });
    expect(checks.find((c) => c.code === 'ALS_VACANT')!.message).toContain('vacante');
    expect(checks.find((c) => c.code === 'ALS_FEWER_THAN_TWO')!.message).toContain('Nessuna persona');
    // The ALS and the auditor read it too; operators do not.
    expect(codes(await coverage({}, tokens.security_admin))).toEqual(codes(checks));
    expect(codes(await coverage({}, tokens.auditor))).toEqual(codes(checks));
    expect((await t.http().get(`${base}/coverage`).set(auth(tokens.operator))).status).toBe(403);
  });

  it('ALS_VACANT clears with an ALS in force; a draft or signed act does not count', async () => {
    const { id } = await nominate(t, orgId, tokens.mayor_office, { role: 'als', holderId: people.als }, 'signed');
    expect(codes(await coverage())).toContain('ALS_VACANT');
    await t.http().post(`${base}/${id}/activate`).set(mayor()).send({}).expect(200);
    const checks = await coverage();
    expect(codes(checks)).toEqual(['ALP_VACANT', 'ALS_FEWER_THAN_TWO']);
    expect(checks.find((c) => c.code === 'ALS_FEWER_THAN_TWO')!.message).toContain('Una sola persona');
  });

  it('ALS_FEWER_THAN_TWO clears with a deputy; ALP_VACANT clears with an ALP', async () => {
    await nominate(t, orgId, tokens.mayor_office, { role: 'als_deputy', holderId: people.deputy });
    expect(codes(await coverage())).toEqual(['ALP_VACANT']);
    await nominate(t, orgId, tokens.mayor_office, { role: 'alp', holderId: people.alp });
    expect(await coverage()).toEqual([]);
  });

  it('NOMINEE_WITHOUT_SMART_CARD fires when the ALP’s card is not active, and clears when it is again', async () => {
    await updateDevice(t, cards.alp, { status: 'pin_blocked' });
    const checks = await coverage();
    expect(checks).toEqual([
      expect.objectContaining({
        code: 'NOMINEE_WITHOUT_SMART_CARD',
        severity: 'warning',
        holderId: people.alp,
        nominationId: expect.any(String),
      }),
    ]);
    expect(checks[0].message).toContain('Giuseppe Verdi');
    expect(checks[0].message).toContain('smart card');
    await updateDevice(t, cards.alp, { status: 'active' });
    expect(await coverage()).toEqual([]);
  });

  it('NOMINEE_LEAVER fires for a nominee who left (and the ALS count drops); revoking and replacing clears it', async () => {
    await setHolderLeaver(t, people.deputy, true);
    const checks = await coverage();
    expect(codes(checks)).toEqual(['ALS_FEWER_THAN_TWO', 'NOMINEE_LEAVER']);
    const leaver = checks.find((c) => c.code === 'NOMINEE_LEAVER')!;
    expect(leaver).toMatchObject({ severity: 'critical', holderId: people.deputy });
    expect(leaver.message).toContain('Lucia Neri');
    expect(leaver.message).toContain('cessato');
    await t.http().post(`${base}/${leaver.nominationId}/revoke`).set(mayor()).send({ reason: 'Cessata dal servizio' }).expect(200);
    await nominate(t, orgId, tokens.mayor_office, { role: 'als_deputy', holderId: people.deputy2 });
    expect(await coverage()).toEqual([]);
  });

  it('CERTIFICATE_WITHOUT_CUSTODIAN fires for a live certificate nobody answers for; a custodian nomination clears it', async () => {
    const cert = await insertDevice(t, orgId, { kind: 'workstation_certificate', status: 'installed', label: '015146-PC-1' });
    await insertDevice(t, orgId, { kind: 'workstation_certificate', status: 'revoked', label: '015146-PC-OLD' });
    const checks = await coverage();
    expect(checks).toEqual([expect.objectContaining({ code: 'CERTIFICATE_WITHOUT_CUSTODIAN', severity: 'warning', deviceId: cert })]);
    expect(checks[0].message).toContain('015146-PC-1');
    await nominate(t, orgId, tokens.mayor_office, {
      role: 'certificate_custodian',
      holderId: people.custodian,
      scope: { certificateIds: [cert] },
    });
    expect(await coverage()).toEqual([]);
  });

  it('CERTIFICATE_CUSTODIAN_WITHOUT_ACT fires when only the inventory names a custodian; a nomination for the workstation clears it', async () => {
    const ws = await insertWorkstation(t, orgId, '015146-PC-2', people.custodian);
    const cert = await insertDevice(t, orgId, {
      kind: 'workstation_certificate',
      status: 'issued',
      label: '015146-PC-2',
      workstationId: ws,
    });
    const checks = await coverage();
    expect(checks).toEqual([
      expect.objectContaining({ code: 'CERTIFICATE_CUSTODIAN_WITHOUT_ACT', severity: 'info', deviceId: cert, holderId: people.custodian }),
    ]);
    await nominate(t, orgId, tokens.mayor_office, {
      role: 'certificate_custodian',
      holderId: people.custodian,
      scope: { workstationIds: [ws] },
    });
    expect(await coverage()).toEqual([]);
  });

  it('NOMINATION_EXPIRING fires within the window (default 90 days), not outside it, and clears when the act is replaced', async () => {
    const today = romeDate(new Date());
    const until = addDays(today, 30);
    const holder = await insertHolder(t, orgId, { firstName: 'Temporanea', lastName: 'Vicaria' });
    await insertDevice(t, orgId, { kind: 'smart_card', status: 'active', label: 'SC-TEMP', holderId: holder });
    const { id } = await nominate(t, orgId, tokens.mayor_office, { role: 'als_deputy', holderId: holder, effectiveUntil: until });
    const checks = await coverage();
    expect(checks).toEqual([expect.objectContaining({ code: 'NOMINATION_EXPIRING', severity: 'warning', nominationId: id })]);
    expect(checks[0].message).toContain('tra 30 giorni');
    expect(checks[0].message).toContain(until.split('-').reverse().join('/'));
    expect(await coverage({ windowDays: 29 })).toEqual([]);
    expect(codes(await coverage({ windowDays: 30 }))).toEqual(['NOMINATION_EXPIRING']);
    expect((await t.http().get(`${base}/coverage`).query({ windowDays: 0 }).set(mayor())).status).toBe(400);
    await t.http().post(`${base}/${id}/revoke`).set(mayor()).send({ reason: 'Sostituita da nomina senza scadenza' }).expect(200);
    await nominate(t, orgId, tokens.mayor_office, { role: 'als_deputy', holderId: holder });
    expect(await coverage()).toEqual([]);
  });
});
