import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { KeyType, OpensslCorpus } from '../../src/devices/certificates/x509/testing/openssl-corpus';
import { certificate, party } from '../../src/devices/certificates/x509/testing/forge-issuer';
import { buildZip } from '../../src/devices/certificates/x509/testing/zip-writer';
import { IMPORT_DETAIL_LIMIT } from '../../src/devices/certificates/certificate-import.service';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login, nextIstatCode } from '../support/test-app';
import { registerSecret } from '../support/secrets';

jest.setTimeout(120_000);

const P12_PASSWORD = 'Pw-segreta-8842!';
const UPLOAD_LIMIT = 64 * 1024;

describe('Certificate import over HTTP (POST /orgs/:orgId/certificates/import)', () => {
  let t: TestApp;
  let corpus: OpensslCorpus;
  let orgId: string;
  let istat: string;
  let token: string;
  let logFile: string;
  const api = (path: string) => `/api/v1/orgs/${orgId}${path}`;
  const upload = (file: Buffer, name: string, fields: Record<string, string> = {}) => {
    let req = t.http().post(api('/certificates/import')).auth(token, { type: 'bearer' }).attach('file', file, name);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req;
  };
  const countCertificates = async (): Promise<number> => {
    const res = await t.http().get(api('/devices?limit=200')).auth(token, { type: 'bearer' }).expect(200);
    return res.body.items.filter((d: { kind: string }) => d.kind.endsWith('_certificate')).length;
  };
  const fingerprint = (file: string) => corpus.view(file).fingerprint.replace(/:/g, '').toLowerCase();

  beforeAll(async () => {
    logFile = join(mkdtempSync(join(tmpdir(), 'custode-log-')), 'app.log');
    t = await createTestApp({ env: { UPLOAD_LIMIT_BYTES: String(UPLOAD_LIMIT), LOG_LEVEL: 'debug', LOG_FILE: logFile } });
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    istat = nextIstatCode();
    const org = await t
      .http()
      .post('/api/v1/orgs')
      .auth(admin, { type: 'bearer' })
      .send({ istatCode: istat, name: 'Comune di Forlì' })
      .expect(201);
    const members = await createOrgWithMembers(t, admin, ['workstation_admin']);
    void members;
    // The ALP of this Comune: create through the superadmin, as createOrgWithMembers does.
    const alp = await t
      .http()
      .post(`/api/v1/orgs/${org.body.id}/users`)
      .auth(admin, { type: 'bearer' })
      .send({ email: `alp.${istat}@comune.test`, displayName: 'ALP', role: 'workstation_admin', password: 'cavallo-batteria-graffetta-9' })
      .expect(201);
    void alp;
    const first = await login(t, `alp.${istat}@comune.test`, 'cavallo-batteria-graffetta-9');
    await t
      .http()
      .post('/api/v1/auth/password')
      .auth(first, { type: 'bearer' })
      .send({ currentPassword: 'cavallo-batteria-graffetta-9', newPassword: 'una-frase-nuova-per-alp-3' })
      .expect(204);
    orgId = org.body.id;
    token = first;

    corpus = new OpensslCorpus();
    corpus.key('root', 'p256');
    corpus.selfSigned('root', 'root.key', { subject: '/CN=Custode Test Root CA', days: 3650 });
    for (const type of ['rsa2048', 'rsa4096', 'p256', 'p384', 'ed25519', 'rsa-pss'] as KeyType[]) {
      corpus.key(type, type);
      corpus.issued(
        type,
        `${type}.key`,
        { cert: 'root.pem', key: 'root.key' },
        { subject: `/CN=${istat}-PC-${type}/O=Comune di Forlì`, days: 365, ca: false },
      );
    }
  });
  afterAll(async () => {
    corpus?.remove();
    await t?.close();
    rmSync(dirname(logFile), { recursive: true, force: true });
  });

  it.each([
    ['rsa2048', 'rsa', 2048],
    ['rsa4096', 'rsa', 4096],
    ['p256', 'ec', 256],
    ['p384', 'ec', 384],
    ['ed25519', 'ed25519', 256],
    ['rsa-pss', 'rsa-pss', 2048],
  ])('imports a %s certificate with the fields openssl prints', async (type, keyAlgorithm, keyBits) => {
    const view = corpus.view(`${type}.pem`);
    const res = await upload(corpus.read(`${type}.pem`), `${type}.pem`).expect(201);
    expect(res.body.warnings.filter((w: { code: string }) => w.code === 'CN_NOT_ISTAT_CODE')).toEqual([]);
    expect(res.body.devices).toHaveLength(1);
    expect(res.body.devices[0]).toMatchObject({
      kind: 'workstation_certificate',
      status: 'issued',
      serialNumber: view.serial.toLowerCase(),
      subject: { commonName: `${istat}-PC-${type}` },
      issuer: { commonName: 'Custode Test Root CA' },
      notBefore: view.notBefore.toISOString(),
      notAfter: view.notAfter.toISOString(),
      fingerprintSha256: fingerprint(`${type}.pem`),
      keyAlgorithm,
      keyBits,
    });
  });

  it('reads a PEM bundle with text around it and CRLF line ends: the leaf, its chain, dates after 2049, a 20-byte serial', async () => {
    corpus.key('late', 'p256');
    corpus.issued(
      'late',
      'late.key',
      { cert: 'root.pem', key: 'root.key' },
      {
        subject: `/CN=${istat}-CO-1/O=Città di Forlì`,
        days: Math.ceil((Date.parse('2050-06-30T00:00:00Z') - Date.now()) / 86_400_000),
        serial: '0x80' + 'ab'.repeat(19),
        ca: false,
      },
    );
    const view = corpus.view('late.pem');
    const text = `Certificato server\r\n${corpus.read('late.pem').toString().replace(/\n/g, '\r\n')}testo in mezzo\r\n${corpus.read('root.pem').toString().replace(/\n/g, '\r\n')}fine\r\n`;
    const res = await upload(Buffer.from(text), 'bundle.pem', { kind: 'server_certificate' }).expect(201);
    expect(res.body.devices).toHaveLength(1);
    expect(res.body.devices[0]).toMatchObject({
      kind: 'server_certificate',
      serialNumber: '80' + 'ab'.repeat(19),
      notAfter: view.notAfter.toISOString(),
      subject: { commonName: `${istat}-CO-1`, organization: 'Città di Forlì' },
      chain: [expect.objectContaining({ commonName: 'Custode Test Root CA' })],
    });
    expect(view.notAfter.getUTCFullYear()).toBe(2050);
  });

  it('answers a bulk PEM with a line per certificate (id, label, serial, status) instead of full devices', async () => {
    const ca = party('CA Postazioni di prova');
    const holder = party('postazione');
    const count = IMPORT_DETAIL_LIMIT + 1;
    const notAfter = new Date(Date.UTC(new Date().getUTCFullYear() + 3, 0, 1));
    const pems = Array.from({ length: count }, (_, i) =>
      certificate(holder, ca, { subjectName: `${istat}-PC-B${i + 1}`, notBefore: new Date(), notAfter }),
    );
    const bulk = await upload(Buffer.from(pems.join('')), 'lotto.pem').expect(201);
    expect(bulk.body).toMatchObject({ imported: count, devices: [], duplicates: 0, errors: [] });
    expect(bulk.body.certificates).toHaveLength(count);
    expect(bulk.body.certificates[count - 1]).toEqual({
      id: expect.any(String),
      label: `${istat}-PC-B${count}`,
      serialNumber: expect.stringMatching(/^[0-9a-f]+$/),
      status: 'issued',
      notAfter: notAfter.toISOString(),
      source: 'lotto.pem',
    });
    const stored = await t
      .http()
      .get(api(`/devices/${bulk.body.certificates[0].id}`))
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(stored.body).toMatchObject({ label: `${istat}-PC-B1`, serialNumber: bulk.body.certificates[0].serialNumber });
    // Up to the limit the devices come in full, beside the same lines.
    const small = await upload(Buffer.from(certificate(holder, ca, { subjectName: `${istat}-PC-B0` })), 'uno.pem').expect(201);
    expect(small.body.imported).toBe(1);
    expect(small.body.devices.map((d: { id: string }) => d.id)).toEqual(small.body.certificates.map((c: { id: string }) => c.id));
  });

  it('imports DER and a PKCS#12 with its password, and keeps neither key nor password anywhere', async () => {
    corpus.key('der', 'rsa2048');
    corpus.issued('der', 'der.key', { cert: 'root.pem', key: 'root.key' }, { subject: `/CN=${istat}-PC-DER`, days: 300, ca: false });
    corpus.openssl(['x509', '-in', 'der.pem', '-outform', 'DER', '-out', 'der.cer']);
    await upload(corpus.read('der.cer'), 'der.cer').expect(201);

    corpus.key('p12', 'rsa2048');
    corpus.issued('p12', 'p12.key', { cert: 'root.pem', key: 'root.key' }, { subject: `/CN=${istat}-PC-P12`, days: 300, ca: false });
    corpus.openssl([
      'pkcs12',
      '-export',
      '-in',
      'p12.pem',
      '-inkey',
      'p12.key',
      '-certfile',
      'root.pem',
      '-passout',
      `pass:${P12_PASSWORD}`,
      '-out',
      'aes.p12',
    ]);
    const before = await countCertificates();
    const wrong = await upload(corpus.read('aes.p12'), 'aes.p12', { password: 'sbagliata' }).expect(422);
    expect(wrong.body.code).toBe('PKCS12_WRONG_PASSWORD');
    const missing = await upload(corpus.read('aes.p12'), 'aes.p12').expect(422);
    expect(missing.body.code).toMatch(/PKCS12_(PASSWORD_REQUIRED|WRONG_PASSWORD)/);
    expect(await countCertificates()).toBe(before);
    const ok = await upload(corpus.read('aes.p12'), 'aes.p12', { password: P12_PASSWORD }).expect(201);
    expect(ok.body.devices[0]).toMatchObject({
      fingerprintSha256: fingerprint('p12.pem'),
      chain: [expect.objectContaining({ commonName: 'Custode Test Root CA' })],
    });
    expect(JSON.stringify(ok.body)).not.toContain(P12_PASSWORD);
    // Legacy encryption (3DES, SHA-1 MAC) too.
    corpus.key('legacy', 'rsa2048');
    corpus.issued(
      'legacy',
      'legacy.key',
      { cert: 'root.pem', key: 'root.key' },
      { subject: `/CN=${istat}-PC-LEGACY`, days: 300, ca: false },
    );
    corpus.openssl([
      'pkcs12',
      '-export',
      '-in',
      'legacy.pem',
      '-inkey',
      'legacy.key',
      '-passout',
      `pass:${P12_PASSWORD}`,
      '-out',
      'legacy.p12',
      '-keypbe',
      'PBE-SHA1-3DES',
      '-certpbe',
      'PBE-SHA1-3DES',
      '-macalg',
      'sha1',
    ]);
    await upload(corpus.read('legacy.p12'), 'legacy.p12', { password: P12_PASSWORD }).expect(201);

    // The private key (DER, PEM body) and the password appear in no stored byte and no log line.
    const keyPemBody = corpus
      .read('p12.key')
      .toString()
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))
      .join('');
    const keyDerBytes = Buffer.from(keyPemBody, 'base64');
    // The end-of-suite secrets scan looks for them too, in every log, database file and response.
    registerSecret(P12_PASSWORD);
    registerSecret(keyPemBody.slice(64, 128));
    const needles = [Buffer.from(P12_PASSWORD), keyDerBytes.subarray(keyDerBytes.length - 64), Buffer.from(keyPemBody.slice(64, 128))];
    for (const blob of await storedBytes()) {
      for (const needle of needles) expect(blob.includes(needle)).toBe(false);
    }
    const allLogs = readFileSync(logFile, 'utf8');
    expect(allLogs).toContain('/certificates/import');
    expect(allLogs).not.toContain(P12_PASSWORD);
    expect(allLogs).not.toContain(keyPemBody.slice(64, 128));
  });

  it('refuses bad files with 422 saying what is wrong, and stores nothing', async () => {
    corpus.openssl(['req', '-config', 'openssl.cnf', '-new', '-key', 'p256.key', '-subj', '/CN=csr', '-out', 'req.csr']);
    const pem = corpus.read('p256.pem').toString();
    const cases: [string, Buffer, string][] = [
      ['garbage.pem', Buffer.from('questo non è un certificato'), 'UNRECOGNIZED_FORMAT'],
      ['truncated.pem', Buffer.from(pem.slice(0, pem.length / 2) + pem.slice(-26)), 'TRUNCATED_OR_CORRUPT'],
      ['truncated.p12', corpus.read('aes.p12').subarray(0, 600), 'TRUNCATED_OR_CORRUPT'],
      ['key.pem', corpus.read('p256.key'), 'PRIVATE_KEY_NOT_CERTIFICATE'],
      ['req.csr', corpus.read('req.csr'), 'CSR_NOT_CERTIFICATE'],
      ['empty.pem', Buffer.alloc(0), 'EMPTY_FILE'],
      ['huge.pem', Buffer.alloc(UPLOAD_LIMIT + 10, 0x41), 'FILE_TOO_LARGE'],
    ];
    const before = await countCertificates();
    for (const [name, data, code] of cases) {
      const res = await upload(data, name).expect(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect({ name, code: res.body.code }).toEqual({ name, code });
      expect(res.body.detail.length).toBeGreaterThan(5);
    }
    const none = await t
      .http()
      .post(api('/certificates/import'))
      .auth(token, { type: 'bearer' })
      .field('kind', 'workstation_certificate')
      .expect(422);
    expect(none.body.code).toBe('CERTIFICATE_FILE_REQUIRED');
    expect(await countCertificates()).toBe(before);
  });

  it('answers the same certificate twice with 409 naming the existing device', async () => {
    const first = await upload(corpus.read('der.cer'), 'again.cer').expect(409);
    expect(first.body).toMatchObject({ code: 'CERTIFICATE_DUPLICATE', deviceId: expect.any(String), deviceLabel: `${istat}-PC-DER` });
    expect(first.body.detail).toContain(`${istat}-PC-DER`);
  });

  it('warns when the CN does not start with the ISTAT code, and links a successor on the same workstation', async () => {
    const ws = await t
      .http()
      .post(api('/workstations'))
      .auth(token, { type: 'bearer' })
      .send({ code: `${istat}-PC-9`, hostname: 'pc9' })
      .expect(201);
    corpus.key('old', 'p256');
    corpus.issued('old', 'old.key', { cert: 'root.pem', key: 'root.key' }, { subject: '/CN=999999-PC-9', days: 20, ca: false });
    const old = await upload(corpus.read('old.pem'), 'old.pem', { workstationId: ws.body.id }).expect(201);
    expect(old.body.warnings.map((w: { code: string }) => w.code)).toEqual(expect.arrayContaining(['CN_NOT_ISTAT_CODE', 'EXPIRES_SOON']));
    expect(old.body.devices[0].workstation).toEqual({ id: ws.body.id, code: `${istat}-PC-9`, hostname: 'pc9' });
    corpus.key('new', 'p256');
    corpus.issued('new', 'new.key', { cert: 'root.pem', key: 'root.key' }, { subject: `/CN=${istat}-PC-9`, days: 1800, ca: false });
    const fresh = await upload(corpus.read('new.pem'), 'new.pem', { workstationId: ws.body.id }).expect(201);
    expect(fresh.body.warnings).toEqual([]);
    const oldDetail = await t
      .http()
      .get(api(`/devices/${old.body.devices[0].id}`))
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(oldDetail.body.successor).toMatchObject({ id: fresh.body.devices[0].id, label: `${istat}-PC-9` });
    expect(oldDetail.body.tasks).toEqual([expect.objectContaining({ type: 'revocation', status: 'open', trigger: 'successor' })]);
    const newDetail = await t
      .http()
      .get(api(`/devices/${fresh.body.devices[0].id}`))
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(newDetail.body.predecessors).toEqual([expect.objectContaining({ id: old.body.devices[0].id })]);
    // install / revoke on the old one; revoking confirms the revocation task.
    await t
      .http()
      .post(api(`/devices/${fresh.body.devices[0].id}/transitions`))
      .auth(token, { type: 'bearer' })
      .set('If-Match', '"1"')
      .send({ action: 'install' })
      .expect(200);
    const revoked = await t
      .http()
      .post(api(`/devices/${old.body.devices[0].id}/transitions`))
      .auth(token, { type: 'bearer' })
      .set('If-Match', `"${oldDetail.body.version}"`)
      .send({ action: 'revoke', reason: 'replaced', evidence: { reference: 'Consolle ANPR, Cancella' } })
      .expect(200);
    expect(revoked.body.confirmedTaskIds).toHaveLength(1);
  });

  it('imports a ZIP like the console "download all", with a password map; a bad entry is reported, the others stored', async () => {
    for (const n of [1, 2]) {
      corpus.key(`z${n}`, 'rsa2048');
      corpus.issued(
        `z${n}`,
        `z${n}.key`,
        { cert: 'root.pem', key: 'root.key' },
        { subject: `/CN=${istat}-PC-Z${n}`, days: 500, ca: false },
      );
      corpus.openssl([
        'pkcs12',
        '-export',
        '-in',
        `z${n}.pem`,
        '-inkey',
        `z${n}.key`,
        '-passout',
        `pass:zip-pass-${n}`,
        '-out',
        `z${n}.p12`,
      ]);
    }
    const zip = buildZip([
      { name: `${istat}-PC-Z1.p12`, data: corpus.read('z1.p12') },
      { name: `${istat}-PC-Z2.p12`, data: corpus.read('z2.p12') },
      { name: 'broken.p12', data: Buffer.concat([Buffer.from([0x30, 0x82, 0x09, 0x00]), corpus.read('z1.p12').subarray(4, 300)]) },
      { name: 'password.txt', data: Buffer.from(`${istat}-PC-Z1.p12 zip-pass-1\n`) },
    ]);
    const res = await upload(zip, 'download-all.zip', {
      passwordMap: JSON.stringify({ [`${istat}-PC-Z1.p12`]: 'zip-pass-1', [`${istat}-PC-Z2.p12`]: 'zip-pass-2' }),
    }).expect(201);
    expect(res.body.devices.map((d: { label: string }) => d.label).sort()).toEqual([`${istat}-PC-Z1`, `${istat}-PC-Z2`]);
    expect(res.body.errors).toEqual([expect.objectContaining({ source: 'broken.p12' })]);
    expect(JSON.stringify(res.body)).not.toContain('zip-pass');
    const again = await upload(zip, 'download-all.zip', {
      passwordMap: JSON.stringify({ [`${istat}-PC-Z1.p12`]: 'zip-pass-1', [`${istat}-PC-Z2.p12`]: 'zip-pass-2' }),
    }).expect(201);
    expect(again.body).toMatchObject({ devices: [], duplicates: 2 });
  });

  /** Every byte the database holds: the SQLite files (WAL included), or every row of the PostgreSQL schema. */
  async function storedBytes(): Promise<Buffer[]> {
    if (t.config.database.kind === 'sqlite') {
      const dir = dirname(t.config.database.sqlitePath);
      return readdirSync(dir).map((f) => readFileSync(join(dir, f)));
    }
    const client = new Client({ connectionString: t.config.database.url as string });
    await client.connect();
    try {
      const schema = t.config.database.schema as string;
      const tables = await client.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
        [schema],
      );
      const out: Buffer[] = [];
      for (const { table_name } of tables.rows) {
        const rows = await client.query<{ r: string }>(`SELECT t::text AS r FROM "${schema}"."${table_name}" t`);
        out.push(Buffer.from(rows.rows.map((r) => r.r).join('\n')));
      }
      return out;
    } finally {
      await client.end();
    }
  }
});
