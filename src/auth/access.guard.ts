import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { actorOf } from './principal';
import { DomainError } from '../common/errors/domain-error';
import { AuthenticatedRequest, PERMISSION_KEY, PUBLIC_KEY } from './access.decorators';
import { AuthService } from './auth.service';
import { Action, PERMISSIONS, PermissionRule, orgRoleAllows } from './permissions';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The global guard: every route is denied unless it is @Public or names an action of the
 * permission table, and the caller holds it. A Comune the caller does not belong to answers 404,
 * never 403, so ids of other tenants reveal nothing.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();

    const action = this.reflector.getAllAndOverride<Action | undefined>(PERMISSION_KEY, targets);
    const rule: PermissionRule | undefined = action && action in PERMISSIONS ? PERMISSIONS[action] : undefined;
    const orgId = req.params.orgId;
    // The principal and its roles in the route's Comune come from one query (one unit of work).
    const asked = rule?.scope === 'org' && typeof orgId === 'string' && UUID.test(orgId) ? orgId.toLowerCase() : null;
    const token = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(req.headers.authorization ?? '')?.[1];
    const found = token ? await this.auth.authorize(token, asked) : null;
    if (!found) throw new DomainError('UNAUTHENTICATED', 'Sign in first: send "Authorization: Bearer <token>"');
    const { principal, roles } = found;
    req.principal = principal;

    if (!action || !rule) {
      throw new DomainError('ROUTE_WITHOUT_PERMISSION', 'This route has no entry in the permission table');
    }
    if (rule.scope === 'self') {
      if (principal.kind !== 'user') throw new DomainError('FORBIDDEN', 'Only a signed-in person can do this');
      return true;
    }
    if (principal.kind === 'user' && principal.mustChangePassword) {
      throw new DomainError('PASSWORD_CHANGE_REQUIRED', 'Change your password first (POST /api/v1/auth/password)');
    }
    if (rule.scope === 'platform') {
      if (principal.kind !== 'user' || !principal.isSuperadmin)
        throw new DomainError('FORBIDDEN', 'Only the platform administrator can do this');
      return true;
    }
    if (typeof orgId !== 'string') throw new Error(`Action ${action} is org-scoped but the route has no :orgId`);
    if (asked === null || roles.length === 0) throw new DomainError('ORGANIZATION_NOT_FOUND', 'Organization not found');
    const role = roles.find((r) => orgRoleAllows(action, r));
    if (!role) throw new DomainError('FORBIDDEN', `Your role (${roles.join(', ')}) does not allow ${action}`);
    req.access = {
      organizationId: asked,
      role,
      actor: actorOf(principal),
      userId: principal.kind === 'user' ? principal.userId : null,
    };
    return true;
  }
}
