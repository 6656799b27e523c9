import { OpensslCorpus, daysUntil } from '../../src/devices/certificates/x509/testing/openssl-corpus';
import { createHolder } from '../support/inventory';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

/** A smart card's certificate carries its holder's codice fiscale: Custode matches the card by it. */
describe('smart card certificate matched by codice fiscale', () => {
  let t: TestApp;
  let orgId: string;
  let als: string;
  const corpus = new OpensslCorpus();
  const api = (path: string) => `/api/v1/orgs/${orgId}${path}`;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    ({
      orgId,
      tokens: { security_admin: als },
    } = await createOrgWithMembers(t, admin, ['security_admin']));
    corpus.key('card', 'p256');
  });
  afterAll(async () => {
    corpus.remove();
    await t.close();
  });

  const cardCertificate = (name: string, subject: string) => {
    corpus.selfSigned(name, 'card.key', { subject, days: daysUntil('2030-06-30') });
    return corpus.read(`${name}.pem`);
  };
  const newCard = async (serialNumber: string, holderId?: string) =>
    (
      await t
        .http()
        .post(api('/smart-cards'))
        .auth(als, { type: 'bearer' })
        .send({ serialNumber, holderId, initialStatus: 'delivered_to_comune' })
        .expect(201)
    ).body as { id: string; version: number };
  const upload = (card: { id: string; version: number }, pem: Buffer) =>
    t
      .http()
      .post(api(`/smart-cards/${card.id}/certificate`))
      .auth(als, { type: 'bearer' })
      .set('If-Match', `"${card.version}"`)
      .attach('file', pem, 'card.pem');

  it('assigns a card without holder to the holder whose codice fiscale the certificate carries', async () => {
    const holder = await createHolder(t, orgId, als);
    const card = await newCard('CNS-0001');
    const res = await upload(card, cardCertificate('a', `/CN=${holder.name}/serialNumber=TINIT-${holder.fiscalCode}`)).expect(200);
    expect(res.body).toMatchObject({ matchedHolderId: holder.id, matchedHolderName: holder.name, warnings: [] });
    expect(res.body.device).toMatchObject({ id: card.id, holder: { id: holder.id, name: holder.name }, version: card.version + 1 });
    expect(res.body.device.expiresAt.slice(0, 10)).toBe('2030-06-30');
    const history = await t
      .http()
      .get(api(`/devices/${card.id}`))
      .auth(als, { type: 'bearer' })
      .expect(200);
    expect(JSON.stringify(history.body)).toContain(holder.id);
  });

  it("refuses a certificate of someone else than the card's holder, and changes nothing", async () => {
    const owner = await createHolder(t, orgId, als);
    const other = await createHolder(t, orgId, als);
    const card = await newCard('CNS-0002', owner.id);
    const res = await upload(card, cardCertificate('b', `/CN=${other.name}/serialNumber=TINIT-${other.fiscalCode}`)).expect(409);
    expect(res.body).toMatchObject({ code: 'SMART_CARD_HOLDER_MISMATCH', holderId: owner.id, certificateHolderId: other.id });
    const after = await t
      .http()
      .get(api(`/devices/${card.id}`))
      .auth(als, { type: 'bearer' })
      .expect(200);
    expect(after.body).toMatchObject({ holder: { id: owner.id }, version: card.version });
  });

  it('warns when no holder has the codice fiscale, and refuses a certificate without one', async () => {
    const card = await newCard('CNS-0003');
    const unknown = await upload(card, cardCertificate('c', '/CN=Persona Sconosciuta/serialNumber=TINIT-RSSMRA80A01H501U')).expect(200);
    expect(unknown.body).toMatchObject({ matchedHolderId: null, warnings: [expect.stringMatching(/No holder/)] });
    const again = { ...card, version: unknown.body.device.version as number };
    const plain = await upload(again, cardCertificate('d', '/CN=041001-PC-1')).expect(422);
    expect(plain.body.code).toBe('CARD_CERTIFICATE_WITHOUT_FISCAL_CODE');
    const garbage = await upload(again, Buffer.from('non è un certificato')).expect(422);
    expect(garbage.body.code).toBe('UNRECOGNIZED_FORMAT');
    await t
      .http()
      .post(api(`/smart-cards/${card.id}/certificate`))
      .auth(als, { type: 'bearer' })
      .attach('file', Buffer.from('x'), 'x.pem')
      .expect(428);
  });
});
