// Log Analytics workspaces on ARM's paths.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { completedOperation } from './lro.ts';
import { authorize } from '../access/authorize.ts';
import { getResourceGroup } from '../control/resource-groups.ts';
import { createOrUpdateWorkspace, getWorkspace, newSharedKey, presentWorkspace, workspaceId, type Workspace, type WorkspaceInput } from '../control/workspaces.ts';
import { OPERATIONAL_INSIGHTS, requireRegistered } from '../control/providers.ts';
import { ApiError } from '../errors.ts';

const WorkspaceBody = z.object({
  location: z.string().min(1, 'location is required, for example "westeurope"'),
  tags: z.record(z.string(), z.string()).optional(),
  properties: z.object({
    sku: z.object({ name: z.string().min(1) }).optional(),
    retentionInDays: z.number().int().optional(),
  }).passthrough().optional(),
}).passthrough();

const READ = 'Microsoft.OperationalInsights/workspaces/read';

export function registerWorkspaceRoutes(app: FastifyInstance, services: Services): void {
  const idOf = (req: ArmRequest) => workspaceId(req.params.subscriptionId!, req.params.resourceGroupName!, req.params.workspaceName!);
  const path = '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.OperationalInsights/workspaces/:workspaceName';

  armRoute(app, services, {
    method: 'PUT',
    path,
    apiVersions: API_VERSIONS.operationalInsights,
    body: WorkspaceBody,
    access: (req) => ({ action: 'Microsoft.OperationalInsights/workspaces/write', scope: idOf(req) }),
    etag: async (req) => (await getWorkspace(services.db, idOf(req)))?.etag,
    handler: async (req) => {
      await requireRegistered(services.db, req.params.subscriptionId!, OPERATIONAL_INSIGHTS);
      const rg = await getResourceGroup(services.db, req.params.subscriptionId!, req.params.resourceGroupName!);
      if (rg === undefined) {
        throw new ApiError('ResourceGroupNotFound', `Resource group '${req.params.resourceGroupName}' could not be found. Create it before the workspace.`, { target: req.params.resourceGroupName });
      }
      const input: WorkspaceInput = { location: req.body.location };
      if (req.body.properties?.sku?.name !== undefined) input.sku = req.body.properties.sku.name;
      if (req.body.properties?.retentionInDays !== undefined) input.retentionInDays = req.body.properties.retentionInDays;
      if (req.body.tags !== undefined) input.tags = req.body.tags;
      const { row, created } = await createOrUpdateWorkspace(services.db, rg, req.params.workspaceName!, input, req.caller.name, services.now());
      const headers = created ? await completedOperation(services, req, row.id) : {};
      return { status: created ? 201 : 200, body: await presentWorkspace(services.db, row), headers };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path,
    apiVersions: API_VERSIONS.operationalInsights,
    access: (req) => ({ action: READ, scope: idOf(req) }),
    handler: async (req) => ({ status: 200, body: await presentWorkspace(services.db, await requireWorkspace(services, req, idOf(req))) }),
  });

  armRoute(app, services, {
    method: 'DELETE',
    path,
    apiVersions: API_VERSIONS.operationalInsights,
    access: (req) => ({ action: 'Microsoft.OperationalInsights/workspaces/delete', scope: idOf(req) }),
    etag: async (req) => (await getWorkspace(services.db, idOf(req)))?.etag,
    handler: async (req) => {
      const w = await getWorkspace(services.db, idOf(req));
      if (w === undefined) return { status: 204 };
      await services.db.deleteFrom('workspaces').where('id', '=', w.id).execute();
      return { status: 200 };
    },
  });

  // The keys of the HTTP Data Collector API. Reading them is an action of its own, which
  // Log Analytics Reader explicitly lacks.
  armRoute(app, services, {
    method: 'POST',
    path: `${path}/sharedKeys`,
    apiVersions: API_VERSIONS.operationalInsights,
    access: (req) => ({ action: 'Microsoft.OperationalInsights/workspaces/sharedKeys/action', scope: idOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, idOf(req));
      return { status: 200, body: { primarySharedKey: w.primary_shared_key, secondarySharedKey: w.secondary_shared_key } };
    },
  });

  armRoute(app, services, {
    method: 'POST',
    path: `${path}/regenerateSharedKey`,
    apiVersions: API_VERSIONS.operationalInsights,
    body: z.object({ keyName: z.enum(['primary', 'secondary']).default('primary') }).passthrough().default({ keyName: 'primary' }),
    access: (req) => ({ action: 'Microsoft.OperationalInsights/workspaces/regenerateSharedKey/action', scope: idOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, idOf(req));
      const key = newSharedKey();
      const changes = req.body.keyName === 'secondary' ? { secondary_shared_key: key } : { primary_shared_key: key };
      await services.db.updateTable('workspaces').set(changes).where('id', '=', w.id).execute();
      const updated = { ...w, ...changes };
      return { status: 200, body: { primarySharedKey: updated.primary_shared_key, secondarySharedKey: updated.secondary_shared_key } };
    },
  });

  // Today's ingestion, as Log Analytics reports a workspace's usage: Vigil has no daily cap
  // (limit -1); the Usage table holds the per-table, per-hour detail.
  armRoute(app, services, {
    method: 'GET',
    path: `${path}/usages`,
    apiVersions: API_VERSIONS.operationalInsights,
    access: (req) => ({ action: 'Microsoft.OperationalInsights/workspaces/usages/read', scope: idOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, idOf(req));
      const today = services.now().toISOString().slice(0, 10);
      const rows = await services.db.selectFrom('usage_hourly').select(['bytes']).where('workspace_id', '=', w.customer_id).where('hour', '>=', `${today}T00`).execute();
      const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString();
      return {
        status: 200,
        body: { value: [{ name: { value: 'DataIngested', localizedValue: 'Data ingested today' }, unit: 'Bytes', currentValue: rows.reduce((n, r) => n + r.bytes, 0), limit: -1, nextResetTime: tomorrow, quotaPeriod: 'P1D' }] },
      };
    },
  });

  // Lists: authorize each workspace, so a caller with access to some workspaces of a
  // subscription (or resource group) sees exactly those.
  const list = async (req: ArmRequest, rows: Workspace[]) => {
    const visible = [];
    for (const w of rows) {
      const d = await authorize({ db: services.db, now: services.now }, req.caller, READ, w.id);
      if (d.allowed) visible.push(await presentWorkspace(services.db, w));
    }
    // One page: arm-operationalinsights@9 ignores nextLink on this list.
    return { status: 200, body: { value: visible } };
  };

  armRoute(app, services, {
    method: 'GET',
    path: '/subscriptions/:subscriptionId/providers/Microsoft.OperationalInsights/workspaces',
    apiVersions: API_VERSIONS.operationalInsights,
    access: 'per-item',
    handler: async (req) => list(req, await services.db.selectFrom('workspaces').selectAll().where('subscription_id', '=', req.params.subscriptionId!.toLowerCase()).orderBy('name').execute()),
  });

  armRoute(app, services, {
    method: 'GET',
    path: '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.OperationalInsights/workspaces',
    apiVersions: API_VERSIONS.operationalInsights,
    access: 'per-item',
    handler: async (req) => {
      const rgId = `/subscriptions/${req.params.subscriptionId!.toLowerCase()}/resourcegroups/${req.params.resourceGroupName!.toLowerCase()}`;
      return list(req, await services.db.selectFrom('workspaces').selectAll().where('resource_group_id', '=', rgId).orderBy('name').execute());
    },
  });
}

export async function requireWorkspace(services: Services, req: ArmRequest, id: string): Promise<Workspace> {
  const w = await getWorkspace(services.db, id);
  if (w === undefined) {
    throw new ApiError('ResourceNotFound', `The workspace '${req.params.workspaceName}' was not found in resource group '${req.params.resourceGroupName}' of subscription '${req.params.subscriptionId}'.`, { target: id });
  }
  return w;
}

/** The workspace, which must have Microsoft Sentinel enabled: what every Sentinel resource (rules, connectors, watchlists...) lives in. */
export async function requireSentinelWorkspace(services: Services, req: ArmRequest, id: string): Promise<Workspace> {
  const w = await requireWorkspace(services, req, id);
  if (w.sentinel_onboarded_at === null) {
    throw new ApiError('Conflict', `Microsoft Sentinel is not enabled on workspace '${w.name}'. Enable it first: PUT .../providers/Microsoft.SecurityInsights/onboardingStates/default.`);
  }
  return w;
}
