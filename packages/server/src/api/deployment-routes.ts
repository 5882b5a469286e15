// Template deployments at subscription and resource-group scope, on ARM's paths. The
// Lighthouse onboarding templates are deployed through these.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { page } from './paging.ts';
import { completedOperation } from './lro.ts';
import { resourceGroupScope, subscriptionScope } from '../arm/resource-id.ts';
import { ApiError } from '../errors.ts';
import { DeploymentBody, deploymentId, presentDeployment, runDeployment } from '../control/deployments.ts';

export function registerDeploymentRoutes(app: FastifyInstance, services: Services): void {
  const scopes = [
    { prefix: '/subscriptions/:subscriptionId', rg: (_: ArmRequest) => undefined as string | undefined, scopeOf: (r: ArmRequest) => subscriptionScope(r.params.subscriptionId!) },
    { prefix: '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName', rg: (r: ArmRequest) => r.params.resourceGroupName, scopeOf: (r: ArmRequest) => resourceGroupScope(r.params.subscriptionId!, r.params.resourceGroupName!) },
  ];
  for (const { prefix, rg, scopeOf } of scopes) {
    const path = `${prefix}/providers/Microsoft.Resources/deployments`;
    const idOf = (r: ArmRequest) => deploymentId(r.params.subscriptionId!, rg(r), r.params.deploymentName!);

    armRoute(app, services, {
      method: 'PUT',
      path: `${path}/:deploymentName`,
      apiVersions: API_VERSIONS.deployments,
      body: DeploymentBody,
      access: (req) => ({ action: 'Microsoft.Resources/deployments/write', scope: idOf(req) }),
      handler: async (req) => {
        const resourceGroup = rg(req);
        if (resourceGroup !== undefined) {
          const exists = await services.db.selectFrom('resource_groups').select('id').where('id', '=', scopeOf(req)).executeTakeFirst();
          if (exists === undefined) throw new ApiError('ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found. Create it before deploying into it.`);
        }
        const target = resourceGroup === undefined
          ? { subscriptionId: req.params.subscriptionId!, name: req.params.deploymentName! }
          : { subscriptionId: req.params.subscriptionId!, resourceGroup, name: req.params.deploymentName! };
        const row = await runDeployment(services.db, services.now, req.caller, req.grant, target, req.body, req.correlationId);
        return { status: 201, body: presentDeployment(row), headers: await completedOperation(services, req, row.id) };
      },
    });

    armRoute(app, services, {
      method: 'GET',
      path: `${path}/:deploymentName`,
      apiVersions: API_VERSIONS.deployments,
      access: (req) => ({ action: 'Microsoft.Resources/deployments/read', scope: idOf(req) }),
      handler: async (req) => {
        const row = await services.db.selectFrom('deployments').selectAll().where('id', '=', idOf(req)).executeTakeFirst();
        if (row === undefined) throw new ApiError('DeploymentNotFound', `Deployment '${req.params.deploymentName}' could not be found.`);
        return { status: 200, body: presentDeployment(row) };
      },
    });

    armRoute(app, services, {
      method: 'DELETE',
      path: `${path}/:deploymentName`,
      apiVersions: API_VERSIONS.deployments,
      access: (req) => ({ action: 'Microsoft.Resources/deployments/delete', scope: idOf(req) }),
      handler: async (req) => {
        const result = await services.db.deleteFrom('deployments').where('id', '=', idOf(req)).executeTakeFirst();
        return { status: Number(result.numDeletedRows) > 0 ? 200 : 204 };
      },
    });

    armRoute(app, services, {
      method: 'GET',
      path,
      apiVersions: API_VERSIONS.deployments,
      access: (req) => ({ action: 'Microsoft.Resources/deployments/read', scope: scopeOf(req) }),
      handler: async (req) => {
        const rows = await services.db.selectFrom('deployments').selectAll().where('scope', '=', scopeOf(req)).orderBy('created_at', 'desc').execute();
        return { status: 200, body: page(req.raw, services.publicUrl, rows.map(presentDeployment), services.pageSize) };
      },
    });
  }
}
