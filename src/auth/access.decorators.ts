import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import type { Action } from './permissions';
import type { OrgAccess, Principal, UserPrincipal } from './principal';

export const PERMISSION_KEY = 'custode:permission';
export const PUBLIC_KEY = 'custode:public';

/** The action a route performs; the guard looks it up in the permission table. */
export const Permission = (action: Action) => SetMetadata(PERMISSION_KEY, action);
/** A route anyone may call (sign-in, health, the calendar feed with its own token). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
  access?: OrgAccess;
}

/** The Comune and role the guard established for an org-scoped route. */
export const Access = createParamDecorator((_: unknown, ctx: ExecutionContext): OrgAccess => {
  const access = ctx.switchToHttp().getRequest<AuthenticatedRequest>().access;
  if (!access) throw new Error('Access used on a route that is not org-scoped');
  return access;
});

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): UserPrincipal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal || principal.kind !== 'user') throw new Error('CurrentUser used where the guard did not require a user');
  return principal;
});
