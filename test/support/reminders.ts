import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { systemClock } from '../../src/common/time';
import { fiscalCode } from './inventory';
import { TestApp } from './test-app';

export interface ReceivedMail {
  raw: string;
  parsed: ParsedMail;
  to: string[];
}

/** A real SMTP server on a free loopback port; every accepted message is parsed and kept. */
export async function startSmtp(options: { failFirst?: number; delayMs?: number } = {}): Promise<{
  url: string;
  mails: ReceivedMail[];
  close(): Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  let toFail = options.failFirst ?? 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (toFail > 0) {
          toFail -= 1;
          const error = new Error('try again later') as Error & { responseCode: number };
          error.responseCode = 451;
          return callback(error);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        new Promise((r) => setTimeout(r, options.delayMs ?? 0))
          .then(() => simpleParser(raw))
          .then((parsed) => {
            mails.push({ raw, parsed, to: session.envelope.rcptTo.map((r) => r.address) });
            callback();
          })
          .catch(callback);
      });
    },
  });
  // A client killed mid-session (the worker-kill test) resets its connection: not a test failure.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Moves "now" for the reminders (the app reads the shared systemClock). */
export function setNow(iso: string): void {
  jest.spyOn(systemClock, 'now').mockReturnValue(new Date(iso));
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function createHolder(t: TestApp, token: string, orgId: string, n: number, email: string | null): Promise<string> {
  const res = await t
    .http()
    .post(`/api/v1/orgs/${orgId}/holders`)
    .auth(token, { type: 'bearer' })
    .send({ firstName: `Nome${n}`, lastName: `Cognome${n}`, fiscalCode: fiscalCode(n), ...(email ? { email } : {}) });
  if (res.status !== 201) throw new Error(`holder: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export async function createCard(
  t: TestApp,
  token: string,
  orgId: string,
  serial: string,
  expiresAt: string,
  holderId?: string,
): Promise<string> {
  const res = await t
    .http()
    .post(`/api/v1/orgs/${orgId}/smart-cards`)
    .auth(token, { type: 'bearer' })
    .send({ serialNumber: serial, expiresAt, initialStatus: 'active', ...(holderId ? { holderId } : {}) });
  if (res.status !== 201) throw new Error(`card: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/**
 * A TCP proxy to the real Redis that can be switched off and on, standing for a Redis outage: while
 * off, the port refuses connections and open ones are cut.
 */
export async function redisProxy(target = { host: '127.0.0.1', port: 6379 }): Promise<{
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}> {
  const net = await import('node:net');
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  let server: import('node:net').Server | null = null;
  const sockets = new Set<import('node:net').Socket>();
  return {
    url: `redis://127.0.0.1:${port}`,
    start: async () => {
      if (server) return;
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const end = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', end).on('close', end);
        upstream.on('error', end).on('close', end);
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    },
    stop: async () => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = null;
    },
  };
}
