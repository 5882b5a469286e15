// Watchlists on ARM's paths (Microsoft.SecurityInsights/watchlists), as @azure/arm-securityinsight
// calls them: PUT/GET/DELETE .../watchlists/{alias} and the list; PUT/GET/DELETE
// .../watchlists/{alias}/watchlistItems/{itemId} and the list. A change is committed with its
// Watchlist table rows waiting in the outbox, then those rows are appended before the answer, so
// a query sent after it sees the change through _GetWatchlist('alias').
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { page } from './paging.ts';
import { requireSentinelWorkspace, requireWorkspace } from './workspace-routes.ts';
import { displayId, workspaceId, type Workspace } from '../control/workspaces.ts';
import { ApiError } from '../errors.ts';
import {
  deleteWatchlist, deleteWatchlistItem, getWatchlist, getWatchlistItem, listWatchlistItems, listWatchlists, presentWatchlist,
  presentWatchlistItem, putWatchlist, putWatchlistItem, userInfo, watchlistItemRowId, watchlistRowId, watchlistTenant, type WatchlistRow,
} from '../watchlists/watchlists.ts';
import { appendWatchlistRows } from '../watchlists/watchlist-log.ts';

const WS = '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.OperationalInsights/workspaces/:workspaceName';
const WATCHLISTS = `${WS}/providers/Microsoft.SecurityInsights/watchlists`;
const ITEMS = `${WATCHLISTS}/:watchlistAlias/watchlistItems`;

const WatchlistBody = z.object({
  etag: z.string().optional(),
  properties: z.object({
    displayName: z.string({ message: 'displayName is required: the name the portal shows' }).min(1, 'displayName is required: the name the portal shows'),
    provider: z.string({ message: 'provider is required: who supplies the list, for example "Microsoft" or your team' }).min(1, 'provider is required'),
    itemsSearchKey: z.string({ message: 'itemsSearchKey is required: the column that keys items (it becomes SearchKey in _GetWatchlist)' }).min(1, 'itemsSearchKey is required'),
    source: z.string().optional(),
    sourceType: z.string().optional(),
    description: z.string().optional(),
    labels: z.array(z.string()).optional(),
    defaultDuration: z.string().optional(),
    rawContent: z.string().optional(),
    contentType: z.string().optional(),
    numberOfLinesToSkip: z.number().int('numberOfLinesToSkip must be a whole number').min(0, 'numberOfLinesToSkip must be 0 or more').optional(),
  }, { message: 'properties is required: displayName, provider, itemsSearchKey, and rawContent with contentType to upload items' }).passthrough(),
}).passthrough();

const ItemBody = z.object({
  etag: z.string().optional(),
  properties: z.object({
    itemsKeyValue: z.record(z.string(), z.unknown(), { message: 'itemsKeyValue is required: the item\'s fields, column -> value' }),
    entityMapping: z.record(z.string(), z.unknown()).optional(),
  }, { message: 'properties is required, with itemsKeyValue' }).passthrough(),
}).passthrough();

const ACTION = 'Microsoft.SecurityInsights/watchlists';
const ITEM_ACTION = 'Microsoft.SecurityInsights/watchlists/watchlistItems';

