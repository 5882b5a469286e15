// Microsoft Sentinel on a workspace: onboarding (onboardingStates/default) and data connectors.
// Data connectors cannot be deployed through a Lighthouse delegation: only by signing in
// directly to the directory that owns the workspace (Sentinel's documented MSSP limitation).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { page } from './paging.ts';
import { requireWorkspace } from './workspace-routes.ts';
import { displayId, setSentinelOnboarded, workspaceId, type Workspace } from '../control/workspaces.ts';
import { SECURITY_INSIGHTS, requireRegistered } from '../control/providers.ts';
import { ApiError } from '../errors.ts';
import type { DataConnectorTable } from '../db/schema.ts';

const WS = '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.OperationalInsights/workspaces/:workspaceName';

/** Connector kinds Vigil serves; their receivers arrive with the ingestion work. */
export const DATA_CONNECTOR_KINDS = ['Syslog', 'CEF', 'LogsIngestion', 'HttpDataCollector', 'AzureActiveDirectory', 'AzureActivity', 'Office365', 'ThreatIntelligence'] as const;

const OnboardingBody = z.object({ properties: z.object({ customerManagedKey: z.boolean().optional() }).passthrough().optional(), etag: z.string().optional() }).passthrough().optional();
const ConnectorBody = z.object({
  kind: z.string().refine((k) => (DATA_CONNECTOR_KINDS as readonly string[]).includes(k), { message: `kind must be one of ${DATA_CONNECTOR_KINDS.join(', ')}` }),
  etag: z.string().optional(),
  properties: z.record(z.string(), z.unknown()).default({}),
}).passthrough();

