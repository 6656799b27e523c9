import type { Response } from 'supertest';
import { checkPdf } from '../../src/attachments/pdf-check';
import { AuditService } from '../../src/audit/audit.service';
import { romeDate } from '../../src/common/time';
import { auth, insertHolder, nominate, pdfText } from '../support/nomination-fixtures';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** The register of nominations: a PDF in Italian for the Comune's records, and CSV. */
describe('Nominations register export', () => {
  let t: TestApp;
  let orgId: string;
  let tokens: Record<string, string>;
  let base: string;
  let istat: string;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    ({ orgId, tokens } = await createOrgWithMembers(t, admin, [
      'mayor_office',
      'security_admin',
      'workstation_admin',
      'auditor',
      'operator',
    ]));
    istat = (await t.http().get(`/api/v1/orgs/${orgId}`).set(auth(tokens.mayor_office))).body.istatCode;
    base = `/api/v1/orgs/${orgId}/nominations`;
    const rossi = await insertHolder(t, orgId, { firstName: 'Mario', lastName: 'Rossi' });
    const verdi = await insertHolder(t, orgId, { firstName: 'Giuseppe', lastName: 'Verdi' });
    const neri = await insertHolder(t, orgId, { firstName: 'Lucia', lastName: 'Neri' });
    const bruni = await insertHolder(t, orgId, { firstName: 'Carlo', lastName: 'Bruni' });
    const m = tokens.mayor_office;
    await nominate(t, orgId, m, {
      role: 'als',
      holderId: rossi,
      actNumber: 'ALS-10/2025',
      actDate: '2025-03-01',
      effectiveFrom: '2025-03-01',
    });
    await nominate(t, orgId, m, {
      role: 'als',
      holderId: verdi,
      actNumber: 'ALS-11/2025',
      actDate: '2025-09-15',
      effectiveFrom: '2025-09-15',
    });
    await nominate(t, orgId, m, {
      role: 'alp',
      holderId: neri,
      actNumber: 'ALP-3/2025',
      actDate: '2025-04-01',
      effectiveFrom: '2025-04-01',
    });
    const deputy = await nominate(t, orgId, m, { role: 'als_deputy', holderId: bruni, actNumber: 'VIC-2/2025' });
    await t.http().post(`${base}/${deputy.id}/revoke`).set(auth(m)).send({ reason: 'Revocata con decreto n. 40/2025' });
    await nominate(t, orgId, m, { role: 'als_deputy', holderId: neri, actNumber: '=HYPERLINK("x")' }, 'draft');
  }, 180_000);
  afterAll(() => t.close());

  it('gives the Mayor’s office a valid PDF in Italian: roles in force with acts, then history, time of production, audit head hash', async () => {
    const res = await t.http().get(`${base}/export`).set(auth(tokens.mayor_office)).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="registro-nomine-${istat}-\\d{8}-\\d{4}\\.pdf"`));
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await expect(checkPdf(pdf)).resolves.toMatchObject({ ok: true });

    const { text } = await pdfText(pdf);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Registro delle nomine per la sicurezza ANPR');
    expect(flat).toContain(`codice ISTAT ${istat}`);
    const [d, mth, y] = [romeDate(new Date()).slice(8, 10), romeDate(new Date()).slice(5, 7), romeDate(new Date()).slice(0, 4)];
    expect(flat).toMatch(new RegExp(`Prodotto il ${d}/${mth}/${y} alle \\d\\d:\\d\\d:\\d\\d \\(ora di Roma\\)`));
    for (const s of [
      'Giuseppe Verdi',
      'ALS-11/2025',
      'Lucia Neri',
      'ALP-3/2025',
      'Mario Rossi',
      'ALS-10/2025',
      'Carlo Bruni',
      'VIC-2/2025',
    ]) {
      expect(flat).toContain(s);
    }
    const at = (s: string) => flat.indexOf(s);
    expect(at('1. Ruoli in vigore')).toBeLessThan(at('Giuseppe Verdi'));
    expect(at('ALS-11/2025')).toBeLessThan(at('3. Storico'));
    expect(at('ALP-3/2025')).toBeLessThan(at('3. Storico'));
    expect(at('3. Storico')).toBeLessThan(at('ALS-10/2025'));
    expect(at('3. Storico')).toBeLessThan(at('VIC-2/2025'));
    expect(flat).toContain('Sostituita il');
    expect(flat).toContain('Revocata con decreto n. 40/2025');
    expect(flat).toContain('Decreto sindacale n. ALS-11/2025');

    const audit = await t.app.get(AuditService).verify(orgId);
    expect(audit.valid).toBe(true);
    expect(flat).toContain(`Hash di testa della catena: ${audit.headHash}`);
    expect(flat).toContain('esito: integro');
  });

  it('gives CSV with Italian headers, current first, and neutralised formulas', async () => {
    const res = await t.http().get(`${base}/export`).query({ format: 'csv' }).set(auth(tokens.auditor));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/registro-nomine-\d{6}-\d{8}-\d{4}\.csv"/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0].split(',')).toEqual(expect.arrayContaining(['ruolo', 'stato', 'nominato', 'numero_atto', 'data_atto', 'atto_sha256']));
    expect(lines).toHaveLength(6);
    expect(lines[1]).toContain('In vigore');
    expect(lines.slice(1, 3).join('\n')).toContain('Giuseppe Verdi');
    expect(res.text).toContain('ALS-10/2025');
    expect(res.text).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('is for the Mayor’s office, the ALS and the auditor only', async () => {
    expect((await t.http().get(`${base}/export`).set(auth(tokens.security_admin))).status).toBe(200);
    expect((await t.http().get(`${base}/export`).set(auth(tokens.workstation_admin))).status).toBe(403);
    expect((await t.http().get(`${base}/export`).set(auth(tokens.operator))).status).toBe(403);
    expect((await t.http().get(`${base}/export`).query({ format: 'xlsx' }).set(auth(tokens.mayor_office))).status).toBe(400);
  });
});
