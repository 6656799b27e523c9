import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { AppConfig } from '../../config/configuration';
import { MailTransport, messageIdFor } from './mail-transport';

/** A real SMTP server on loopback: the transport keeps its connections open (a pool). */
describe('MailTransport', () => {
  let server: SMTPServer;
  let url: string;
  let connections = 0;
  const received: string[] = [];

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onConnect(_session, callback) {
        connections += 1;
        callback();
      },
      onData(stream, _session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        stream.on('end', () => {
          received.push(/^Message-ID: (.*)$/im.exec(raw)?.[1]?.trim() ?? '');
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends one message after another over one pooled connection, with the ledger id as Message-ID', async () => {
    const transport = new MailTransport({ smtp: { url, from: 'Custode <custode@comune.test>' } } as AppConfig);
    const ids = ['5f0c2a4e-0000-4000-8000-000000000001', '5f0c2a4e-0000-4000-8000-000000000002', '5f0c2a4e-0000-4000-8000-000000000003'];
    for (const id of ids) {
      await transport.send({
        reminderId: id,
        reference: 'R-5F0C2A4E',
        channel: 'email',
        to: 'als@comune.test',
        toName: null,
        subject: 'Promemoria',
        text: 'Testo',
        html: '<p>Testo</p>',
        event: {} as never,
        endpointId: null,
      });
    }
    transport.onModuleDestroy();
    expect(received).toEqual(ids.map(messageIdFor));
    // Without the pool each message opened its own connection (three here).
    expect(connections).toBe(1);
  });
});