/** The etag a body carries works as If-Match does, as Sentinel documents for its resources. */
function checkBodyEtag(wanted: string | undefined, current: string | undefined, what: string): void {
  const etag = wanted?.replace(/^W\//, '').replace(/^"|"$/g, '');
  if (etag !== undefined && etag !== '*' && current !== undefined && etag !== current) {
    throw new ApiError('PreconditionFailed', `The ${what} was changed since you read it: its etag is "${current}", not "${etag}". GET it again, reapply your change and retry.`, { target: 'etag' });
  }
}

export function registerWatchlistRoutes(app: FastifyInstance, services: Services): void {
  const wsIdOf = (req: ArmRequest) => workspaceId(req.params.subscriptionId!, req.params.resourceGroupName!, req.params.workspaceName!);
  const idOf = (req: ArmRequest) => watchlistRowId(wsIdOf(req), req.params.watchlistAlias!);
  const itemIdOf = (req: ArmRequest) => watchlistItemRowId(idOf(req), req.params.watchlistItemId!);
  const requireSentinel = (req: ArmRequest): Promise<Workspace> => requireSentinelWorkspace(services, req, wsIdOf(req));
  const requireWatchlist = async (req: ArmRequest, w: Workspace): Promise<WatchlistRow> => {
    const found = await getWatchlist(services.db, idOf(req));
    if (found === undefined) {
      throw new ApiError('ResourceNotFound', `Watchlist '${req.params.watchlistAlias}' does not exist in workspace '${w.name}'. List them with GET .../providers/Microsoft.SecurityInsights/watchlists.`, { target: req.params.watchlistAlias! });
    }
    return found;
  };
  /** The change's Watchlist rows into the log store before answering (a failure is retried by the job). */
  const appendRows = async (w: Workspace): Promise<void> => {
    try {
      await appendWatchlistRows(services, w.customer_id);
    } catch (error) {
      services.log.error({ err: error, workspace: w.customer_id }, 'Watchlist rows not appended yet; the watchlists job retries them');
      throw new ApiError('ServiceUnavailable', 'The watchlist change is saved, but its rows are not in the Watchlist table yet (the log store did not take them): _GetWatchlist shows it once they are appended, which Vigil retries by itself within a minute.', { headers: { 'retry-after': '30' }, cause: error });
    }
  };

  armRoute(app, services, {
    method: 'PUT',
    path: `${WATCHLISTS}/:watchlistAlias`,
    apiVersions: API_VERSIONS.securityInsights,
    body: WatchlistBody,
    access: (req) => ({ action: `${ACTION}/write`, scope: idOf(req) }),
    etag: async (req) => (await getWatchlist(services.db, idOf(req)))?.etag,
    handler: async (req) => {
      const w = await requireSentinel(req);
      checkBodyEtag(req.body.etag, (await getWatchlist(services.db, idOf(req)))?.etag, 'watchlist');
      const p = req.body.properties;
      if (p.sourceType !== undefined && p.sourceType.toLowerCase() === 'remote storage') {
        throw new ApiError('InvalidParameter', 'properties.sourceType \'Remote storage\' (content read from a storage SAS URI) is not supported: Vigil reads no outside storage. Send the file\'s text as rawContent with sourceType \'Local file\'; it may be as large as the server\'s request limit (maxBodyBytes).', { target: 'properties.sourceType' });
      }
      const { row, created } = await putWatchlist(services.db, w, req.params.watchlistAlias!, p, userInfo(req.caller), services.now());
      await appendRows(w);
      return { status: created ? 201 : 200, body: presentWatchlist(await displayId(services.db, w), await watchlistTenant(services.db, w), row) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: `${WATCHLISTS}/:watchlistAlias`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/read`, scope: idOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const row = await requireWatchlist(req, w);
      return { status: 200, body: presentWatchlist(await displayId(services.db, w), await watchlistTenant(services.db, w), row) };
    },
  });

  armRoute(app, services, {
    method: 'DELETE',
    path: `${WATCHLISTS}/:watchlistAlias`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/delete`, scope: idOf(req) }),
    etag: async (req) => (await getWatchlist(services.db, idOf(req)))?.etag,
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const deleted = await deleteWatchlist(services.db, w, idOf(req), userInfo(req.caller), services.now());
      if (deleted) await appendRows(w);
      return { status: deleted ? 200 : 204 };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: WATCHLISTS,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/read`, scope: wsIdOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const [shown, tenant] = [await displayId(services.db, w), await watchlistTenant(services.db, w)];
      const bodies = (await listWatchlists(services.db, w.customer_id)).map((r) => presentWatchlist(shown, tenant, r));
      return { status: 200, body: page(req.raw, services.publicUrl, bodies, services.pageSize) };
    },
  });

  armRoute(app, services, {
    method: 'PUT',
    path: `${ITEMS}/:watchlistItemId`,
    apiVersions: API_VERSIONS.securityInsights,
    body: ItemBody,
    access: (req) => ({ action: `${ITEM_ACTION}/write`, scope: itemIdOf(req) }),
    etag: async (req) => (await getWatchlistItem(services.db, itemIdOf(req)))?.etag,
    handler: async (req) => {
      const w = await requireSentinel(req);
      const watchlist = await requireWatchlist(req, w);
      checkBodyEtag(req.body.etag, (await getWatchlistItem(services.db, itemIdOf(req)))?.etag, 'watchlist item');
      const p = req.body.properties;
      const { row, created } = await putWatchlistItem(services.db, w, watchlist, req.params.watchlistItemId!, { itemsKeyValue: p.itemsKeyValue, entityMapping: p.entityMapping }, userInfo(req.caller), services.now());
      await appendRows(w);
      return { status: created ? 201 : 200, body: presentWatchlistItem(await displayId(services.db, w), await watchlistTenant(services.db, w), watchlist, row) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: `${ITEMS}/:watchlistItemId`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ITEM_ACTION}/read`, scope: itemIdOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const watchlist = await requireWatchlist(req, w);
      const item = await getWatchlistItem(services.db, itemIdOf(req));
      if (item === undefined) {
        throw new ApiError('ResourceNotFound', `Watchlist '${watchlist.alias}' has no item '${req.params.watchlistItemId}'. List its items with GET .../watchlists/${watchlist.alias}/watchlistItems.`, { target: req.params.watchlistItemId! });
      }
      return { status: 200, body: presentWatchlistItem(await displayId(services.db, w), await watchlistTenant(services.db, w), watchlist, item) };
    },
  });

  armRoute(app, services, {
    method: 'DELETE',
    path: `${ITEMS}/:watchlistItemId`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ITEM_ACTION}/delete`, scope: itemIdOf(req) }),
    etag: async (req) => (await getWatchlistItem(services.db, itemIdOf(req)))?.etag,
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const watchlist = await requireWatchlist(req, w);
      const deleted = await deleteWatchlistItem(services.db, w, watchlist, itemIdOf(req), userInfo(req.caller), services.now());
      if (deleted) await appendRows(w);
      return { status: deleted ? 200 : 204 };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: ITEMS,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ITEM_ACTION}/read`, scope: idOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const watchlist = await requireWatchlist(req, w);
      const [shown, tenant] = [await displayId(services.db, w), await watchlistTenant(services.db, w)];
      const bodies = (await listWatchlistItems(services.db, watchlist.id)).map((i) => presentWatchlistItem(shown, tenant, watchlist, i));
      return { status: 200, body: page(req.raw, services.publicUrl, bodies, services.pageSize) };
    },
  });
}
