// Azure Lighthouse on ARM's paths: registrationDefinitions and registrationAssignments at
// subscription or resource-group scope.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { inTransaction } from '../db/database.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { page } from './paging.ts';
import { completedOperation } from './lro.ts';
import { authorize } from '../access/authorize.ts';
import { requireOnboardingRights } from '../access/onboarding.ts';
import { RegistrationDefinitionProperties } from '../access/lighthouse-rules.ts';
import { resourceGroupScope, subscriptionScope } from '../arm/resource-id.ts';
import { ApiError } from '../errors.ts';
import {
  assignmentId, definitionId, deleteRegistrationAssignment, deleteRegistrationDefinition,
  presentAssignment, presentDefinition, upsertRegistrationAssignment, upsertRegistrationDefinition,
  type RegistrationDefinition,
} from '../control/delegations.ts';

const DefinitionBody = z.object({ properties: RegistrationDefinitionProperties, plan: z.unknown().optional() }).passthrough();
const AssignmentBody = z.object({ properties: z.object({ registrationDefinitionId: z.string().min(1) }).passthrough() }).passthrough();

export function registerManagedServicesRoutes(app: FastifyInstance, services: Services): void {
  const ctx = { db: services.db, now: services.now };
  const scopes = [
    { prefix: '/subscriptions/:subscriptionId', scopeOf: (req: ArmRequest) => subscriptionScope(req.params.subscriptionId!) },
    { prefix: '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName', scopeOf: (req: ArmRequest) => resourceGroupScope(req.params.subscriptionId!, req.params.resourceGroupName!) },
  ];
  const tenantName = async (id: string) => (await services.db.selectFrom('directories').select('display_name').where('id', '=', id).executeTakeFirst())?.display_name;
  const present = async (row: RegistrationDefinition) => presentDefinition(row, await tenantName(row.managed_by_tenant_id));

  for (const { prefix, scopeOf } of scopes) {
    const defPath = `${prefix}/providers/Microsoft.ManagedServices/registrationDefinitions`;
    const asgPath = `${prefix}/providers/Microsoft.ManagedServices/registrationAssignments`;

    armRoute(app, services, {
      method: 'PUT',
      path: `${defPath}/:name`,
      apiVersions: API_VERSIONS.managedServices,
      body: DefinitionBody,
      access: (req) => ({ action: 'Microsoft.ManagedServices/registrationDefinitions/write', scope: definitionId(scopeOf(req), req.params.name!) }),
      etag: async (req) => (await services.db.selectFrom('registration_definitions').select('etag').where('id', '=', definitionId(scopeOf(req), req.params.name!)).executeTakeFirst())?.etag,
      handler: async (req) => {
        await requireOnboardingRights(ctx, req.caller, scopeOf(req), req.grant);
        const { row, created } = await inTransaction(services.db, (trx) =>
          upsertRegistrationDefinition(trx, scopeOf(req), req.params.name!, req.body.properties, req.caller.name, services.now()));
        const headers = await completedOperation(services, req, row.id);
        return { status: created ? 201 : 200, body: await present(row), headers };
      },
    });

    armRoute(app, services, {
      method: 'GET',
      path: `${defPath}/:name`,
      apiVersions: API_VERSIONS.managedServices,
      access: (req) => ({ action: 'Microsoft.ManagedServices/registrationDefinitions/read', scope: definitionId(scopeOf(req), req.params.name!) }),
      handler: async (req) => {
        const row = await services.db.selectFrom('registration_definitions').selectAll().where('id', '=', definitionId(scopeOf(req), req.params.name!)).executeTakeFirst();
        if (row === undefined) throw new ApiError('ResourceNotFound', `Registration definition '${req.params.name}' was not found at '${scopeOf(req)}'.`);
        return { status: 200, body: await present(row) };
      },
    });

    armRoute(app, services, {
      method: 'DELETE',
      path: `${defPath}/:name`,
      apiVersions: API_VERSIONS.managedServices,
      access: (req) => ({ action: 'Microsoft.ManagedServices/registrationDefinitions/delete', scope: definitionId(scopeOf(req), req.params.name!) }),
      handler: async (req) => {
        const deleted = await deleteRegistrationDefinition(services.db, definitionId(scopeOf(req), req.params.name!));
        return { status: deleted ? 200 : 204 };
      },
    });

    armRoute(app, services, {
      method: 'GET',
      path: defPath,
      apiVersions: API_VERSIONS.managedServices,
      access: (req) => ({ action: 'Microsoft.ManagedServices/registrationDefinitions/read', scope: scopeOf(req) }),
      handler: async (req) => {
        const rows = await services.db.selectFrom('registration_definitions').selectAll().where('scope', '=', scopeOf(req)).orderBy('created_at').execute();
        return { status: 200, body: page(req.raw, services.publicUrl, await Promise.all(rows.map(present)), services.pageSize) };
      },
    });

    armRoute(app, services, {
      method: 'PUT',
      path: `${asgPath}/:name`,
      apiVersions: API_VERSIONS.managedServices,
      body: AssignmentBody,
      access: (req) => ({ action: 'Microsoft.ManagedServices/registrationAssignments/write', scope: assignmentId(scopeOf(req), req.params.name!) }),
      handler: async (req) => {
        await requireOnboardingRights(ctx, req.caller, scopeOf(req), req.grant);
        const { row, created } = await inTransaction(services.db, (trx) =>
          upsertRegistrationAssignment(trx, scopeOf(req), req.params.name!, req.body.properties.registrationDefinitionId, req.caller.name, services.now()));
        const headers = await completedOperation(services, req, row.id);
        return { status: created ? 201 : 200, body: presentAssignment(row), headers };
      },
    });

    armRoute(app, services, {
      method: 'GET',
      path: `${asgPath}/:name`,
      apiVersions: API_VERSIONS.managedServices,
      access: (req) => ({ action: 'Microsoft.ManagedServices/registrationAssignments/read', scope: assignmentId(scopeOf(req), req.params.name!) }),
      handler: async (req) => {
        const row = await services.db.selectFrom('registration_assignments').selectAll().where('id', '=', assignmentId(scopeOf(req), req.params.name!)).executeTakeFirst();
        if (row === undefined) throw new ApiError('ResourceNotFound', `Registration assignment '${req.params.name}' was not found at '${scopeOf(req)}'.`);
        return { status: 200, body: await presentWithDefinition(row, req.query.$expandRegistrationDefinition === 'true') };
      },
    });

    // Revocation: the customer (or a managing principal holding the Registration assignment
    // Delete Role through the delegation) removes the assignment; access through it ends now.
    armRoute(app, services, {
      method: 'DELETE',
      path: `${asgPath}/:name`,
      apiVersions: API_VERSIONS.managedServices,
      access: (req) => ({ action: 'Microsoft.ManagedServices/registrationAssignments/delete', scope: assignmentId(scopeOf(req), req.params.name!) }),
      handler: async (req) => {
        const id = assignmentId(scopeOf(req), req.params.name!);
        const deleted = await deleteRegistrationAssignment(services.db, id);
        if (!deleted) return { status: 204 };
        return { status: 202, headers: await completedOperation(services, req, id) };
      },
    });

    armRoute(app, services, {
      method: 'GET',
      path: asgPath,
      apiVersions: API_VERSIONS.managedServices,
      access: 'per-item',
      handler: async (req) => {
        // Every delegation on the scope and below, each authorized on its own: the customer
        // sees all of them; a managing principal sees the ones it can read.
        const scope = scopeOf(req);
        const rows = await services.db.selectFrom('registration_assignments').selectAll()
          .where((eb) => eb.or([eb('scope', '=', scope), eb('scope', 'like', `${scope}/%`)]))
          .orderBy('created_at').execute();
        const visible = [];
        for (const row of rows) {
          const d = await authorize(ctx, req.caller, 'Microsoft.ManagedServices/registrationAssignments/read', row.id);
          if (d.allowed) visible.push(await presentWithDefinition(row, req.query.$expandRegistrationDefinition === 'true'));
        }
        return { status: 200, body: page(req.raw, services.publicUrl, visible, services.pageSize) };
      },
    });
  }

  async function presentWithDefinition(row: Parameters<typeof presentAssignment>[0], expand: boolean) {
    if (!expand) return presentAssignment(row);
    const def = await services.db.selectFrom('registration_definitions').selectAll().where('id', '=', row.registration_definition_id).executeTakeFirst();
    return presentAssignment(row, def === undefined ? undefined : await present(def));
  }
}
