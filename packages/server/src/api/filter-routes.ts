// The Directory + subscription filter: each user's chosen directories and subscriptions, the
// set the portal and every cross-workspace feature work on. By default all the user can reach.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { armRoute } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { availableScopes, currentSelection } from '../access/selection.ts';
import type { Caller } from '../access/caller.ts';
import { ApiError } from '../errors.ts';

const FilterBody = z.object({
  directories: z.array(z.string()),
  subscriptions: z.array(z.string()),
}).strict();

export function registerFilterRoutes(app: FastifyInstance, services: Services): void {
  const path = '/providers/Vigil.Portal/directoryFilter';

  const ctx = { db: services.db, now: services.now };
  const available = (caller: Caller) => availableScopes(ctx, caller);

  armRoute(app, services, {
    method: 'GET',
    path,
    apiVersions: API_VERSIONS.vigil,
    access: 'per-item',
    handler: async (req) => {
      const all = await available(req.caller);
      const { directories, subscriptions, saved } = await currentSelection(ctx, req.caller, all);
      return { status: 200, body: { directories, subscriptions, available: all, saved } };
    },
  });

  armRoute(app, services, {
    method: 'PUT',
    path,
    apiVersions: API_VERSIONS.vigil,
    body: FilterBody,
    access: 'per-item',
    handler: async (req) => {
      const all = await available(req.caller);
      const directories = req.body.directories.map((d) => d.toLowerCase());
      const subscriptions = req.body.subscriptions.map((s) => s.toLowerCase());
      for (const [i, d] of directories.entries()) {
        if (!all.directories.some((x) => x.id === d)) {
          throw new ApiError('InvalidParameter', `directories[${i}] '${d}' is not a directory you can reach. GET ${path} lists the available ones.`, { target: `directories[${i}]` });
        }
      }
      for (const [i, s] of subscriptions.entries()) {
        const sub = all.subscriptions.find((x) => x.id === s);
        if (sub === undefined) {
          throw new ApiError('InvalidParameter', `subscriptions[${i}] '${s}' is not a subscription you can reach. GET ${path} lists the available ones.`, { target: `subscriptions[${i}]` });
        }
        if (!directories.includes(sub.directoryId)) {
          throw new ApiError('InvalidParameter', `subscriptions[${i}] '${s}' belongs to directory '${sub.directoryId}', which is not selected. Select the directory too, or drop the subscription.`, { target: `subscriptions[${i}]` });
        }
      }
      const now = services.now().toISOString();
      await services.db.insertInto('directory_filters')
        .values({ principal_id: req.caller.principalId, directory_id: req.caller.directoryId, directory_ids: JSON.stringify(directories), subscription_ids: JSON.stringify(subscriptions), updated_at: now })
        .onConflict((oc) => oc.columns(['principal_id', 'directory_id']).doUpdateSet({ directory_ids: JSON.stringify(directories), subscription_ids: JSON.stringify(subscriptions), updated_at: now }))
        .execute();
      return { status: 200, body: { directories, subscriptions, available: all, saved: true } };
    },
  });
}
