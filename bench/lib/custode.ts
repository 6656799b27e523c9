import { join } from 'node:path';
import { Child, forkChild } from './children';
import { BenchDatabase } from './databases';

export const ADMIN_EMAIL = 'superadmin@bench.custode.test';
export const ADMIN_PASSWORD = 'prova-piattaforma-2026!-banco';
const MEMBER_PASSWORD = 'cavallo-batteria-graffetta-9-lotto';

export interface CustodeServer {
  child: Child<{ type: 'ready'; port: number }>;
  base: string;
  stop(): Promise<void>;
}

/** Starts Custode (its own process, production app) on a bench database. */
export async function startCustode(db: BenchDatabase, extraEnv: Record<string, string> = {}): Promise<CustodeServer> {
  const child = await forkChild<{ type: 'ready'; port: number }>(
    'bench/lib/custode-main.ts',
    {
      NODE_ENV: 'production',
      CUSTODE_SECRET: `bench-secret-${db.id}-0123456789abcdefghijklmnop`,
      CUSTODE_ADMIN_EMAIL: ADMIN_EMAIL,
      CUSTODE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      // Production logs every request at info; the file keeps the terminal readable.
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      LOG_FILE: join(db.dir, 'custode.log'),
      WORKERS: process.env.BENCH_WORKERS ?? 'off',
      LOGIN_RATE_PER_MINUTE: '10000',
      UPLOAD_LIMIT_BYTES: String(10 * 1024 * 1024),
      // e.g. --max-old-space-size=256: how a deployment bounds the V8 heap (not set by default).
      ...(process.env.BENCH_CUSTODE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_CUSTODE_NODE_OPTIONS } : {}),
      ...db.env,
      ...extraEnv,
    },
    `custode-${db.kind}`,
  );
  const base = `http://127.0.0.1:${child.ready.port}`;
  return { child, base, stop: () => child.stop() };
}

let callId = 0;

/** Runs one of custode-main's service calls (`sweep`, `dispatch`) in Custode's process. */
export function callInServer<T>(server: CustodeServer, op: string, args: Record<string, unknown>): Promise<T> {
  const id = ++callId;
  return new Promise<T>((resolve, reject) => {
    const onMessage = (m: { type: string; id?: number; result?: T; error?: string }) => {
      if (m.type !== 'result' || m.id !== id) return;
      server.child.proc.off('message', onMessage);
      if (m.error) reject(new Error(m.error));
      else resolve(m.result as T);
    };
    server.child.proc.on('message', onMessage);
    server.child.proc.send({ type: 'call', id, op, ...args });
  });
}

export class ApiError extends Error {}

export async function api<T>(
  base: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; body: T; text: string }> {
  const request = () =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
  // A GET on a keep-alive socket the server closed while idle (5 s) is safe to send again.
  const res = await request().catch((error: unknown) => (method === 'GET' ? request() : Promise.reject(error)));
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed as T, text };
}

async function expectOk<T>(what: string, res: Promise<{ status: number; body: T; text: string }>, status: number): Promise<T> {
  const r = await res;
  if (r.status !== status) throw new ApiError(`${what}: HTTP ${r.status} ${r.text.slice(0, 500)}`);
  return r.body;
}

export async function login(base: string, email: string, password: string): Promise<string> {
  return (await expectOk<{ token: string }>(`login ${email}`, api(base, 'POST', '/api/v1/auth/login', null, { email, password }), 200))
    .token;
}

export interface BenchOrg {
  orgId: string;
  istatCode: string;
  /** Session token of the Comune's security administrator (ALS). */
  token: string;
  adminToken: string;
}

/** Members of a role in the Comune, signed in (password changed as at first sign-in); returns their tokens. */
export async function createMembers(base: string, org: BenchOrg, role: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const email = `${role}${i}.${org.istatCode}@comune.bench.test`;
    await expectOk(
      `create ${role}`,
      api(base, 'POST', `/api/v1/orgs/${org.orgId}/users`, org.adminToken, {
        email,
        displayName: `Utente ${i}`,
        role,
        password: MEMBER_PASSWORD,
      }),
      201,
    );
    const token = await login(base, email, MEMBER_PASSWORD);
    await expectOk(
      'change password',
      api(base, 'POST', '/api/v1/auth/password', token, { currentPassword: MEMBER_PASSWORD, newPassword: `${MEMBER_PASSWORD}-${i}` }),
      204,
    );
    tokens.push(token);
  }
  return tokens;
}

export async function expectStatus<T>(what: string, res: Promise<{ status: number; body: T; text: string }>, status: number): Promise<T> {
  return expectOk(what, res, status);
}

/** A Comune with an ALS, through the API like an operator would set it up. */
export async function createOrgWithAls(base: string, istatCode: string): Promise<BenchOrg> {
  const adminToken = await login(base, ADMIN_EMAIL, ADMIN_PASSWORD);
  const org = await expectOk<{ id: string }>(
    'create org',
    api(base, 'POST', '/api/v1/orgs', adminToken, { istatCode, name: `Comune di Banco ${istatCode}` }),
    201,
  );
  const email = `als.${istatCode}@comune.bench.test`;
  await expectOk(
    'create ALS',
    api(base, 'POST', `/api/v1/orgs/${org.id}/users`, adminToken, {
      email,
      displayName: 'ALS di prova',
      role: 'security_admin',
      password: MEMBER_PASSWORD,
    }),
    201,
  );
  const first = await login(base, email, MEMBER_PASSWORD);
  await expectOk(
    'change password',
    api(base, 'POST', '/api/v1/auth/password', first, { currentPassword: MEMBER_PASSWORD, newPassword: `${MEMBER_PASSWORD}-als` }),
    204,
  );
  return { orgId: org.id, istatCode, token: first, adminToken };
}
