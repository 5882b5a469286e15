// Resource groups: PUT/GET/DELETE and lists, on ARM's paths.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { page } from './paging.ts';
import { completedOperation } from './lro.ts';
import { resourceGroupScope } from '../arm/resource-id.ts';
import { authorize } from '../access/authorize.ts';
import { createOrUpdateResourceGroup, deleteResourceGroup, getResourceGroup, listResourceGroups, presentResourceGroup, validateResourceGroupName } from '../control/resource-groups.ts';
import { ApiError } from '../errors.ts';

const ResourceGroupBody = z.object({
  location: z.string().min(1, 'location is required, for example "westeurope"'),
  tags: z.record(z.string(), z.string()).optional(),
  properties: z.object({}).passthrough().optional(),
}).passthrough();

export function registerResourceGroupRoutes(app: FastifyInstance, services: Services): void {
  const scopeOf = (req: ArmRequest) => resourceGroupScope(req.params.subscriptionId!, req.params.resourceGroupName!);
  const path = '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName';

  armRoute(app, services, {
    method: 'PUT',
    path,
    apiVersions: API_VERSIONS.resources,
    body: ResourceGroupBody,
    access: (req) => ({ action: 'Microsoft.Resources/subscriptions/resourceGroups/write', scope: scopeOf(req) }),
    handler: async (req) => {
      validateResourceGroupName(req.params.resourceGroupName!);
      const { row, created } = await createOrUpdateResourceGroup(services.db, req.params.subscriptionId!, req.params.resourceGroupName!, req.body.location, req.body.tags ?? {});
      return { status: created ? 201 : 200, body: presentResourceGroup(row) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path,
    apiVersions: API_VERSIONS.resources,
    access: (req) => ({ action: 'Microsoft.Resources/subscriptions/resourceGroups/read', scope: scopeOf(req) }),
    handler: async (req) => {
      const row = await getResourceGroup(services.db, req.params.subscriptionId!, req.params.resourceGroupName!);
      if (row === undefined) throw rgNotFound(req);
      return { status: 200, body: presentResourceGroup(row) };
    },
  });

  armRoute(app, services, {
    method: 'DELETE',
    path,
    apiVersions: API_VERSIONS.resources,
    access: (req) => ({ action: 'Microsoft.Resources/subscriptions/resourceGroups/delete', scope: scopeOf(req) }),
    handler: async (req) => {
      const row = await getResourceGroup(services.db, req.params.subscriptionId!, req.params.resourceGroupName!);
      if (row === undefined) return { status: 204 };
      await deleteResourceGroup(services.db, row.id);
      return { status: 202, headers: await completedOperation(services, req, row.id) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: '/subscriptions/:subscriptionId/resourcegroups',
    apiVersions: API_VERSIONS.resources,
    access: 'per-item',
    handler: async (req) => {
      const rows = await listResourceGroups(services.db, req.params.subscriptionId!);
      const visible = [];
      for (const row of rows) {
        const d = await authorize({ db: services.db, now: services.now }, req.caller, 'Microsoft.Resources/subscriptions/resourceGroups/read', row.id);
        if (d.allowed) visible.push(presentResourceGroup(row));
      }
      return { status: 200, body: page(req.raw, services.publicUrl, visible, services.pageSize) };
    },
  });
}

function rgNotFound(req: ArmRequest): ApiError {
  return new ApiError('ResourceGroupNotFound', `Resource group '${req.params.resourceGroupName}' could not be found in subscription '${req.params.subscriptionId}'. Create it with PUT first.`, { target: req.params.resourceGroupName });
}
