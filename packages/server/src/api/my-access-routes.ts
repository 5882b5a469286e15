// The caller's own access and the managing side of Azure Lighthouse, in Azure's shapes. All of
// it is read from scopeGrants(), the data authorize() decides with, so what these lists say a
// caller holds is exactly what authorize() lets them do:
// - GET {scope}/providers/Microsoft.Authorization/permissions: the caller's allowed actions at a
//   scope ([{actions, notActions, dataActions, notDataActions}], one per grant), which the
//   Azure portal asks to decide what to offer; refused where the caller has no access at all.
// - GET /providers/Microsoft.ManagedServices/registrationAssignments: Azure Lighthouse's
//   "My customers": every delegation to the caller's directory through which the caller holds an
//   authorization, an eligible authorization or the approver role, with its definition
//   (manageeTenantId and manageeTenantName name the customer, as Azure's expanded definition does).
// - GET /providers/Microsoft.Authorization/roleEligibilityScheduleInstances?$filter=asTarget():
//   the caller's eligible (just-in-time) roles through delegations, as Azure PIM's "My roles".
// - GET /providers/Microsoft.Authorization/roleAssignmentScheduleInstances?$filter=asTarget():
//   the caller's active roles: role assignments of their own directory, standing Lighthouse
//   authorizations, and just-in-time activations (assignmentType Activated, with their end).
// - GET /providers/Microsoft.Authorization/roleAssignmentScheduleRequests?$filter=asRequestor()
//   (the caller's own just-in-time requests) or asApprover() (those the caller may decide).
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';
import { armRoute, authorizationFailed, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { page } from './paging.ts';
import { presentActivation } from './eligibility-routes.ts';
import { PERMISSIONS_READ, scopeGrants, type AccessContext, type ScopeGrant } from '../access/authorize.ts';
import { callerIdentities, type Caller } from '../access/caller.ts';
import { findBuiltinRole } from '../access/builtin-roles.ts';
import { canonicalId, parseScope, resourceGroupScope, subscriptionScope } from '../arm/resource-id.ts';
import { presentAssignment, presentDefinition } from '../control/delegations.ts';
import { ApiError } from '../errors.ts';
import { workspaceId } from '../control/workspaces.ts';
import type { RegistrationAssignmentTable } from '../db/schema.ts';

const displayScope = (scope: string) => scope.replace('/resourcegroups/', '/resourceGroups/');

/** A stable GUID for an item that has no row of its own (an instance of a grant). */
function stableGuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function requireFilter(req: ArmRequest, allowed: string[], path: string): string {
  const filter = (req.query.$filter ?? '').replace(/\s+/g, '');
  const match = allowed.find((f) => f.toLowerCase() === filter.toLowerCase());
  if (match === undefined) {
    throw new ApiError('InvalidParameter', `${path} at the root scope lists only your own: add $filter=${allowed.join(' or $filter=')}${req.query.$filter === undefined ? '' : ` (the $filter '${req.query.$filter}' is not supported)`}.`, { target: '$filter' });
  }
  return match;
}

export function registerMyAccessRoutes(app: FastifyInstance, services: Services): void {
  const ctx: AccessContext = { db: services.db, now: services.now };

  // --- The caller's permissions at a scope -----------------------------------------------------
  const scopes = [
    { prefix: '/subscriptions/:subscriptionId', scopeOf: (r: ArmRequest) => subscriptionScope(r.params.subscriptionId!) },
    { prefix: '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName', scopeOf: (r: ArmRequest) => resourceGroupScope(r.params.subscriptionId!, r.params.resourceGroupName!) },
    // A workspace, as the Azure portal asks before offering Sentinel's actions (a role may be assigned on the workspace alone).
    {
      prefix: '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.OperationalInsights/workspaces/:workspaceName',
      scopeOf: (r: ArmRequest) => workspaceId(r.params.subscriptionId!, r.params.resourceGroupName!, r.params.workspaceName!),
    },
  ];
  for (const { prefix, scopeOf } of scopes) {
    armRoute(app, services, {
      method: 'GET',
      path: `${prefix}/providers/Microsoft.Authorization/permissions`,
      apiVersions: API_VERSIONS.authorization,
      // authorize() allows reading one's own permissions wherever the caller holds any grant.
      access: (req) => ({ action: PERMISSIONS_READ, scope: scopeOf(req) }),
      handler: async (req) => {
        const found = await scopeGrants(ctx, req.caller, scopeOf(req));
        if (!found.known) throw authorizationFailed(req.caller, { action: PERMISSIONS_READ, scope: scopeOf(req) }, found.reason);
        const value = found.grants.flatMap((g) => g.role === undefined
          ? [{ actions: g.actions, notActions: [], dataActions: [], notDataActions: [] }]
          : g.role.permissions.map((p) => ({ actions: p.actions, notActions: p.notActions, dataActions: p.dataActions, notDataActions: p.notDataActions })));
        return { status: 200, body: { value } };
      },
    });
  }

  // --- What the caller holds through delegations to their directory ----------------------------
  interface Held { assignment: RegistrationAssignmentTable; grants: ScopeGrant[] }
  async function heldThroughDelegations(caller: Caller): Promise<Held[]> {
    const rows = await services.db.selectFrom('registration_assignments')
      .innerJoin('registration_definitions', 'registration_definitions.id', 'registration_assignments.registration_definition_id')
      .selectAll('registration_assignments')
      .where('registration_definitions.managed_by_tenant_id', '=', caller.directoryId)
      .orderBy('registration_assignments.created_at').execute();
    const byScope = new Map<string, ScopeGrant[]>();
    const out: Held[] = [];
    for (const row of rows) {
      if (!byScope.has(row.scope)) {
        const found = await scopeGrants(ctx, caller, row.scope);
        byScope.set(row.scope, found.known ? found.grants : []);
      }
      const grants = byScope.get(row.scope)!.filter((g) => g.grant.kind === 'delegated' && g.grant.registrationAssignmentId === row.id);
      if (grants.length > 0) out.push({ assignment: row, grants });
    }
    return out;
  }

  const names = {
    directory: async (id: string) => (await services.db.selectFrom('directories').select('display_name').where('id', '=', id).executeTakeFirst())?.display_name,
    subscription: async (id: string) => (await services.db.selectFrom('subscriptions').select('display_name').where('id', '=', id).executeTakeFirst())?.display_name,
    principal: async (id: string) => services.db.selectFrom('principals').select(['display_name', 'kind']).where('id', '=', id).executeTakeFirst(),
  };

  armRoute(app, services, {
    method: 'GET',
    path: '/providers/Microsoft.ManagedServices/registrationAssignments',
    apiVersions: API_VERSIONS.managedServices,
    access: 'per-item',
    handler: async (req) => {
      const held = await heldThroughDelegations(req.caller);
      const expand = req.query.$expandRegistrationDefinition === 'true';
      const bodies = [];
      for (const { assignment } of held) {
        if (!expand) { bodies.push(presentAssignment(assignment)); continue; }
        const def = await services.db.selectFrom('registration_definitions').selectAll().where('id', '=', assignment.registration_definition_id).executeTakeFirstOrThrow();
        const customer = (await services.db.selectFrom('subscriptions').select('directory_id').where('id', '=', parseScope(assignment.scope).subscriptionId).executeTakeFirstOrThrow()).directory_id;
        const presented = presentDefinition(def, await names.directory(def.managed_by_tenant_id));
        const definition = { ...presented, properties: { ...presented.properties, manageeTenantId: customer, manageeTenantName: await names.directory(customer) } };
        bodies.push(presentAssignment(assignment, definition));
      }
      return { status: 200, body: page(req.raw, services.publicUrl, bodies, services.pageSize) };
    },
  });

  async function presentInstance(kind: 'roleEligibilityScheduleInstances' | 'roleAssignmentScheduleInstances', caller: Caller, g: ScopeGrant, extra: Record<string, unknown>) {
    const scope = displayScope(g.scope);
    const parsed = parseScope(g.scope);
    const roleId = g.grant.roleDefinitionId;
    const role = findBuiltinRole(roleId);
    const principal = await names.principal(g.principalId);
    const scopeName = parsed.resourceGroup ?? await names.subscription(parsed.subscriptionId) ?? parsed.subscriptionId;
    return {
      id: `${scope}/providers/Microsoft.Authorization/${kind}/${stableGuid(kind, g.source, g.scope, g.principalId, roleId, g.grant.kind === 'delegated' ? g.grant.registrationAssignmentId : g.grant.roleAssignmentId, g.grant.kind === 'delegated' ? g.grant.activationId ?? '' : '')}`,
      name: '',
      type: `Microsoft.Authorization/${kind}`,
      properties: {
        scope,
        roleDefinitionId: `/subscriptions/${parsed.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`,
        principalId: g.principalId,
        principalType: principal?.kind ?? 'Unknown',
        memberType: callerIdentities(caller).indexOf(g.principalId) === 0 ? 'Direct' : 'Group',
        status: 'Provisioned',
        ...extra,
        expandedProperties: {
          scope: { id: scope, displayName: scopeName, type: parsed.resourceGroup === undefined ? 'subscription' : 'resourcegroup' },
          roleDefinition: { id: `/providers/Microsoft.Authorization/roleDefinitions/${roleId}`, displayName: role?.roleName ?? roleId, type: 'BuiltInRole' },
          principal: { id: g.principalId, displayName: principal?.display_name ?? g.principalId, type: principal?.kind ?? 'Unknown' },
        },
      },
    };
  }
  const named = <T extends { id: string; name: string }>(item: T): T => ({ ...item, name: item.id.split('/').pop()! });

  armRoute(app, services, {
    method: 'GET',
    path: '/providers/Microsoft.Authorization/roleEligibilityScheduleInstances',
    apiVersions: API_VERSIONS.authorization,
    access: 'per-item',
    handler: async (req) => {
      requireFilter(req, ['asTarget()'], 'roleEligibilityScheduleInstances');
      const held = await heldThroughDelegations(req.caller);
      const bodies = [];
      for (const g of held.flatMap((h) => h.grants).filter((x) => x.source === 'eligible')) {
        bodies.push(named(await presentInstance('roleEligibilityScheduleInstances', req.caller, g, { startDateTime: null, endDateTime: null })));
      }
      return { status: 200, body: page(req.raw, services.publicUrl, bodies, services.pageSize) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: '/providers/Microsoft.Authorization/roleAssignmentScheduleInstances',
    apiVersions: API_VERSIONS.authorization,
    access: 'per-item',
    handler: async (req) => {
      requireFilter(req, ['asTarget()'], 'roleAssignmentScheduleInstances');
      const bodies = [];
      // Role assignments of the caller's own directory, each read as authorize() reads it.
      const own = await services.db.selectFrom('role_assignments')
        .innerJoin('subscriptions', 'subscriptions.id', 'role_assignments.subscription_id')
        .select(['role_assignments.scope as scope']).distinct()
        .where('role_assignments.principal_id', 'in', callerIdentities(req.caller))
        .where('subscriptions.directory_id', '=', req.caller.directoryId).execute();
      for (const { scope } of own) {
        const found = await scopeGrants(ctx, req.caller, scope);
        if (!found.known) continue;
        for (const g of found.grants.filter((x) => x.source === 'direct' && canonicalId(x.scope) === canonicalId(scope))) {
          bodies.push(named(await presentInstance('roleAssignmentScheduleInstances', req.caller, g, { assignmentType: 'Assigned', startDateTime: null, endDateTime: null })));
        }
      }
      for (const g of (await heldThroughDelegations(req.caller)).flatMap((h) => h.grants)) {
        if (g.source === 'delegated') {
          bodies.push(named(await presentInstance('roleAssignmentScheduleInstances', req.caller, g, { assignmentType: 'Assigned', startDateTime: null, endDateTime: null })));
        } else if (g.source === 'activated' && g.grant.kind === 'delegated' && g.grant.activationId !== undefined) {
          const act = await services.db.selectFrom('eligible_activations').select(['starts_at', 'expires_at']).where('id', '=', g.grant.activationId).executeTakeFirstOrThrow();
          bodies.push(named(await presentInstance('roleAssignmentScheduleInstances', req.caller, g, {
            assignmentType: 'Activated', startDateTime: act.starts_at, endDateTime: act.expires_at,
            linkedRoleAssignmentScheduleRequestId: `${displayScope(g.scope)}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${g.grant.activationId}`,
          })));
        }
      }
      return { status: 200, body: page(req.raw, services.publicUrl, bodies, services.pageSize) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: '/providers/Microsoft.Authorization/roleAssignmentScheduleRequests',
    apiVersions: API_VERSIONS.authorization,
    access: 'per-item',
    handler: async (req) => {
      const filter = requireFilter(req, ['asRequestor()', 'asApprover()'], 'roleAssignmentScheduleRequests');
      const held = await heldThroughDelegations(req.caller);
      const bodies = [];
      for (const { assignment, grants } of held) {
        const approverOf = new Set(grants.filter((g) => g.source === 'approver').map((g) => g.grant.roleDefinitionId));
        const eligible = grants.some((g) => g.source === 'eligible');
        if (filter === 'asRequestor()' ? !eligible : approverOf.size === 0) continue;
        let q = services.db.selectFrom('eligible_activations').selectAll().where('registration_assignment_id', '=', assignment.id);
        q = filter === 'asRequestor()' ? q.where('principal_id', '=', req.caller.principalId) : q.where('role_definition_id', 'in', [...approverOf]);
        for (const a of await q.orderBy('requested_at', 'desc').execute()) {
          const request = presentActivation(assignment.scope, a, services.now());
          const requester = await names.principal(a.principal_id);
          bodies.push({ ...request, properties: { ...request.properties, expandedProperties: { principal: { id: a.principal_id, displayName: requester?.display_name ?? a.principal_id, type: requester?.kind ?? 'Unknown' } } } });
        }
      }
      bodies.sort((x, y) => y.properties.createdOn.localeCompare(x.properties.createdOn));
      return { status: 200, body: page(req.raw, services.publicUrl, bodies, services.pageSize) };
    },
  });
}