export function registerSentinelRoutes(app: FastifyInstance, services: Services): void {
  const wsIdOf = (req: ArmRequest) => workspaceId(req.params.subscriptionId!, req.params.resourceGroupName!, req.params.workspaceName!);

  // --- onboardingStates ---
  const onboardingPath = `${WS}/providers/Microsoft.SecurityInsights/onboardingStates/:name`;
  const onboardingScope = (req: ArmRequest) => `${wsIdOf(req)}/providers/microsoft.securityinsights/onboardingstates/${req.params.name!.toLowerCase()}`;
  const requireDefault = (req: ArmRequest) => {
    if (req.params.name!.toLowerCase() !== 'default') {
      throw new ApiError('InvalidParameter', `The onboarding state must be named 'default'; got '${req.params.name}'.`, { target: 'name' });
    }
  };
  const presentOnboarding = async (w: Workspace) => ({
    id: `${await displayId(services.db, w)}/providers/Microsoft.SecurityInsights/onboardingStates/default`,
    name: 'default',
    type: 'Microsoft.SecurityInsights/onboardingStates',
    properties: { customerManagedKey: false },
  });

  armRoute(app, services, {
    method: 'PUT',
    path: onboardingPath,
    apiVersions: API_VERSIONS.securityInsights,
    body: OnboardingBody,
    access: (req) => ({ action: 'Microsoft.SecurityInsights/onboardingStates/write', scope: onboardingScope(req) }),
    handler: async (req) => {
      requireDefault(req);
      await requireRegistered(services.db, req.params.subscriptionId!, SECURITY_INSIGHTS);
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const created = w.sentinel_onboarded_at === null;
      if (created) await setSentinelOnboarded(services.db, w.id, true, services.now());
      return { status: created ? 201 : 200, body: await presentOnboarding(w) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: onboardingPath,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: 'Microsoft.SecurityInsights/onboardingStates/read', scope: onboardingScope(req) }),
    handler: async (req) => {
      requireDefault(req);
      const w = await requireWorkspace(services, req, wsIdOf(req));
      if (w.sentinel_onboarded_at === null) throw new ApiError('ResourceNotFound', `Microsoft Sentinel is not enabled on workspace '${w.name}'. Enable it with PUT .../providers/Microsoft.SecurityInsights/onboardingStates/default.`);
      return { status: 200, body: await presentOnboarding(w) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: `${WS}/providers/Microsoft.SecurityInsights/onboardingStates`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: 'Microsoft.SecurityInsights/onboardingStates/read', scope: wsIdOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      return { status: 200, body: { value: w.sentinel_onboarded_at === null ? [] : [await presentOnboarding(w)] } };
    },
  });

  armRoute(app, services, {
    method: 'DELETE',
    path: onboardingPath,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: 'Microsoft.SecurityInsights/onboardingStates/delete', scope: onboardingScope(req) }),
    handler: async (req) => {
      requireDefault(req);
      const w = await requireWorkspace(services, req, wsIdOf(req));
      if (w.sentinel_onboarded_at === null) return { status: 204 };
      await setSentinelOnboarded(services.db, w.id, false, services.now());
      return { status: 200 };
    },
  });

  // --- dataConnectors ---
  const connectorPath = `${WS}/providers/Microsoft.SecurityInsights/dataConnectors/:connectorId`;
  const connectorScope = (req: ArmRequest) => `${wsIdOf(req)}/providers/microsoft.securityinsights/dataconnectors/${req.params.connectorId!.toLowerCase()}`;
  const refuseDelegated = (req: ArmRequest) => new ApiError(
    'DelegatedConnectorDeploymentNotSupported',
    `Data connectors cannot be deployed or changed through an Azure Lighthouse delegation. Sign in directly to the directory that owns workspace '${req.params.workspaceName}' ` +
      `(get a token from ${services.publicUrl}/{customerTenantId}/oauth2/v2.0/token with an account of that directory, for example a guest account) and deploy the connector there.`,
    { target: req.params.connectorId },
  );
  const presentConnector = async (w: Workspace, c: DataConnectorTable) => ({
    id: `${await displayId(services.db, w)}/providers/Microsoft.SecurityInsights/dataConnectors/${c.name}`,
    name: c.name,
    type: 'Microsoft.SecurityInsights/dataConnectors',
    kind: c.kind,
    etag: `"${c.etag}"`,
    systemData: { createdBy: c.created_by, createdAt: c.created_at, lastModifiedAt: c.updated_at },
    properties: JSON.parse(c.properties) as Record<string, unknown>,
  });
  const requireSentinel = async (req: ArmRequest) => {
    const w = await requireWorkspace(services, req, wsIdOf(req));
    if (w.sentinel_onboarded_at === null) {
      throw new ApiError('Conflict', `Microsoft Sentinel is not enabled on workspace '${w.name}'. Enable it first: PUT .../providers/Microsoft.SecurityInsights/onboardingStates/default.`);
    }
    return w;
  };

  armRoute(app, services, {
    method: 'PUT',
    path: connectorPath,
    apiVersions: API_VERSIONS.securityInsights,
    body: ConnectorBody,
    access: (req) => ({ action: 'Microsoft.SecurityInsights/dataConnectors/write', scope: connectorScope(req) }),
    etag: async (req) => (await services.db.selectFrom('data_connectors').select('etag').where('id', '=', connectorScope(req)).executeTakeFirst())?.etag,
    refuseDelegated,
    handler: async (req) => {
      await requireRegistered(services.db, req.params.subscriptionId!, SECURITY_INSIGHTS);
      const w = await requireSentinel(req);
      const id = connectorScope(req);
      const existing = await services.db.selectFrom('data_connectors').selectAll().where('id', '=', id).executeTakeFirst();
      const stamp = services.now().toISOString();
      if (existing !== undefined) {
        if (req.body.etag !== undefined && req.body.etag.replace(/"/g, '') !== existing.etag) {
          throw new ApiError('PreconditionFailed', `The etag '${req.body.etag}' does not match the data connector's current etag "${existing.etag}": it was changed since you read it. GET it again and retry.`);
        }
        if (existing.kind !== req.body.kind) {
          throw new ApiError('InvalidParameter', `Data connector '${existing.name}' is of kind '${existing.kind}'; its kind cannot change to '${req.body.kind}'. Create a new connector instead.`, { target: 'kind' });
        }
        const changes = { properties: JSON.stringify(req.body.properties), etag: randomUUID(), updated_at: stamp };
        await services.db.updateTable('data_connectors').set(changes).where('id', '=', id).execute();
        return { status: 200, body: await presentConnector(w, { ...existing, ...changes }) };
      }
      const row: DataConnectorTable = {
        id, workspace_id: w.id, name: req.params.connectorId!, kind: req.body.kind, properties: JSON.stringify(req.body.properties),
        etag: randomUUID(), created_at: stamp, created_by: req.caller.name, updated_at: stamp,
      };
      await services.db.insertInto('data_connectors').values(row).execute();
      return { status: 201, body: await presentConnector(w, row) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: connectorPath,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: 'Microsoft.SecurityInsights/dataConnectors/read', scope: connectorScope(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const c = await services.db.selectFrom('data_connectors').selectAll().where('id', '=', connectorScope(req)).executeTakeFirst();
      if (c === undefined) throw new ApiError('ResourceNotFound', `Data connector '${req.params.connectorId}' was not found in workspace '${w.name}'.`);
      return { status: 200, body: await presentConnector(w, c) };
    },
  });

  armRoute(app, services, {
    method: 'DELETE',
    path: connectorPath,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: 'Microsoft.SecurityInsights/dataConnectors/delete', scope: connectorScope(req) }),
    refuseDelegated,
    handler: async (req) => {
      const result = await services.db.deleteFrom('data_connectors').where('id', '=', connectorScope(req)).executeTakeFirst();
      return { status: Number(result.numDeletedRows) > 0 ? 200 : 204 };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: `${WS}/providers/Microsoft.SecurityInsights/dataConnectors`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: 'Microsoft.SecurityInsights/dataConnectors/read', scope: wsIdOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const rows = await services.db.selectFrom('data_connectors').selectAll().where('workspace_id', '=', w.id).orderBy('name').execute();
      const bodies = await Promise.all(rows.map((c) => presentConnector(w, c)));
      return { status: 200, body: page(req.raw, services.publicUrl, bodies, services.pageSize) };
    },
  });
}
