import type { Actor } from '../audit/actor';
import type { OrgRole } from './roles';

export interface UserPrincipal {
  kind: 'user';
  userId: string;
  email: string;
  displayName: string;
  isSuperadmin: boolean;
  mustChangePassword: boolean;
  sessionId: string;
}

export interface ApiTokenPrincipal {
  kind: 'api_token';
  tokenId: string;
  name: string;
  organizationId: string;
  role: OrgRole;
}

export type Principal = UserPrincipal | ApiTokenPrincipal;

/** What the guard established for an org-scoped route: the Comune and the caller's role in it. */
export interface OrgAccess {
  organizationId: string;
  role: OrgRole | 'superadmin';
  actor: Actor;
  /** The caller's user id (null for API tokens): "own devices" and "own reports" key on it. */
  userId: string | null;
}

export function actorOf(principal: Principal): Actor {
  return principal.kind === 'user'
    ? { type: 'user', id: principal.userId, label: principal.email }
    : { type: 'api_token', id: principal.tokenId, label: `token:${principal.name}` };
}
