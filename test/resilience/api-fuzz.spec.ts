import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { PERMISSIONS, PermissionRule } from '../../src/auth/permissions';
import { ORG_ROLES, OrgRole } from '../../src/auth/roles';
import { buildOpenApi } from '../../src/bootstrap';
import { listRoutes } from '../support/routes';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';
import { HOSTILE_STRINGS, SchemaObject, hostileValue, objectFor, valueFor } from './fuzz-values';

/**
 * Property-based fuzzing of every operation in the OpenAPI document, as the caller the permission
 * table allows (so requests reach validation and the handlers): random and boundary values, wrong
 * types, huge and hostile strings. No request may answer 5xx, and a rejected request (4xx) must
 * leave the stored data exactly as it was.
 */
const TOTAL_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

interface Operation {
  method: string;
  path: string;
  params: { name: string; in: string; schema: SchemaObject }[];
  body: { kind: 'json' | 'multipart'; schema: SchemaObject } | null;
  permission: string | undefined;
}

describe('fuzzing every route of the OpenAPI document', () => {
  let t: TestApp;
  let operations: Operation[];
  let orgId: string;
  const tokens = {} as Record<OrgRole | 'superadmin', string>;
  const knownIds: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { LOGIN_RATE_PER_MINUTE: '10000', LOGIN_MAX_FAILURES: '100' } });
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const home = await createOrgWithMembers(t, admin, ORG_ROLES);
    orgId = home.orgId;
    Object.assign(tokens, home.tokens, { superadmin: admin });
    knownIds.push(orgId, ...Object.values(home.userIds));
    operations = readOperations();
  }, 120_000);
  afterAll(() => t.close());

  function readOperations(): Operation[] {
    const doc = buildOpenApi(t.app) as unknown as {
      paths: Record<
        string,
        Record<string, { parameters?: Operation['params']; requestBody?: { content: Record<string, { schema: SchemaObject }> } }>
      >;
    };
    const routes = listRoutes(t.app);
    const ops: Operation[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const express = path.replace(/\{(\w+)\}/g, ':$1');
        const route = routes.find((r) => r.method === method.toUpperCase() && r.path === express);
        const content = op.requestBody?.content ?? {};
        const body = content['application/json']
          ? { kind: 'json' as const, schema: content['application/json'].schema }
          : content['multipart/form-data']
            ? { kind: 'multipart' as const, schema: content['multipart/form-data'].schema }
            : null;
        ops.push({ method: method.toUpperCase(), path, params: op.parameters ?? [], body, permission: route?.permission });
      }
    }
    return ops;
  }

  const resolver = () => {
    const doc = buildOpenApi(t.app) as unknown as { components?: { schemas?: Record<string, SchemaObject> } };
    const schemas = doc.components?.schemas ?? {};
    const resolve = (s: SchemaObject): SchemaObject => {
      if (s.$ref) return resolve(schemas[s.$ref.split('/').pop() as string] ?? {});
      if (s.allOf) return s.allOf.map(resolve).reduce((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties } }), {});
      return s;
    };
    return resolve;
  };

  function callerFor(op: Operation): string | null {
    const rule = PERMISSIONS[op.permission as keyof typeof PERMISSIONS] as PermissionRule | undefined;
    if (!rule) return null;
    if (rule.scope === 'platform') return tokens.superadmin;
    if (rule.scope === 'self') return tokens.security_admin;
    const role = rule.roles[0];
    return role ? tokens[role] : tokens.superadmin;
  }

  async function fingerprint(): Promise<string> {
    const ds = t.app.get(DataSource);
    const pg = ds.options.type === 'postgres';
    const tables: { name: string }[] = pg
      ? await ds.query(
          `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
        )
      : await ds.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
    const parts = await Promise.all(
      tables
        .filter((x) => x.name !== 'sessions' && x.name !== 'api_tokens') // sign-ins are writes by design
        .map(async ({ name }) => {
          // Failed sign-ins are audited on the platform chain on purpose (a 401 that writes).
          const where = name === 'audit_events' ? ` WHERE chain <> 'platform'` : '';
          const [row] = await ds.query(`SELECT count(*) AS n FROM "${name}"${where}`);
          return `${name}:${row.n}`;
        }),
    );
    const heads: { chain: string; seq: number }[] = await ds.query('SELECT chain, seq FROM audit_chain_heads ORDER BY chain');
    return [...parts.sort(), ...heads.filter((h) => h.chain !== 'platform').map((h) => `${h.chain}@${h.seq}`)].join('|');
  }

  it(`answers ${TOTAL_REQUESTS} random and hostile requests without a 5xx and without changing data on a 4xx`, async () => {
    const resolve = resolver();
    const perOperation = Math.max(20, Math.ceil(TOTAL_REQUESTS / operations.length));
    const failures: string[] = [];
    const changedOnReject: string[] = [];
    const statusCounts: Record<string, number> = {};
    let sent = 0;
    let state = await fingerprint();
    const idValue = fc.oneof(
      { weight: 3, arbitrary: fc.constant(null).map(() => randomUUID()) },
      { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length < 200)) },
      { weight: 3, arbitrary: fc.nat().map((i) => knownIds[i % knownIds.length] as string) },
    );

    for (const [index, op] of operations.entries()) {
      const isLogout = op.path.endsWith('/auth/logout');
      const token = isLogout ? 'cus_' + 'x'.repeat(43) : callerFor(op);
      const pathArb = fc.record(
        Object.fromEntries(
          op.params
            .filter((p) => p.in === 'path')
            .map((p) => [
              p.name,
              p.name === 'orgId' ? fc.oneof({ weight: 9, arbitrary: fc.constant(orgId) }, { weight: 1, arbitrary: idValue }) : idValue,
            ]),
        ),
      );
      const queryArb = fc.record(
        Object.fromEntries(op.params.filter((p) => p.in === 'query').map((p) => [p.name, valueFor(p.schema ?? {}, resolve)])),
        { requiredKeys: [] },
      );
      const bodyArb = op.body
        ? op.body.kind === 'json'
          ? fc.oneof({ weight: 6, arbitrary: objectFor(op.body.schema, resolve) }, { weight: 1, arbitrary: hostileValue })
          : objectFor(op.body.schema, resolve)
        : fc.constant(undefined);
      const fileArb = fc.oneof(
        fc.uint8Array({ maxLength: 4096 }),
        fc.constantFrom(
          new Uint8Array([0x30, 0x82, 0xff, 0xff]),
          new Uint8Array([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]),
          Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
        ),
      );
      const samples = fc.sample(fc.tuple(pathArb, queryArb, bodyArb, fileArb), { numRuns: perOperation, seed: SEED + index });

      for (const [pathValues, query, body, file] of samples) {
        let url = op.path;
        for (const [name, value] of Object.entries(pathValues)) url = url.replace(`{${name}}`, encodeURIComponent(String(value)));
        const req = t.http()[op.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete'](url).timeout(30_000);
        if (token) req.auth(token, { type: 'bearer' });
        req.query(Object.fromEntries(Object.entries(query).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)])));
        if (op.body?.kind === 'json' && body !== undefined) req.set('content-type', 'application/json').send(JSON.stringify(body));
        if (op.body?.kind === 'multipart') {
          req.attach('file', Buffer.from(file), 'upload.bin');
          for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>))
            if (k !== 'file') req.field(k, typeof v === 'string' ? v : JSON.stringify(v ?? ''));
        }
        const res = await req;
        sent += 1;
        statusCounts[res.status] = (statusCounts[res.status] ?? 0) + 1;
        const label = `${op.method} ${op.path} ${JSON.stringify({ pathValues, query, body }).slice(0, 300)}`;
        if (res.status >= 500) failures.push(`${res.status} ${label} -> ${JSON.stringify(res.body).slice(0, 200)}`);
        if (res.status < 300 && typeof res.body?.id === 'string') knownIds.push(res.body.id);
        const now = await fingerprint();
        if (res.status >= 400 && now !== state) changedOnReject.push(`${res.status} ${label}`);
        state = now;
      }
    }
    process.stdout.write(`fuzz: ${sent} requests over ${operations.length} operations; statuses ${JSON.stringify(statusCounts)}\n`);
    expect(sent).toBeGreaterThanOrEqual(TOTAL_REQUESTS);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(changedOnReject.slice(0, 20)).toEqual([]);
  }, 900_000);
});
