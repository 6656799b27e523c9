import { startSmtp, waitFor } from '../support/reminders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

/**
 * The whole path of a quick report's alert: the incidents module writes the ledger rows through
 * NoticesService, the worker composes the text with IncidentReminderSubject and a real SMTP
 * server receives the ALS's e-mail.
 */
describe('Incident alert by e-mail: a quick report reaches the ALS mailbox', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({ workers: true, env: { SMTP_URL: smtp.url, LOGIN_RATE_PER_MINUTE: '1000' } });
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('e-mails the Italian alert, without links, to the ALS and tells the operator the ALS was notified', async () => {
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = await createOrgWithMembers(t, admin, ['security_admin', 'operator']);
    const alsEmail = `security_admin.${org.orgId.slice(0, 8)}@comune.test`;

    const res = await t
      .http()
      .post(`/api/v1/orgs/${org.orgId}/incidents/quick-report`)
      .auth(org.tokens.operator!, { type: 'bearer' })
      .send({ claimedCompany: 'Alfa Assistenza', requested: ['credentials'], done: ['credentials_disclosed'] })
      .expect(201);
    expect(res.body.alsNotified).toBe(true);
    expect(res.body.message).toContain("L'Amministratore locale della sicurezza è stato avvisato.");

    const mail = await waitFor('the ALS alert', async () => smtp.mails.find((m) => m.to.includes(alsEmail)));
    // The composer appends the ledger's reference code.
    expect(mail.parsed.subject).toMatch(
      /^\[URGENTE\] Segnalazione di sicurezza n\. \d{4}\/\d{4}: Credenziali comunicate \(rif\. R-[0-9A-F]+\)$/,
    );
    expect(mail.parsed.subject).toContain(`n. ${res.body.number}:`);
    const text = mail.parsed.text ?? '';
    expect(text).toContain(res.body.number);
    expect(`${text}\n${typeof mail.parsed.html === 'string' ? mail.parsed.html : ''}`).not.toMatch(/https?:\/\/|www\.|<a\s/i);
    expect(mail.parsed.attachments).toHaveLength(0);
  });
});
