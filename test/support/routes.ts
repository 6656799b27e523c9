import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { PERMISSION_KEY, PUBLIC_KEY } from '../../src/auth/access.decorators';
import { API_PREFIX } from '../../src/bootstrap';

export interface RouteInfo {
  method: string;
  /** Express-style path with the global prefix, e.g. /api/v1/orgs/:orgId/audit */
  path: string;
  permission: string | undefined;
  isPublic: boolean;
}

const UNPREFIXED = [/^\/health\//, /^\/metrics$/];

/** Every HTTP route the application serves, read from the controllers' metadata. */
export function listRoutes(app: INestApplication): RouteInfo[] {
  const discovery = app.get(DiscoveryService, { strict: false });
  const scanner = new MetadataScanner();
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const base = [Reflect.getMetadata(PATH_METADATA, metatype) as string | string[]].flat()[0] ?? '';
    const proto = Object.getPrototypeOf(instance) as object;
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = (proto as Record<string, unknown>)[name] as object;
      const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (sub === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const joined = `/${[base, [sub].flat()[0]].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/');
      const path = UNPREFIXED.some((r) => r.test(joined)) ? joined : `/${API_PREFIX}${joined === '/' ? '' : joined}`;
      routes.push({
        method: method ?? 'GET',
        path,
        permission: (Reflect.getMetadata(PERMISSION_KEY, handler) ?? Reflect.getMetadata(PERMISSION_KEY, metatype)) as string | undefined,
        isPublic: Boolean(Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, metatype)),
      });
    }
  }
  return routes;
}
