// Microsoft.SecurityInsights/dataConnectors. Creating or changing one through a Lighthouse
// delegation is refused: connectors are deployed by signing in directly to the directory that
// owns the workspace (Sentinel's documented MSSP limitation). Syslog and CEF connectors start
// their receiver before they are saved, so a connector that exists is listening.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { page } from './paging.ts';
import { requireSentinelWorkspace, requireWorkspace } from './workspace-routes.ts';
import { displayId, workspaceId, type Workspace } from '../control/workspaces.ts';
import { SECURITY_INSIGHTS, requireRegistered } from '../control/providers.ts';
import { ApiError } from '../errors.ts';
import {
  DATA_CONNECTOR_KINDS, checkConnectorProperties, connectorSource, connectorStatus,
  type DataConnector, type DataConnectorKind,
} from '../control/data-connectors.ts';
import type { ReceiverConfig, SyslogProtocol } from '../ingest/syslog-receiver.ts';

const ConnectorBody = z.object({
  kind: z.string().refine((k) => (DATA_CONNECTOR_KINDS as readonly string[]).includes(k), { message: `kind must be one of ${DATA_CONNECTOR_KINDS.join(', ')}` }),
  etag: z.string().optional(),
  properties: z.record(z.string(), z.unknown()).default({}),
}).passthrough();

const WS = '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.OperationalInsights/workspaces/:workspaceName';

export function receiverConfig(services: Services, w: Pick<Workspace, 'customer_id'>, c: Pick<DataConnector, 'id' | 'name' | 'properties'>): ReceiverConfig {
  const p = JSON.parse(c.properties) as { protocol: SyslogProtocol; port: number; address?: string };
  return { connectorId: c.id, connectorName: c.name, workspaceId: w.customer_id, protocol: p.protocol, port: p.port, host: p.address ?? services.config.host };
}

const hasReceiver = (kind: string) => kind === 'Syslog' || kind === 'CEF';

/** Starts the receivers of every Syslog and CEF connector (at server start). */
export async function startAllReceivers(services: Services): Promise<void> {
  const rows = await services.db.selectFrom('data_connectors').innerJoin('workspaces', 'workspaces.id', 'data_connectors.workspace_id')
    .selectAll('data_connectors').select('workspaces.customer_id').where('data_connectors.kind', 'in', ['Syslog', 'CEF']).execute();
  for (const row of rows) {
    try {
      await services.receivers.start(receiverConfig(services, row, row));
    } catch (error) {
      services.log.error({ err: error, connector: row.id }, 'could not start a syslog receiver');
    }
  }
}

export function registerDataConnectorRoutes(app: FastifyInstance, services: Services): void {
  const wsIdOf = (req: ArmRequest) => workspaceId(req.params.subscriptionId!, req.params.resourceGroupName!, req.params.workspaceName!);
  const connectorPath = `${WS}/providers/Microsoft.SecurityInsights/dataConnectors/:connectorId`;
  const connectorScope = (req: ArmRequest) => `${wsIdOf(req)}/providers/microsoft.securityinsights/dataconnectors/${req.params.connectorId!.toLowerCase()}`;
  const refuseDelegated = (req: ArmRequest) => new ApiError(
    'DelegatedConnectorDeploymentNotSupported',
    `Data connectors cannot be deployed or changed through an Azure Lighthouse delegation. Sign in directly to the directory that owns workspace '${req.params.workspaceName}' ` +
      `(get a token from ${services.publicUrl}/{customerTenantId}/oauth2/v2.0/token with an account of that directory, for example a guest account) and deploy the connector there.`,
    { target: req.params.connectorId },
  );
  const present = async (w: Workspace, c: DataConnector) => {
    const properties = JSON.parse(c.properties) as Record<string, unknown>;
    const status: Record<string, unknown> = { ...(await connectorStatus(services.db, w.customer_id, await connectorSource(services.db, c), services.now())) };
    if (hasReceiver(c.kind)) {
      const port = services.receivers.port(c.id);
      status.listening = port === undefined ? null : { protocol: properties.protocol, port };
    }
    return {
      id: `${await displayId(services.db, w)}/providers/Microsoft.SecurityInsights/dataConnectors/${c.name}`,
      name: c.name,
      type: 'Microsoft.SecurityInsights/dataConnectors',
      kind: c.kind,
      etag: `"${c.etag}"`,
      systemData: { createdBy: c.created_by, createdAt: c.created_at, lastModifiedAt: c.updated_at },
      properties: { ...properties, connectivity: status },
    };
  };
  const requireSentinel = (req: ArmRequest): Promise<Workspace> => requireSentinelWorkspace(services, req, wsIdOf(req));

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
      if (req.body.etag !== undefined && existing !== undefined && req.body.etag.replace(/"/g, '') !== existing.etag) {
        throw new ApiError('PreconditionFailed', `The etag '${req.body.etag}' does not match the data connector's current etag "${existing.etag}": it was changed since you read it. GET it again and retry.`);
      }
      if (existing !== undefined && existing.kind !== req.body.kind) {
        throw new ApiError('InvalidParameter', `Data connector '${existing.name}' is of kind '${existing.kind}'; its kind cannot change to '${req.body.kind}'. Create a new connector instead.`, { target: 'kind' });
      }
      const kind = req.body.kind as DataConnectorKind;
      const directory = (await services.db.selectFrom('subscriptions').select('directory_id').where('id', '=', w.subscription_id).executeTakeFirstOrThrow()).directory_id;
      const properties = await checkConnectorProperties(services.db, kind, req.body.properties, directory);
      const stamp = services.now().toISOString();
      const row: DataConnector = {
        id, workspace_id: w.id, name: existing?.name ?? req.params.connectorId!, kind, properties: JSON.stringify(properties),
        etag: randomUUID(), created_at: existing?.created_at ?? stamp, created_by: existing?.created_by ?? req.caller.name, updated_at: stamp,
      };
      // The receiver first: if its port is taken, nothing is saved.
      if (hasReceiver(kind)) await services.receivers.start(receiverConfig(services, w, row));
      try {
        await services.db.insertInto('data_connectors').values(row)
          .onConflict((oc) => oc.column('id').doUpdateSet({ properties: row.properties, etag: row.etag, updated_at: stamp }))
          .execute();
      } catch (error) {
        if (hasReceiver(kind)) await services.receivers.stop(id);
        throw error;
      }
      return { status: existing === undefined ? 201 : 200, body: await present(w, row) };
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
      return { status: 200, body: await present(w, c) };
    },
  });

  armRoute(app, services, {
    method: 'DELETE',
    path: connectorPath,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: 'Microsoft.SecurityInsights/dataConnectors/delete', scope: connectorScope(req) }),
    refuseDelegated,
    handler: async (req) => {
      await services.receivers.stop(connectorScope(req));
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
      const bodies = await Promise.all(rows.map((c) => present(w, c)));
      return { status: 200, body: page(req.raw, services.publicUrl, bodies, services.pageSize) };
    },
  });
}
