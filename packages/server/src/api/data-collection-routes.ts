// Microsoft.Insights data collection endpoints and rules on ARM's paths.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { page } from './paging.ts';
import { authorize } from '../access/authorize.ts';
import { ApiError } from '../errors.ts';
import { getResourceGroup, normaliseLocation } from '../control/resource-groups.ts';
import { INSIGHTS, requireRegistered } from '../control/providers.ts';
import { DcrProperties, checkDataCollectionRule, dataCollectionId, newEtag, newImmutableId, type DataCollectionResource } from '../control/data-collection.ts';

const RuleBody = z.object({ location: z.string().min(1), tags: z.record(z.string(), z.string()).optional(), kind: z.string().optional(), properties: DcrProperties }).passthrough();
const EndpointBody = z.object({ location: z.string().min(1), tags: z.record(z.string(), z.string()).optional(), properties: z.object({ description: z.string().optional() }).passthrough().default({}) }).passthrough();

type Kind = 'dataCollectionRules' | 'dataCollectionEndpoints';
const TABLE = { dataCollectionRules: 'data_collection_rules', dataCollectionEndpoints: 'data_collection_endpoints' } as const;

export function registerDataCollectionRoutes(app: FastifyInstance, services: Services): void {
  const ctx = { db: services.db, now: services.now };
  for (const kind of ['dataCollectionRules', 'dataCollectionEndpoints'] as const) {
    const base = `/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.Insights/${kind}`;
    const idOf = (req: ArmRequest) => dataCollectionId(req.params.subscriptionId!, req.params.resourceGroupName!, kind, req.params.name!);
    const action = (verb: string) => `Microsoft.Insights/${kind}/${verb}`;
    const present = (row: DataCollectionResource) => presentResource(services, kind, row);

    armRoute(app, services, {
      method: 'PUT',
      path: `${base}/:name`,
      apiVersions: API_VERSIONS.dataCollection,
      body: kind === 'dataCollectionRules' ? RuleBody : EndpointBody,
      access: (req) => ({ action: action('write'), scope: idOf(req) }),
      etag: async (req) => (await services.db.selectFrom(TABLE[kind]).select('etag').where('id', '=', idOf(req)).executeTakeFirst())?.etag,
      handler: async (req) => {
        await requireRegistered(services.db, req.params.subscriptionId!, INSIGHTS);
        const rg = await getResourceGroup(services.db, req.params.subscriptionId!, req.params.resourceGroupName!);
        if (rg === undefined) throw new ApiError('ResourceGroupNotFound', `Resource group '${req.params.resourceGroupName}' could not be found.`);
        if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{1,62}[A-Za-z0-9_]$/.test(req.params.name!)) {
          throw new ApiError('InvalidParameter', `'${req.params.name}' is not a valid name: 3-64 letters, digits, '-', '_' or '.'.`, { target: 'name' });
        }
        let properties: unknown = req.body.properties;
        if (kind === 'dataCollectionRules') {
          const checked = await checkDataCollectionRule(services.db, services.catalog, req.body.properties as z.infer<typeof DcrProperties>);
          // Writing into a workspace is a right on that workspace: the rule's author must hold it.
          for (const w of checked.workspaces) {
            const d = await authorize(ctx, req.caller, 'Microsoft.OperationalInsights/workspaces/write', w.id);
            if (!d.allowed) {
              throw new ApiError('LinkedAuthorizationFailed', `The client '${req.caller.name}' may not send data to workspace '${w.name}': it needs 'Microsoft.OperationalInsights/workspaces/write' on it (${d.reason}).`, { target: 'properties.destinations' });
            }
          }
          properties = checked.properties;
        }
        const id = idOf(req);
        const existing = await services.db.selectFrom(TABLE[kind]).selectAll().where('id', '=', id).executeTakeFirst();
        const stamp = services.now().toISOString();
        const row: DataCollectionResource = {
          id, subscription_id: rg.subscription_id, resource_group_id: rg.id, name: existing?.name ?? req.params.name!,
          location: normaliseLocation(req.body.location), immutable_id: existing?.immutable_id ?? newImmutableId(kind === 'dataCollectionRules' ? 'dcr' : 'dce'),
          properties: JSON.stringify(properties), tags: JSON.stringify(req.body.tags ?? {}), etag: newEtag(),
          created_at: existing?.created_at ?? stamp, created_by: existing?.created_by ?? req.caller.name, updated_at: stamp,
        };
        await services.db.insertInto(TABLE[kind]).values(row)
          .onConflict((oc) => oc.column('id').doUpdateSet({ location: row.location, properties: row.properties, tags: row.tags, etag: row.etag, updated_at: stamp }))
          .execute();
        return { status: existing === undefined ? 201 : 200, body: present(row) };
      },
    });

    armRoute(app, services, {
      method: 'GET',
      path: `${base}/:name`,
      apiVersions: API_VERSIONS.dataCollection,
      access: (req) => ({ action: action('read'), scope: idOf(req) }),
      handler: async (req) => {
        const row = await services.db.selectFrom(TABLE[kind]).selectAll().where('id', '=', idOf(req)).executeTakeFirst();
        if (row === undefined) throw new ApiError('ResourceNotFound', `The ${kind === 'dataCollectionRules' ? 'data collection rule' : 'data collection endpoint'} '${req.params.name}' was not found.`);
        return { status: 200, body: present(row) };
      },
    });

    armRoute(app, services, {
      method: 'DELETE',
      path: `${base}/:name`,
      apiVersions: API_VERSIONS.dataCollection,
      access: (req) => ({ action: action('delete'), scope: idOf(req) }),
      handler: async (req) => {
        const result = await services.db.deleteFrom(TABLE[kind]).where('id', '=', idOf(req)).executeTakeFirst();
        return { status: Number(result.numDeletedRows) > 0 ? 200 : 204 };
      },
    });

    armRoute(app, services, {
      method: 'GET',
      path: base,
      apiVersions: API_VERSIONS.dataCollection,
      access: 'per-item',
      handler: async (req) => {
        const rgId = `/subscriptions/${req.params.subscriptionId!.toLowerCase()}/resourcegroups/${req.params.resourceGroupName!.toLowerCase()}`;
        const rows = await services.db.selectFrom(TABLE[kind]).selectAll().where('resource_group_id', '=', rgId).orderBy('name').execute();
        const visible = [];
        for (const r of rows) if ((await authorize(ctx, req.caller, action('read'), r.id)).allowed) visible.push(present(r));
        return { status: 200, body: page(req.raw, services.publicUrl, visible, services.pageSize) };
      },
    });
  }
}

function presentResource(services: Services, kind: Kind, row: DataCollectionResource) {
  const rg = row.resource_group_id.split('/').pop();
  const properties: Record<string, unknown> = { ...(JSON.parse(row.properties) as Record<string, unknown>), immutableId: row.immutable_id, provisioningState: 'Succeeded' };
  if (kind === 'dataCollectionEndpoints') {
    // This server is the ingestion endpoint: point clients straight at it.
    properties.logsIngestion = { endpoint: services.publicUrl };
    properties.configurationAccess = { endpoint: services.publicUrl };
    properties.networkAcls = { publicNetworkAccess: 'Enabled' };
  }
  return {
    id: `/subscriptions/${row.subscription_id}/resourceGroups/${rg}/providers/Microsoft.Insights/${kind}/${row.name}`,
    name: row.name,
    type: `Microsoft.Insights/${kind}`,
    location: row.location,
    tags: JSON.parse(row.tags) as Record<string, string>,
    etag: `"${row.etag}"`,
    systemData: { createdBy: row.created_by, createdAt: row.created_at, lastModifiedAt: row.updated_at },
    properties,
  };
}
