// Just-in-time activation of eligible Lighthouse roles, shaped like Azure PIM's
// roleAssignmentScheduleRequests (requestType SelfActivate). Approval is Vigil's own verb on
// the request: POST .../roleAssignmentScheduleRequests/{name}/approve (or /deny).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { JIT_APPROVAL, JIT_REQUEST_READ, JIT_REQUEST_WRITE, authorize } from '../access/authorize.ts';
import { resourceGroupScope, subscriptionScope } from '../arm/resource-id.ts';
import { ApiError } from '../errors.ts';
import { decideActivation, effectiveStatus, requestActivation, type Activation } from '../control/eligibility.ts';
import { isGuid } from '../arm/resource-id.ts';

const RequestBody = z.object({
  properties: z.object({
    principalId: z.string(),
    roleDefinitionId: z.string(),
    requestType: z.literal('SelfActivate', { message: "requestType must be 'SelfActivate'" }),
    justification: z.string(),
    scheduleInfo: z.object({
      startDateTime: z.string().optional(),
      expiration: z.object({ type: z.literal('AfterDuration'), duration: z.string() }),
    }),
  }).passthrough(),
}).passthrough();

/** A just-in-time request as Azure PIM's roleAssignmentScheduleRequests presents one, at the delegated scope. */
export function presentActivation(scope: string, a: Activation, now: Date) {
  const scopeId = scope.replace('/resourcegroups/', '/resourceGroups/');
  return {
    id: `${scopeId}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${a.id}`,
    name: a.id,
    type: 'Microsoft.Authorization/roleAssignmentScheduleRequests',
    properties: {
      scope: scopeId,
      principalId: a.principal_id,
      roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${a.role_definition_id}`,
      requestType: 'SelfActivate',
      status: (() => { const s = effectiveStatus(a, now); return s === 'Active' ? 'Provisioned' : s; })(),
      justification: a.justification,
      createdOn: a.requested_at,
      approvedBy: a.decided_by,
      scheduleInfo: { startDateTime: a.starts_at, expiration: { type: 'AfterDuration', duration: a.requested_duration, endDateTime: a.expires_at } },
    },
  };
}

export function registerEligibilityRoutes(app: FastifyInstance, services: Services): void {
  const scopes = [
    { prefix: '/subscriptions/:subscriptionId', scopeOf: (r: ArmRequest) => subscriptionScope(r.params.subscriptionId!) },
    { prefix: '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName', scopeOf: (r: ArmRequest) => resourceGroupScope(r.params.subscriptionId!, r.params.resourceGroupName!) },
  ];
  const present = (scope: string, a: Activation) => presentActivation(scope, a, services.now());
  for (const { prefix, scopeOf } of scopes) {
    const path = `${prefix}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/:name`;
    armRoute(app, services, {
      method: 'PUT',
      path,
      apiVersions: API_VERSIONS.authorization,
      body: RequestBody,
      access: (req) => ({ action: JIT_REQUEST_WRITE, scope: scopeOf(req) }),
      handler: async (req) => {
        if (!isGuid(req.params.name)) throw new ApiError('InvalidParameter', `The request name '${req.params.name}' must be a GUID.`, { target: 'name' });
        if (req.grant?.kind !== 'delegated') {
          throw new ApiError('InvalidJustInTimeRequest', 'Eligible (just-in-time) roles come from Lighthouse delegations to your directory; this scope is not delegated to you with an eligible role.');
        }
        const p = req.body.properties;
        const row = await requestActivation(services.db, req.caller, req.grant.registrationAssignmentId, {
          roleDefinitionId: p.roleDefinitionId, principalId: p.principalId, justification: p.justification, duration: p.scheduleInfo.expiration.duration, name: req.params.name!,
        }, services.now());
        return { status: 201, body: present(scopeOf(req), row) };
      },
    });

    armRoute(app, services, {
      method: 'GET',
      path,
      apiVersions: API_VERSIONS.authorization,
      access: 'per-item',
      handler: async (req) => {
        const row = await services.db.selectFrom('eligible_activations').selectAll().where('id', '=', req.params.name!.toLowerCase()).executeTakeFirst();
        // The requester reads their own request; the approvers named for it read it too.
        const ctx = { db: services.db, now: services.now };
        const readable = row !== undefined && (
          (row.principal_id === req.caller.principalId && (await authorize(ctx, req.caller, JIT_REQUEST_READ, scopeOf(req))).allowed)
          || (await authorize(ctx, req.caller, JIT_APPROVAL, scopeOf(req))).allowed);
        if (!readable) throw new ApiError('ResourceNotFound', `Activation request '${req.params.name}' was not found.`);
        return { status: 200, body: present(scopeOf(req), row!) };
      },
    });

    for (const verb of ['approve', 'deny'] as const) {
      armRoute(app, services, {
        method: 'POST',
        path: `${path}/${verb}`,
        apiVersions: API_VERSIONS.authorization,
        access: (req) => ({ action: JIT_APPROVAL, scope: scopeOf(req) }),
        handler: async (req) => {
          const row = await decideActivation(services.db, req.caller, req.params.name!, verb === 'approve', services.now());
          return { status: 200, body: present(scopeOf(req), row) };
        },
      });
    }
  }
}
