// The registry the API reference is generated from. armRoute() records every route it
// registers here, as it registers it (the same spec object that serves requests, so the
// reference cannot drift from the routes); the few plain Fastify routes are described in
// plain-routes.ts. trackRoutes() also sees every route Fastify registers, so a test can check
// that nothing is served that the reference neither describes nor excludes on purpose.
import type { FastifyInstance } from 'fastify';
import type { ArmRouteSpec } from '../arm-route.ts';

export interface RecordedRoute {
  method: string;
  path: string;
  spec: ArmRouteSpec<any>;
}

// Keyed by the Services object of one server: a process (a test run) may build several apps.
const armRoutes = new WeakMap<object, RecordedRoute[]>();
const allRoutes = new WeakMap<object, { method: string; path: string }[]>();

/** Called by armRoute() for each route it registers. */
export function recordRoute(services: object, spec: ArmRouteSpec<any>): void {
  let list = armRoutes.get(services);
  if (list === undefined) armRoutes.set(services, (list = []));
  if (list.some((r) => r.method === spec.method && r.path === spec.path)) return;
  list.push({ method: spec.method, path: spec.path, spec });
}

/** The armRoute() routes of the server built with these services, in registration order. */
export function armRoutesOf(services: object): readonly RecordedRoute[] {
  return armRoutes.get(services) ?? [];
}

/** Records every route Fastify registers from here on (child scopes included); HEAD twins of GETs are left out. */
export function trackRoutes(app: FastifyInstance, services: object): void {
  const list: { method: string; path: string }[] = [];
  allRoutes.set(services, list);
  app.addHook('onRoute', (route) => {
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      if (method === 'HEAD') continue;
      list.push({ method, path: route.url ?? route.path });
    }
  });
}

/** Every route the server registered (method, path as Fastify has it). */
export function registeredRoutesOf(services: object): readonly { method: string; path: string }[] {
  return allRoutes.get(services) ?? [];
}
