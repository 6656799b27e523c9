import { randomUUID } from 'node:crypto';
import { PERMISSIONS, PermissionRule } from '../../src/auth/permissions';
import { ORG_ROLES } from '../../src/auth/roles';
import { listRoutes, RouteInfo } from '../support/routes';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, createOrgWithMembers, createTestApp, login } from '../support/test-app';

/**
 * The permission matrix, generated from the permission table: every route, called by every role,
 * by the platform superadmin and by a member of another Comune. A route with no table entry fails.
 */
const GUARD_CODES = ['UNAUTHENTICATED', 'FORBIDDEN', 'ORGANIZATION_NOT_FOUND', 'ROUTE_WITHOUT_PERMISSION', 'PASSWORD_CHANGE_REQUIRED'];
/** Routes meant to be reachable without signing in. Adding one is a decision: list it here. */
const EXPECTED_PUBLIC = ['POST /api/v1/auth/login', 'GET /health/live', 'GET /health/ready', 'GET /metrics'];

type Caller = (typeof ORG_ROLES)[number] | 'superadmin' | 'foreign';

function expectation(rule: PermissionRule, caller: Caller): 'allow' | 'forbid' | 'not_found' {
  if (rule.scope === 'self') return 'allow';
  if (rule.scope === 'platform') return caller === 'superadmin' ? 'allow' : 'forbid';
  if (caller === 'foreign') return 'not_found';
  if (caller === 'superadmin') return rule.superadmin ? 'allow' : 'forbid';
  return (rule.roles as readonly string[]).includes(caller) ? 'allow' : 'forbid';
}

describe('Access matrix from the permission table', () => {
  let t: TestApp;
  let routes: RouteInfo[];
  const tokens = {} as Record<Caller, string>;
  let orgId: string;

  beforeAll(async () => {
    t = await createTestApp();
    routes = listRoutes(t.app);
    const admin = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const home = await createOrgWithMembers(t, admin, ORG_ROLES);
    const other = await createOrgWithMembers(t, admin, ['security_admin']);
    orgId = home.orgId;
    Object.assign(tokens, home.tokens, { superadmin: admin, foreign: other.tokens.security_admin });
  });
  afterAll(() => t.close());

  it('finds the routes, and every non-public route has an entry in the table', () => {
    expect(routes.length).toBeGreaterThan(10);
    const missing = routes.filter((r) => !r.isPublic && (!r.permission || !(r.permission in PERMISSIONS)));
    expect(missing.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    const publicRoutes = routes.filter((r) => r.isPublic).map((r) => `${r.method} ${r.path}`);
    expect(publicRoutes.filter((r) => !r.startsWith('GET /api/v1/calendar/')).sort()).toEqual([...EXPECTED_PUBLIC].sort());
  });

  it('denies every protected route without a token', async () => {
    for (const route of routes.filter((r) => !r.isPublic)) {
      const res = await call(route, undefined);
      expect({ route: `${route.method} ${route.path}`, status: res.status }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
      });
    }
  });

  it.each(['superadmin', 'foreign', ...ORG_ROLES] as Caller[])('gives %s exactly what the table says', async (caller) => {
    const outcomes: string[] = [];
    // Sign-out last: it ends the session the other calls use.
    const ordered = routes
      .filter((r) => !r.isPublic)
      .sort((a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')));
    for (const route of ordered) {
      const expected = expectation(PERMISSIONS[route.permission as keyof typeof PERMISSIONS], caller);
      const res = await call(route, tokens[caller]);
      const code = res.body?.code as string | undefined;
      const actual =
        res.status === 404 && code === 'ORGANIZATION_NOT_FOUND'
          ? 'not_found'
          : res.status === 403 && code === 'FORBIDDEN'
            ? 'forbid'
            : code !== undefined && GUARD_CODES.includes(code)
              ? `guard:${code}`
              : 'allow';
      if (res.status >= 500) outcomes.push(`${route.method} ${route.path}: ${res.status}`);
      if (actual !== expected) outcomes.push(`${route.method} ${route.path}: expected ${expected}, got ${actual} (${res.status})`);
    }
    expect(outcomes).toEqual([]);
  });

  function call(route: RouteInfo, token: string | undefined) {
    const path = route.path.replace(':orgId', orgId).replace(/:[A-Za-z]+/g, () => randomUUID());
    const req = t.http()[route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete'](path);
    if (token) req.auth(token, { type: 'bearer' });
    return ['POST', 'PATCH', 'PUT'].includes(route.method) ? req.send({}) : req;
  }
});
