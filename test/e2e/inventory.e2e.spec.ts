import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';
import { binary, createHolder, fiscalCode, pdfText } from '../support/inventory';
import { OpensslCorpus } from '../../src/devices/certificates/x509/testing/openssl-corpus';

jest.setTimeout(60_000);

describe('Inventory over HTTP: holders, workstations, smart cards, credentials, custody, queries', () => {
  let t: TestApp;
  let orgId: string;
  let tokens: Record<string, string>;
  let userIds: Record<string, string>;
  const api = (path: string) => `/api/v1/orgs/${orgId}${path}`;
  const as = (role: string) => ({ type: 'bearer' as const, token: tokens[role] as string });
  const get = (role: string, path: string) => t.http().get(api(path)).auth(as(role).token, as(role));
  const post = (role: string, path: string, body: object = {}) => t.http().post(api(path)).auth(as(role).token, as(role)).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    ({ orgId, tokens, userIds } = await createOrgWithMembers(t, admin, ['security_admin', 'workstation_admin', 'operator', 'auditor']));
  }, 60_000);
  afterAll(() => t.close());

  describe('holders', () => {
    it('creates, reads, lists and updates a holder; the codice fiscale is validated and unique per Comune', async () => {
      const cf = fiscalCode(9001);
      const created = await post('security_admin', '/holders', {
        firstName: 'Maria',
        lastName: 'Bianchi',
        fiscalCode: cf.toLowerCase(),
        email: 'M.Bianchi@Comune.test',
        office: 'Anagrafe',
      }).expect(201);
      expect(created.body).toMatchObject({
        id: expect.any(String),
        name: 'Maria Bianchi',
        fiscalCode: cf,
        email: 'm.bianchi@comune.test',
        employmentStatus: 'active',
        employmentStatusLabel: 'In servizio',
        version: 1,
      });
      expect(created.headers.etag).toBe('"1"');
      const read = await get('auditor', `/holders/${created.body.id}`).expect(200);
      expect(read.body.fiscalCode).toBe(cf);

      const dup = await post('security_admin', '/holders', {
        firstName: 'Altra',
        lastName: 'Persona',
        fiscalCode: cf,
        email: 'x@comune.test',
      }).expect(409);
      expect(dup.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(dup.body).toMatchObject({ code: 'FISCAL_CODE_TAKEN', holderId: created.body.id, holderName: 'Maria Bianchi' });

      for (const bad of ['RSSMRA80A01H501X', 'RSSMRA80A01H501', 'not-a-code', 'RSSMRA80Z01H501U']) {
        const res = await post('security_admin', '/holders', { firstName: 'A', lastName: 'B', fiscalCode: bad, email: 'a@b.it' }).expect(
          400,
        );
        expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'fiscalCode' })] });
      }

      const list = await get('workstation_admin', '/holders?q=bianchi').expect(200);
      expect(list.body.items.map((h: { id: string }) => h.id)).toEqual([created.body.id]);

      const noMatch = await t
        .http()
        .patch(api(`/holders/${created.body.id}`))
        .auth(tokens.security_admin as string, { type: 'bearer' })
        .send({ office: 'Stato civile' })
        .expect(428);
      expect(noMatch.body.code).toBe('PRECONDITION_REQUIRED');
      const updated = await t
        .http()
        .patch(api(`/holders/${created.body.id}`))
        .auth(tokens.security_admin as string, { type: 'bearer' })
        .set('If-Match', '"1"')
        .send({ office: 'Stato civile' })
        .expect(200);
      expect(updated.body).toMatchObject({ office: 'Stato civile', version: 2 });
      expect(updated.headers.etag).toBe('"2"');
      const stale = await t
        .http()
        .patch(api(`/holders/${created.body.id}`))
        .auth(tokens.security_admin as string, { type: 'bearer' })
        .set('If-Match', '"1"')
        .send({ office: 'Altro' })
        .expect(412);
      expect(stale.body).toMatchObject({ code: 'VERSION_MISMATCH', currentVersion: 2 });

      await post('operator', '/holders', { firstName: 'A', lastName: 'B', fiscalCode: fiscalCode(9002) }).expect(403);
      await get('operator', '/holders').expect(403);
    });
  });

  describe('workstations', () => {
    it('keeps the AgID ABSC 1.4 fields with the custodian by name', async () => {
      const custodian = await createHolder(t, orgId, tokens.security_admin as string);
      const res = await post('workstation_admin', '/workstations', {
        code: 'PC-ANAG-01',
        hostname: 'anagrafe-pc01',
        ipAddress: '10.0.0.21',
        office: 'Anagrafe',
        function: 'Sportello ANPR',
        isPortable: false,
        isPersonal: true,
        custodianHolderId: custodian.id,
      }).expect(201);
      expect(res.body).toMatchObject({
        kind: 'workstation',
        kindLabel: 'Postazione',
        code: 'PC-ANAG-01',
        hostname: 'anagrafe-pc01',
        ipAddress: '10.0.0.21',
        office: 'Anagrafe',
        function: 'Sportello ANPR',
        isPortable: false,
        isPersonal: true,
        custodian: { id: custodian.id, name: custodian.name },
        status: 'active',
      });
      const dup = await post('workstation_admin', '/workstations', { code: 'PC-ANAG-01' }).expect(409);
      expect(dup.body.code).toBe('WORKSTATION_CODE_TAKEN');
      await post('workstation_admin', '/workstations', { code: 'PC-X', ipAddress: '999.1.1.1' }).expect(400);
      const list = await get('auditor', '/workstations?office=anagrafe').expect(200);
      expect(list.body.items.map((w: { code: string }) => w.code)).toContain('PC-ANAG-01');
      await post('operator', '/workstations', { code: 'PC-OP' }).expect(403);
    });
  });

  describe('smart cards, credentials, lifecycle, custody', () => {
    it('takes a smart card from request to active with a handover receipt PDF in Italian, acknowledged by the holder', async () => {
      const holder = await createHolder(t, orgId, tokens.security_admin as string, { firstName: 'Niccolò', lastName: 'Forlì' });
      const card = await post('security_admin', '/smart-cards', {
        serialNumber: 'SC-0001',
        cardType: 'CNS',
        generation: '2',
        holderId: holder.id,
        expiresAt: '2030-01-31T23:00:00Z',
      }).expect(201);
      expect(card.body).toMatchObject({
        kind: 'smart_card',
        status: 'requested',
        statusLabel: 'Richiesta',
        serialNumber: 'SC-0001',
        holder: { id: holder.id, name: 'Niccolò Forlì' },
      });
      let version = card.body.version as number;
      for (const action of ['start_production', 'send_to_prefecture', 'deliver_to_comune', 'hand_to_holder']) {
        const step = await post('security_admin', `/devices/${card.body.id}/transitions`, { action })
          .set('If-Match', `"${version}"`)
          .expect(200);
        version = step.body.device.version;
        if (action === 'hand_to_holder') {
          expect(step.body.sideEffects).toEqual(['handover_receipt']);
          expect(step.body.handoverReceipt).toMatchObject({
            number: expect.stringMatching(/^\d{4}\/0001$/),
            holderName: 'Niccolò Forlì',
            direction: 'delivery',
          });
        }
      }
      const detail = await get('security_admin', `/devices/${card.body.id}`).expect(200);
      expect(detail.body.status).toBe('handed_to_holder');
      expect(detail.body.history.map((e: { action: string | null }) => e.action)).toEqual([
        null,
        'start_production',
        'send_to_prefecture',
        'deliver_to_comune',
        'hand_to_holder',
        null,
      ]);
      expect(detail.body.history[4]).toMatchObject({
        fromStatus: 'delivered_to_comune',
        toStatus: 'handed_to_holder',
        toStatusLabel: 'Consegnata al titolare',
        actor: expect.stringContaining('security_admin'),
      });
      const receipt = detail.body.handoverReceipts[0];

      const pdf = await t
        .http()
        .get(receipt.pdfPath)
        .auth(tokens.security_admin as string, { type: 'bearer' })
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const text = pdfText(pdf.body as Buffer);
      expect(text).toContain('VERBALE DI CONSEGNA');
      expect(text).toContain('Niccolò Forlì');
      expect(text).toContain(holder.fiscalCode);
      expect(text).toContain('SC-0001');
      expect(text).toContain('strettamente personale');

      // The operator is not this holder: the receipt is invisible to them.
      await post('operator', `/handover-receipts/${receipt.id}/acknowledge`).expect(404);
      const ack = await post('security_admin', `/handover-receipts/${receipt.id}/acknowledge`, { note: 'Firmato in originale' }).expect(
        200,
      );
      expect(ack.body).toMatchObject({
        acknowledgedAt: expect.any(String),
        acknowledgedBy: expect.stringContaining('security_admin'),
        acknowledgementNote: 'Firmato in originale',
      });
      const again = await post('security_admin', `/handover-receipts/${receipt.id}/acknowledge`).expect(409);
      expect(again.body.code).toBe('HANDOVER_ALREADY_ACKNOWLEDGED');

      await post('security_admin', `/devices/${card.body.id}/transitions`, { action: 'activate', version }).expect(200);
    });

    it('refuses a transition the table does not allow with a 409 naming the current status, and needs reasons', async () => {
      const holder = await createHolder(t, orgId, tokens.security_admin as string);
      const card = await post('security_admin', '/smart-cards', {
        serialNumber: 'SC-0002',
        holderId: holder.id,
        initialStatus: 'active',
      }).expect(201);
      const refused = await post('security_admin', `/devices/${card.body.id}/transitions`, { action: 'install', version: 1 }).expect(409);
      expect(refused.body).toMatchObject({
        code: 'TRANSITION_NOT_ALLOWED',
        currentStatus: 'active',
        currentStatusLabel: 'Attiva',
        terminal: false,
        allowedActions: expect.arrayContaining(['block_pin']),
      });
      expect(refused.body.detail).toContain('active');
      const noReason = await post('security_admin', `/devices/${card.body.id}/transitions`, { action: 'report_stolen', version: 1 }).expect(
        422,
      );
      expect(noReason.body.code).toBe('TRANSITION_REASON_REQUIRED');
      const stolen = await post('security_admin', `/devices/${card.body.id}/transitions`, {
        action: 'report_stolen',
        reason: 'Furto della borsa',
        evidence: { reference: 'Denuncia 12/2026' },
        version: 1,
      }).expect(200);
      expect(stolen.body.sideEffects).toEqual(['revocation_task', 'replacement_request', 'incident']);
      expect(stolen.body.openedTaskIds).toHaveLength(3);
      const blocked = await post('security_admin', `/devices/${card.body.id}/transitions`, {
        action: 'block_and_replace',
        version: 2,
      }).expect(200);
      expect(blocked.body.confirmedTaskIds).toHaveLength(1);
      const final = await post('security_admin', `/devices/${card.body.id}/transitions`, { action: 'return', version: 3 }).expect(409);
      expect(final.body).toMatchObject({
        code: 'TRANSITION_NOT_ALLOWED',
        currentStatus: 'blocked_replaced',
        terminal: true,
        allowedActions: [],
      });
      const history = await get('security_admin', `/devices/${card.body.id}`).expect(200);
      expect(history.body.history.find((e: { action: string }) => e.action === 'report_stolen')).toMatchObject({
        reason: 'Furto della borsa',
        evidence: { reference: 'Denuncia 12/2026' },
      });
      const tasks = await get('security_admin', `/tasks?deviceId=${card.body.id}`).expect(200);
      expect(tasks.body.items.map((x: { type: string; status: string }) => `${x.type}:${x.status}`).sort()).toEqual([
        'incident_report:open',
        'replacement_request:open',
        'revocation:confirmed',
      ]);
    });

    it('uses If-Match: 428 without, 412 when stale, and no lost update between two writers', async () => {
      const holder = await createHolder(t, orgId, tokens.security_admin as string);
      const card = await post('security_admin', '/smart-cards', {
        serialNumber: 'SC-0003',
        holderId: holder.id,
        initialStatus: 'active',
      }).expect(201);
      const none = await post('security_admin', `/devices/${card.body.id}/transitions`, { action: 'block_pin' }).expect(428);
      expect(none.body.code).toBe('PRECONDITION_REQUIRED');
      const [a, b] = await Promise.all([
        post('security_admin', `/devices/${card.body.id}/transitions`, { action: 'block_pin' }).set('If-Match', '"1"'),
        post('security_admin', `/devices/${card.body.id}/transitions`, { action: 'report_lost', reason: 'Smarrita' }).set(
          'If-Match',
          '"1"',
        ),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 412]);
      expect([a.body.code, b.body.code]).toContain('VERSION_MISMATCH');
      const detail = await get('security_admin', `/devices/${card.body.id}`).expect(200);
      expect(detail.body.version).toBe(2);
      expect(detail.body.history.filter((e: { type: string }) => e.type === 'transition')).toHaveLength(1);
    });

    it('stores credentials without any password field, and the ALP cannot manage them', async () => {
      const holder = await createHolder(t, orgId, tokens.security_admin as string);
      const withPassword = await post('security_admin', '/credentials', {
        system: 'anpr_console',
        username: 'mrossi',
        holderId: holder.id,
        password: 'segreto',
      }).expect(400);
      expect(withPassword.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
      const cred = await post('security_admin', '/credentials', {
        system: 'digital_identity',
        identityProvider: 'cie',
        username: 'mrossi-cie',
        holderId: holder.id,
        issuedOn: '2026-01-10',
        lastRotatedOn: '2026-01-10',
        rotationDays: 90,
      }).expect(201);
      expect(cred.body).toMatchObject({
        kind: 'credential',
        status: 'enabled',
        system: 'digital_identity',
        systemLabel: expect.stringContaining('SPID'),
        identityProvider: 'cie',
        username: 'mrossi-cie',
        rotationDays: 90,
      });
      expect(JSON.stringify(cred.body)).not.toMatch(/password"/i);
      await post('security_admin', '/credentials', { system: 'digital_identity', username: 'mrossi-cie', holderId: holder.id }).expect(409);
      const alp = await post('workstation_admin', `/devices/${cred.body.id}/transitions`, { action: 'activate', version: 1 }).expect(403);
      expect(alp.body.code).toBe('DEVICE_KIND_NOT_ALLOWED');
      const compromised = await post('security_admin', `/devices/${cred.body.id}/transitions`, {
        action: 'mark_compromised',
        reason: 'Comunicata a un falso tecnico',
        version: 1,
      }).expect(200);
      expect(compromised.body.sideEffects).toEqual(['immediate_suspension', 'incident']);
    });

    it('hands a device to another holder, closing the previous assignment (chain of custody)', async () => {
      const first = await createHolder(t, orgId, tokens.security_admin as string);
      const second = await createHolder(t, orgId, tokens.security_admin as string);
      const card = await post('security_admin', '/smart-cards', {
        serialNumber: 'SC-0004',
        holderId: first.id,
        initialStatus: 'delivered_to_comune',
      }).expect(201);
      const moved = await post('security_admin', `/devices/${card.body.id}/custody`, { holderId: second.id, note: 'Cambio ufficio' })
        .set('If-Match', '"1"')
        .expect(200);
      expect(moved.body.device.holder).toEqual({ id: second.id, name: second.name });
      expect(moved.body.handoverReceipt).toMatchObject({ holderId: second.id });
      const detail = await get('auditor', `/devices/${card.body.id}`).expect(200);
      expect(detail.body.custody).toEqual([
        expect.objectContaining({
          target: 'holder',
          holder: { id: first.id, name: first.name },
          endedAt: expect.any(String),
          endReason: 'reassigned',
        }),
        expect.objectContaining({ target: 'holder', holder: { id: second.id, name: second.name }, endedAt: null }),
      ]);
    });
  });

  describe('queries, CSV, operators', () => {
    it('filters, sorts and pages devices; exports CSV; an operator sees only their own devices', async () => {
      const me = await createHolder(t, orgId, tokens.security_admin as string, {
        email: `operator.${orgId.slice(0, 8)}@comune.test`,
        office: 'Elettorale',
      });
      const other = await createHolder(t, orgId, tokens.security_admin as string);
      const day = 86_400_000;
      const mine = await post('security_admin', '/smart-cards', {
        serialNumber: 'Q-MINE',
        holderId: me.id,
        initialStatus: 'active',
        expiresAt: new Date(Date.now() + 10 * day).toISOString(),
      }).expect(201);
      await post('security_admin', '/smart-cards', {
        serialNumber: 'Q-OTHER',
        holderId: other.id,
        initialStatus: 'active',
        expiresAt: new Date(Date.now() + 20 * day).toISOString(),
      }).expect(201);
      await post('security_admin', '/smart-cards', {
        serialNumber: 'Q-OLD',
        holderId: other.id,
        initialStatus: 'active',
        expiresAt: new Date(Date.now() - 5 * day).toISOString(),
      }).expect(201);
      await post('security_admin', '/smart-cards', {
        serialNumber: 'Q-FAR',
        holderId: other.id,
        initialStatus: 'active',
        expiresAt: new Date(Date.now() + 400 * day).toISOString(),
      }).expect(201);

      const soon = await get('auditor', '/devices?kind=smart_card&expiringWithinDays=30&q=Q-').expect(200);
      expect(soon.body.items.map((d: { label: string }) => d.label)).toEqual(['Q-MINE', 'Q-OTHER']);
      const expired = await get('auditor', '/devices?expired=true&q=Q-').expect(200);
      expect(expired.body.items.map((d: { label: string }) => d.label)).toEqual(['Q-OLD']);
      const byOffice = await get('auditor', '/devices?office=elettorale').expect(200);
      expect(byOffice.body.items.map((d: { label: string }) => d.label)).toEqual(['Q-MINE']);
      const byHolder = await get('auditor', `/devices?holderId=${other.id}&sort=-expiresAt`).expect(200);
      expect(byHolder.body.items.map((d: { label: string }) => d.label)).toEqual(['Q-FAR', 'Q-OTHER', 'Q-OLD']);

      // Pages of one, following nextCursor, give every device once in order.
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { label: string }[]; nextCursor: string | null } } = await get(
          'auditor',
          `/devices?q=Q-&limit=1&sort=label${cursor ? `&cursor=${cursor}` : ''}`,
        ).expect(200);
        seen.push(...page.body.items.map((d: { label: string }) => d.label));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['Q-FAR', 'Q-MINE', 'Q-OLD', 'Q-OTHER']);
      await get('auditor', '/devices?cursor=garbage').expect(400);

      const csv = await get('auditor', '/devices/export.csv?q=Q-&sort=label').expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).toMatch(/^id,tipo,stato,identificativo,titolare/);
      expect(lines).toHaveLength(5);
      expect(lines[2]).toContain('Smart card,Attiva,Q-MINE');
      await get('operator', '/devices/export.csv').expect(403);

      // The operator signs in as operator.<org>@comune.test: linked to "me" by e-mail.
      const own = await get('operator', '/devices').expect(200);
      expect(own.body.items.map((d: { id: string }) => d.id)).toEqual([mine.body.id]);
      await get('operator', `/devices/${mine.body.id}`).expect(200);
      const others = await get('auditor', '/devices?q=Q-OTHER').expect(200);
      const hidden = await get('operator', `/devices/${others.body.items[0].id}`).expect(404);
      expect(hidden.body.code).toBe('DEVICE_NOT_FOUND');

      // An explicit link wins over the e-mail.
      const linked = await createHolder(t, orgId, tokens.security_admin as string, { userId: userIds.operator });
      const card = await post('security_admin', '/smart-cards', {
        serialNumber: 'Q-LINKED',
        holderId: linked.id,
        initialStatus: 'active',
      }).expect(201);
      const now = await get('operator', '/devices').expect(200);
      expect(now.body.items.map((d: { id: string }) => d.id)).toEqual([card.body.id]);
    });
  });

  describe('list view', () => {
    const corpus = new OpensslCorpus();
    afterAll(() => corpus.remove());

    it('shows every device of a page as its own view does, kind details included (one joined query)', async () => {
      const holder = await createHolder(t, orgId, tokens.security_admin as string);
      const ws = await post('security_admin', '/workstations', {
        kind: 'workstation',
        code: '041001-PC-77',
        hostname: 'lv-pc-77.comune.test',
        custodianHolderId: holder.id,
      });
      expect(ws.status).toBe(201);
      corpus.key('lv-ca', 'p256');
      corpus.key('lv-leaf', 'rsa2048');
      const ca = corpus.selfSigned('lv-ca', 'lv-ca.key', { subject: '/CN=Lista CA/O=Prova', days: 3650, ca: true });
      corpus.issued('lv-leaf', 'lv-leaf.key', { cert: ca, key: 'lv-ca.key' }, { subject: '/CN=041001-PC-77/O=Comune di Prova', days: 200 });
      const bundle = Buffer.concat([corpus.read('lv-leaf.pem'), corpus.read(ca)]);
      await t
        .http()
        .post(api('/certificates/import'))
        .auth(as('security_admin').token, as('security_admin'))
        .field('workstationId', ws.body.id)
        .field('custodianHolderId', holder.id)
        .attach('file', bundle, 'lv.pem')
        .expect(201);
      await post('security_admin', '/smart-cards', { serialNumber: 'LV-CARD', holderId: holder.id, initialStatus: 'active' }).expect(201);
      await post('security_admin', '/credentials', {
        system: 'anpr_console',
        username: 'lv.user',
        holderId: holder.id,
        rotationDays: 90,
        lastRotatedOn: '2026-01-10',
      }).expect(201);

      const list = await get('auditor', '/devices?limit=200').expect(200);
      const kinds = new Set(list.body.items.map((d: { kind: string }) => d.kind));
      expect([...kinds].sort()).toEqual(expect.arrayContaining(['credential', 'smart_card', 'workstation_certificate']));
      const withChain = list.body.items.find((d: { chain?: unknown[] }) => (d.chain?.length ?? 0) > 0);
      expect(withChain).toMatchObject({
        subject: { commonName: '041001-PC-77' },
        chain: [{ commonName: 'Lista CA' }],
        custodian: { id: holder.id, name: expect.stringMatching(/\S/) },
        workstation: { id: ws.body.id, code: '041001-PC-77', hostname: 'lv-pc-77.comune.test' },
      });
      expect(withChain.pem).toBeUndefined();
      for (const item of list.body.items) {
        const one = await get('auditor', `/devices/${item.id}`).expect(200);
        const { pem: _pem, successor: _s, predecessors: _p, history: _h, custody: _c, handoverReceipts: _r, tasks: _t, ...view } = one.body;
        expect({ ...item, daysToExpiry: null }).toEqual({ ...view, daysToExpiry: null });
      }
    });
  });

  describe('leaver flow', () => {
    it('opens the right task for every device of a leaver, and applyNow records the steps', async () => {
      const leaver = await createHolder(t, orgId, tokens.security_admin as string);
      const cred = await post('security_admin', '/credentials', {
        system: 'anpr_console',
        username: 'leaver-1',
        holderId: leaver.id,
        initialStatus: 'active',
      }).expect(201);
      const card = await post('security_admin', '/smart-cards', {
        serialNumber: 'L-CARD',
        holderId: leaver.id,
        initialStatus: 'active',
      }).expect(201);
      const pending = await post('security_admin', '/smart-cards', { serialNumber: 'L-REQ', holderId: leaver.id }).expect(201);
      const ws = await post('workstation_admin', '/workstations', { code: 'PC-LEAVER', custodianHolderId: leaver.id }).expect(201);
      const impossible = await post('security_admin', `/holders/${leaver.id}/leave`, { reason: 'transfer', leftOn: '2026-02-30' }).expect(
        400,
      );
      expect(impossible.body.errors).toEqual([{ field: 'leftOn', messages: ['leftOn must be a real day as YYYY-MM-DD'] }]);
      const res = await post('security_admin', `/holders/${leaver.id}/leave`, { reason: 'transfer', leftOn: '2026-03-31' }).expect(200);
      expect(res.body.holder).toMatchObject({
        employmentStatus: 'leaver',
        employmentStatusLabel: 'Cessato',
        leaverReason: 'transfer',
        leftOn: '2026-03-31',
      });
      const byDevice = Object.fromEntries(
        res.body.tasks
          .filter((x: { device: unknown }) => x.device)
          .map((x: { device: { id: string }; type: string }) => [x.device.id, x.type]),
      );
      expect(byDevice).toEqual({
        [cred.body.id]: 'credential_deletion',
        [card.body.id]: 'smart_card_suspension',
        [pending.body.id]: 'smart_card_suspension',
      });
      expect(res.body.tasks.find((x: { device: unknown }) => !x.device).reason).toContain('PC-LEAVER');
      void ws;
      await post('security_admin', `/holders/${leaver.id}/leave`, { reason: 'transfer', leftOn: '2026-03-31' }).expect(409);

      // Recording the deletion confirms the task.
      const deleted = await post('security_admin', `/devices/${cred.body.id}/transitions`, {
        action: 'delete',
        reason: 'transfer',
        version: 1,
      }).expect(200);
      expect(deleted.body.confirmedTaskIds).toHaveLength(1);
      const list = await get('auditor', `/tasks?holderId=${leaver.id}&status=open`).expect(200);
      expect(list.body.items.map((x: { type: string }) => x.type).sort()).toEqual([
        'custody_reassignment',
        'smart_card_suspension',
        'smart_card_suspension',
      ]);

      const second = await createHolder(t, orgId, tokens.security_admin as string);
      const card2 = await post('security_admin', '/smart-cards', {
        serialNumber: 'L-CARD-2',
        holderId: second.id,
        initialStatus: 'active',
      }).expect(201);
      const applied = await post('security_admin', `/holders/${second.id}/leave`, {
        reason: 'retirement',
        leftOn: '2026-02-28',
        applyNow: true,
      }).expect(200);
      expect(applied.body.transitionedDeviceIds).toEqual([card2.body.id]);
      const after = await get('security_admin', `/devices/${card2.body.id}`).expect(200);
      expect(after.body.status).toBe('suspended_in_comune');
      expect(applied.body.tasks.map((x: { status: string }) => x.status)).toEqual(['confirmed']);
      const third = await createHolder(t, orgId, tokens.security_admin as string);
      const other = await post('security_admin', `/holders/${third.id}/leave`, { reason: 'other', leftOn: '2026-02-28' }).expect(400);
      expect(other.body.errors).toEqual([expect.objectContaining({ field: 'note' })]);
    });
  });
});
