// Microsoft.Authorization: built-in role definitions and role assignments at subscription,
// resource-group and resource scope.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { page } from './paging.ts';
import { authorize } from '../access/authorize.ts';
import { BUILTIN_ROLES, findBuiltinRole, type RoleDefinition } from '../access/builtin-roles.ts';
import { canonicalId, resourceGroupScope, scopeContains, subscriptionScope } from '../arm/resource-id.ts';
import { createRoleAssignment, presentRoleAssignment, roleAssignmentId } from '../control/role-assignments.ts';
import { ApiError } from '../errors.ts';

const AssignmentBody = z.object({
  properties: z.object({
    roleDefinitionId: z.string().min(1),
    principalId: z.string().min(1),
    principalType: z.string().optional(),
  }).passthrough(),
}).passthrough();

export function registerAuthorizationRoutes(app: FastifyInstance, services: Services): void {
  const ctx = { db: services.db, now: services.now };
  const scopes = [
    { prefix: '/subscriptions/:subscriptionId', scopeOf: (r: ArmRequest) => subscriptionScope(r.params.subscriptionId!) },
    { prefix: '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName', scopeOf: (r: ArmRequest) => resourceGroupScope(r.params.subscriptionId!, r.params.resourceGroupName!) },
    {
      prefix: '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/:namespace/:type/:resourceName',
      scopeOf: (r: ArmRequest) => canonicalId(`${resourceGroupScope(r.params.subscriptionId!, r.params.resourceGroupName!)}/providers/${r.params.namespace}/${r.params.type}/${r.params.resourceName}`),
    },
  ];
  const presentRole = (role: RoleDefinition, scope: string) => ({
    id: `${scope.replace('/resourcegroups/', '/resourceGroups/')}/providers/Microsoft.Authorization/roleDefinitions/${role.id}`,
    name: role.id,
    type: 'Microsoft.Authorization/roleDefinitions',
    properties: { roleName: role.roleName, description: role.description, type: role.roleType, permissions: role.permissions, assignableScopes: ['/'] },
  });
  const principalType = async (id: string) =>
    (await services.db.selectFrom('principals').select('kind').where('id', '=', id).executeTakeFirst())?.kind ?? 'Unknown';

  // Built-in role definitions are the same everywhere: readable by any signed-in principal.
  armRoute(app, services, {
    method: 'GET',
    path: '/providers/Microsoft.Authorization/roleDefinitions',
    apiVersions: API_VERSIONS.authorization,
    access: 'per-item',
    handler: async (req) => ({ status: 200, body: page(req.raw, services.publicUrl, BUILTIN_ROLES.map((r) => presentRole(r, '')), services.pageSize) }),
  });

  for (const { prefix, scopeOf } of scopes) {
    armRoute(app, services, {
      method: 'GET',
      path: `${prefix}/providers/Microsoft.Authorization/roleDefinitions`,
      apiVersions: API_VERSIONS.authorization,
      access: (req) => ({ action: 'Microsoft.Authorization/roleDefinitions/read', scope: scopeOf(req) }),
      handler: async (req) => ({ status: 200, body: page(req.raw, services.publicUrl, BUILTIN_ROLES.map((r) => presentRole(r, scopeOf(req))), services.pageSize) }),
    });

    armRoute(app, services, {
      method: 'GET',
      path: `${prefix}/providers/Microsoft.Authorization/roleDefinitions/:roleId`,
      apiVersions: API_VERSIONS.authorization,
      access: (req) => ({ action: 'Microsoft.Authorization/roleDefinitions/read', scope: scopeOf(req) }),
      handler: async (req) => {
        const role = findBuiltinRole(req.params.roleId!);
        if (role === undefined) throw new ApiError('ResourceNotFound', `Role definition '${req.params.roleId}' does not exist. Vigil has Azure's built-in roles; list them at .../providers/Microsoft.Authorization/roleDefinitions.`);
        return { status: 200, body: presentRole(role, scopeOf(req)) };
      },
    });

    armRoute(app, services, {
      method: 'PUT',
      path: `${prefix}/providers/Microsoft.Authorization/roleAssignments/:name`,
      apiVersions: API_VERSIONS.authorization,
      body: AssignmentBody,
      access: (req) => ({
        action: 'Microsoft.Authorization/roleAssignments/write',
        scope: scopeOf(req),
        conditions: { assignedRoleDefinitionId: findBuiltinRole(req.body.properties.roleDefinitionId)?.id ?? req.body.properties.roleDefinitionId },
      }),
      handler: async (req) => {
        const { row, created } = await createRoleAssignment(services.db, {
          scope: scopeOf(req), name: req.params.name!, principalId: req.body.properties.principalId,
          roleDefinitionId: req.body.properties.roleDefinitionId, createdBy: req.caller.principalId, now: services.now(),
        });
        return { status: created ? 201 : 200, body: presentRoleAssignment(row, await principalType(row.principal_id)) };
      },
    });

    armRoute(app, services, {
      method: 'GET',
      path: `${prefix}/providers/Microsoft.Authorization/roleAssignments/:name`,
      apiVersions: API_VERSIONS.authorization,
      access: (req) => ({ action: 'Microsoft.Authorization/roleAssignments/read', scope: scopeOf(req) }),
      handler: async (req) => {
        const row = await services.db.selectFrom('role_assignments').selectAll().where('id', '=', roleAssignmentId(scopeOf(req), req.params.name!)).executeTakeFirst();
        if (row === undefined) throw new ApiError('ResourceNotFound', `Role assignment '${req.params.name}' was not found at '${scopeOf(req)}'.`);
        return { status: 200, body: presentRoleAssignment(row, await principalType(row.principal_id)) };
      },
    });

    armRoute(app, services, {
      method: 'DELETE',
      path: `${prefix}/providers/Microsoft.Authorization/roleAssignments/:name`,
      apiVersions: API_VERSIONS.authorization,
      access: (req) => ({ action: 'Microsoft.Authorization/roleAssignments/delete', scope: scopeOf(req) }),
      handler: async (req) => {
        const id = roleAssignmentId(scopeOf(req), req.params.name!);
        const row = await services.db.selectFrom('role_assignments').selectAll().where('id', '=', id).executeTakeFirst();
        if (row === undefined) return { status: 204 };
        await services.db.deleteFrom('role_assignments').where('id', '=', id).execute();
        return { status: 200, body: presentRoleAssignment(row, await principalType(row.principal_id)) };
      },
    });

    // Assignments at the scope, above it and below it, each authorized on its own scope.
    armRoute(app, services, {
      method: 'GET',
      path: `${prefix}/providers/Microsoft.Authorization/roleAssignments`,
      apiVersions: API_VERSIONS.authorization,
      access: 'per-item',
      handler: async (req) => {
        const scope = scopeOf(req);
        const rows = await services.db.selectFrom('role_assignments').selectAll()
          .where('subscription_id', '=', req.params.subscriptionId!.toLowerCase()).orderBy('created_at').execute();
        const related = rows.filter((r) => scopeContains(r.scope, scope) || scopeContains(scope, r.scope));
        const visible = [];
        for (const r of related) {
          if ((await authorize(ctx, req.caller, 'Microsoft.Authorization/roleAssignments/read', r.scope)).allowed) {
            visible.push(presentRoleAssignment(r, await principalType(r.principal_id)));
          }
        }
        return { status: 200, body: page(req.raw, services.publicUrl, visible, services.pageSize) };
      },
    });
  }
}
