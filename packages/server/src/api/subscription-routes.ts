// GET /subscriptions, /subscriptions/{id} and /tenants, delegated ones included and marked
// the way ARM marks them (managedByTenants, homeTenantId, tenantCategory).
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';
import { armRoute } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { page } from './paging.ts';
import { reachableSubscriptions, type ReachableSubscription } from '../access/reach.ts';
import { subscriptionScope } from '../arm/resource-id.ts';
import { ApiError } from '../errors.ts';
import type { Db } from '../db/database.ts';
import type { Caller } from '../access/caller.ts';

export function registerSubscriptionRoutes(app: FastifyInstance, services: Services): void {
  armRoute(app, services, {
    method: 'GET',
    path: '/subscriptions',
    apiVersions: API_VERSIONS.subscriptions,
    access: 'per-item',
    handler: async (req) => {
      const subs = await reachableSubscriptions({ db: services.db, now: services.now }, req.caller);
      const bodies = await Promise.all(subs.map((s) => presentSubscription(services.db, req.caller, s)));
      return { status: 200, body: page(req.raw, services.publicUrl, bodies, services.pageSize) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: '/subscriptions/:subscriptionId',
    apiVersions: API_VERSIONS.subscriptions,
    access: 'per-item',
    handler: async (req) => {
      const id = req.params.subscriptionId!.toLowerCase();
      const sub = (await reachableSubscriptions({ db: services.db, now: services.now }, req.caller)).find((s) => s.subscriptionId === id);
      if (sub === undefined) {
        throw new ApiError('SubscriptionNotFound', `The subscription '${req.params.subscriptionId}' could not be found, or you have no access to it. GET /subscriptions lists the ones you can reach.`);
      }
      return { status: 200, body: await presentSubscription(services.db, req.caller, sub) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: '/tenants',
    apiVersions: API_VERSIONS.subscriptions,
    access: 'per-item',
    handler: async (req) => {
      const subs = await reachableSubscriptions({ db: services.db, now: services.now }, req.caller);
      const ids = [req.caller.directoryId, ...subs.map((s) => s.directoryId)];
      const unique = [...new Set(ids)];
      const rows = await services.db.selectFrom('directories').selectAll().where('id', 'in', unique).execute();
      const bodies = unique.flatMap((id) => {
        const d = rows.find((r) => r.id === id);
        if (d === undefined) return [];
        return [{
          id: `/tenants/${d.id}`,
          tenantId: d.id,
          tenantCategory: d.id === req.caller.directoryId ? 'Home' : 'ProjectedBy',
          displayName: d.display_name,
          defaultDomain: d.default_domain,
          domains: [d.default_domain],
          tenantType: 'AAD',
        }];
      });
      return { status: 200, body: page(req.raw, services.publicUrl, bodies, services.pageSize) };
    },
  });
}

async function presentSubscription(db: Db, caller: Caller, s: ReachableSubscription) {
  const managers = await db.selectFrom('registration_assignments')
    .innerJoin('registration_definitions', 'registration_definitions.id', 'registration_assignments.registration_definition_id')
    .select('registration_definitions.managed_by_tenant_id as tenantId')
    .where('registration_assignments.subscription_id', '=', s.subscriptionId)
    .distinct()
    .execute();
  return {
    id: subscriptionScope(s.subscriptionId),
    authorizationSource: 'RoleBased',
    managedByTenants: managers.map((m) => ({ tenantId: m.tenantId })),
    subscriptionId: s.subscriptionId,
    // As ARM does for Lighthouse: tenantId is the directory you signed in to, homeTenantId the owner's.
    tenantId: s.delegated ? caller.directoryId : s.directoryId,
    homeTenantId: s.directoryId,
    displayName: s.displayName,
    state: s.state,
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
  };
}
