// Saved searches of a workspace on ARM's paths:
// PUT/GET/DELETE .../workspaces/{ws}/savedSearches/{id} and GET .../savedSearches.
// Those with a functionAlias are the workspace's KQL functions: a change drops the compiler's
// cached schema of the workspace.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { requireWorkspace } from './workspace-routes.ts';
import { displayId, workspaceId } from '../control/workspaces.ts';
import { deleteSavedSearch, getSavedSearch, listSavedSearches, presentSavedSearch, putSavedSearch, savedSearchId } from '../control/saved-searches.ts';
import { ApiError } from '../errors.ts';

const SavedSearchBody = z.object({
  etag: z.string().optional(),
  properties: z.object({
    category: z.string().min(1, 'category is required, for example "Security"'),
    displayName: z.string().min(1, 'displayName is required'),
    query: z.string().min(1, 'query is required: the KQL of the saved search (the body of the function when functionAlias is set)'),
    functionAlias: z.string().optional(),
    functionParameters: z.string().optional(),
    version: z.number().optional(),
    tags: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  }).passthrough(),
}).passthrough();

const ACTION = 'Microsoft.OperationalInsights/workspaces/savedSearches';

export function registerSavedSearchRoutes(app: FastifyInstance, services: Services): void {
  const WS = '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.OperationalInsights/workspaces/:workspaceName';
  const wsIdOf = (req: ArmRequest) => workspaceId(req.params.subscriptionId!, req.params.resourceGroupName!, req.params.workspaceName!);
  const idOf = (req: ArmRequest) => savedSearchId(wsIdOf(req), req.params.savedSearchId!);

  armRoute(app, services, {
    method: 'PUT',
    path: `${WS}/savedSearches/:savedSearchId`,
    apiVersions: API_VERSIONS.operationalInsights,
    body: SavedSearchBody,
    access: (req) => ({ action: `${ACTION}/write`, scope: idOf(req) }),
    etag: async (req) => (await getSavedSearch(services.db, idOf(req)))?.etag,
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      // The body's etag works as If-Match does ('*' or the current etag), as Log Analytics documents.
      const current = await getSavedSearch(services.db, idOf(req));
      const wanted = req.body.etag?.replace(/^W\//, '').replace(/^"|"$/g, '');
      if (wanted !== undefined && wanted !== '*' && current !== undefined && wanted !== current.etag) {
        throw new ApiError('PreconditionFailed', `The saved search was changed since you read it: its etag is "${current.etag}", not "${wanted}". GET it again, reapply your change and retry.`, { target: 'etag' });
      }
      const p = req.body.properties;
      const { row } = await putSavedSearch(services.db, w, req.params.savedSearchId!, {
        category: p.category, displayName: p.displayName, query: p.query,
        functionAlias: p.functionAlias, functionParameters: p.functionParameters, version: p.version, tags: p.tags,
      }, req.caller.name, services.now());
      services.schemas.invalidate(w.customer_id);
      // 200 whether created or replaced: Log Analytics answers so, and the SDK accepts nothing else.
      return { status: 200, body: presentSavedSearch(await displayId(services.db, w), row) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: `${WS}/savedSearches/:savedSearchId`,
    apiVersions: API_VERSIONS.operationalInsights,
    access: (req) => ({ action: `${ACTION}/read`, scope: idOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const row = await getSavedSearch(services.db, idOf(req));
      if (row === undefined) throw new ApiError('ResourceNotFound', `Saved search '${req.params.savedSearchId}' does not exist in workspace '${w.name}'.`, { target: req.params.savedSearchId! });
      return { status: 200, body: presentSavedSearch(await displayId(services.db, w), row) };
    },
  });

  armRoute(app, services, {
    method: 'DELETE',
    path: `${WS}/savedSearches/:savedSearchId`,
    apiVersions: API_VERSIONS.operationalInsights,
    access: (req) => ({ action: `${ACTION}/delete`, scope: idOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const deleted = await deleteSavedSearch(services.db, idOf(req));
      if (deleted) services.schemas.invalidate(w.customer_id);
      // 200 even when there was nothing to delete, as Log Analytics answers (the SDK expects 200).
      return { status: 200 };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: `${WS}/savedSearches`,
    apiVersions: API_VERSIONS.operationalInsights,
    access: (req) => ({ action: `${ACTION}/read`, scope: wsIdOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const shown = await displayId(services.db, w);
      // One page, as Log Analytics answers this list (the SDK follows no nextLink on it).
      return { status: 200, body: { value: (await listSavedSearches(services.db, w)).map((r) => presentSavedSearch(shown, r)) } };
    },
  });
}
