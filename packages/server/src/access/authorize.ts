// The one authorization function. Every route calls authorize(); nothing else decides access.
// Deny by default: access comes only from a role assignment in the directory that owns the
// scope (the caller signed in there), or from a Lighthouse delegation of that scope to the
// caller's own directory (a standing authorization, or an active just-in-time activation).
import type { Db } from '../db/database.ts';
import { scopeChain, parseScope } from '../arm/resource-id.ts';
import { findBuiltinRole, type RoleDefinition } from './builtin-roles.ts';
import { roleAllowsAction, roleAllowsDataAction } from './action-match.ts';
import { type Caller, callerIdentities } from './caller.ts';
import type { Authorization, EligibleAuthorization } from './delegation-types.ts';

export type Grant =
  | { kind: 'direct'; roleDefinitionId: string; roleAssignmentId: string; scope: string }
  | {
      kind: 'delegated';
      roleDefinitionId: string;
      registrationAssignmentId: string;
      registrationDefinitionId: string;
      managedByTenantId: string;
      /** Set when the grant is an active just-in-time activation of an eligible authorization. */
      activationId?: string;
    };

export type Decision =
  | { allowed: true; grant: Grant; ownerDirectoryId: string }
  | { allowed: false; reason: string; ownerDirectoryId: string | undefined };

export interface AuthorizeConditions {
  /** The action is a data action (data plane, e.g. Microsoft.Insights/Telemetry/Write): checked against dataActions. */
  dataAction?: boolean;
  /** For role-assignment writes: the role being assigned (delegated User Access Administrator is limited to its delegatedRoleDefinitionIds). */
  assignedRoleDefinitionId?: string;
}

export interface AccessContext {
  db: Db;
  now: () => Date;
}

const ROLE_ASSIGNMENT_WRITE = 'microsoft.authorization/roleassignments/write';
export const JIT_REQUEST_WRITE = 'Microsoft.Authorization/roleAssignmentScheduleRequests/write';
export const JIT_REQUEST_READ = 'Microsoft.Authorization/roleAssignmentScheduleRequests/read';
export const JIT_APPROVAL = 'Microsoft.Authorization/roleAssignmentApprovals/write';

/**
 * One thing that gives the caller access at a scope, as authorize() weighs it: a role assignment
 * of the scope's own directory, a standing Lighthouse authorization, an eligible authorization
 * (which lets its principal ask for activation, nothing else), the approver role of one (which
 * lets its approvers decide requests), or an active just-in-time activation.
 */
export type ScopeGrant = { grant: Grant; scope: string; principalId: string } & (
  | { source: 'direct' | 'delegated' | 'activated'; role: RoleDefinition; delegatedRoleIds?: string[] }
  | { source: 'eligible' | 'approver'; role: undefined; actions: string[] });

export type ScopeGrants =
  | { known: true; ownerDirectoryId: string; grants: ScopeGrant[]; noneReason: string }
  | { known: false; reason: string };

/** Reading one's own permissions at a scope needs only some access there (any grant), as in Azure. */
export const PERMISSIONS_READ = 'Microsoft.Authorization/permissions/read';

/**
 * Everything that gives the caller access at the scope, in the order authorize() tries it. With
 * `enough`, the (last, extra) query of just-in-time activations is skipped once an earlier grant
 * satisfies it: authorize() needs only the first grant that allows the action.
 */
export async function scopeGrants(ctx: AccessContext, caller: Caller, scope: string, enough?: (g: ScopeGrant) => boolean): Promise<ScopeGrants> {
  let subscriptionId: string;
  try {
    subscriptionId = parseScope(scope).subscriptionId;
  } catch {
    return { known: false, reason: `'${scope}' is not a scope Vigil can authorize` };
  }
  const subscription = await ctx.db.selectFrom('subscriptions').select('directory_id').where('id', '=', subscriptionId).executeTakeFirst();
  if (subscription === undefined) {
    return { known: false, reason: 'the subscription does not exist' };
  }
  const owner = subscription.directory_id;
  const chain = scopeChain(scope);
  const identities = callerIdentities(caller);
  const grants: ScopeGrant[] = [];

  if (caller.directoryId === owner) {
    const assignments = await ctx.db.selectFrom('role_assignments')
      .select(['id', 'role_definition_id', 'scope', 'principal_id'])
      .where('scope', 'in', chain)
      .where('principal_id', 'in', identities)
      .execute();
    for (const a of assignments) {
      const role = findBuiltinRole(a.role_definition_id);
      if (role !== undefined) grants.push({ source: 'direct', role, scope: a.scope, principalId: a.principal_id, grant: { kind: 'direct', roleDefinitionId: role.id, roleAssignmentId: a.id, scope: a.scope } });
    }
    return { known: true, ownerDirectoryId: owner, grants, noneReason: 'no role assignment at this scope or above grants the action' };
  }

  // Delegated: the caller's own directory manages this scope through a registration assignment.
  const delegations = await ctx.db.selectFrom('registration_assignments')
    .innerJoin('registration_definitions', 'registration_definitions.id', 'registration_assignments.registration_definition_id')
    .select([
      'registration_assignments.id as assignmentId',
      'registration_assignments.scope as scope',
      'registration_definitions.id as definitionId',
      'registration_definitions.authorizations as authorizations',
      'registration_definitions.eligible_authorizations as eligibleAuthorizations',
    ])
    .where('registration_assignments.scope', 'in', chain)
    .where('registration_definitions.managed_by_tenant_id', '=', caller.directoryId)
    .execute();
  if (delegations.length === 0) {
    return { known: true, ownerDirectoryId: owner, grants, noneReason: 'the scope belongs to another directory and is not delegated to yours' };
  }
  const delegated = (d: (typeof delegations)[number], roleDefinitionId: string, activationId?: string): Grant => ({
    kind: 'delegated', roleDefinitionId, registrationAssignmentId: d.assignmentId, registrationDefinitionId: d.definitionId, managedByTenantId: caller.directoryId,
    ...(activationId === undefined ? {} : { activationId }),
  });
  for (const d of delegations) {
    for (const auth of JSON.parse(d.authorizations) as Authorization[]) {
      if (!identities.includes(auth.principalId.toLowerCase())) continue;
      const role = findBuiltinRole(auth.roleDefinitionId);
      if (role !== undefined) grants.push({ source: 'delegated', role, scope: d.scope, principalId: auth.principalId.toLowerCase(), grant: delegated(d, role.id), ...(auth.delegatedRoleDefinitionIds === undefined ? {} : { delegatedRoleIds: auth.delegatedRoleDefinitionIds }) });
    }
  }
  // Eligible (just-in-time) principals may ask to activate their role, and the approvers the
  // customer named may decide such requests; the eligible role itself grants nothing until active.
  for (const d of delegations) {
    for (const e of JSON.parse(d.eligibleAuthorizations) as EligibleAuthorization[]) {
      if (identities.includes(e.principalId.toLowerCase())) {
        grants.push({ source: 'eligible', role: undefined, scope: d.scope, principalId: e.principalId.toLowerCase(), actions: [JIT_REQUEST_WRITE, JIT_REQUEST_READ], grant: delegated(d, e.roleDefinitionId) });
      }
    }
  }
  for (const d of delegations) {
    for (const e of JSON.parse(d.eligibleAuthorizations) as EligibleAuthorization[]) {
      const approver = (e.justInTimeAccessPolicy.managedByTenantApprovers ?? []).find((a) => identities.includes(a.principalId.toLowerCase()));
      if (approver !== undefined) {
        grants.push({ source: 'approver', role: undefined, scope: d.scope, principalId: approver.principalId.toLowerCase(), actions: [JIT_APPROVAL], grant: delegated(d, e.roleDefinitionId) });
      }
    }
  }
  const noneReason = 'no delegated authorization for you grants the action at this scope';
  if (enough !== undefined && grants.some(enough)) return { known: true, ownerDirectoryId: owner, grants, noneReason };
  // Just-in-time: an approved activation of an eligible authorization, not yet expired.
  const nowIso = ctx.now().toISOString();
  const activations = await ctx.db.selectFrom('eligible_activations')
    .select(['id', 'registration_assignment_id', 'role_definition_id'])
    .where('registration_assignment_id', 'in', delegations.map((d) => d.assignmentId))
    .where('principal_id', '=', caller.principalId)
    .where('status', '=', 'Active')
    .where('starts_at', '<=', nowIso)
    .where('expires_at', '>', nowIso)
    .execute();
  for (const act of activations) {
    const role = findBuiltinRole(act.role_definition_id);
    const d = delegations.find((x) => x.assignmentId === act.registration_assignment_id);
    if (role !== undefined && d !== undefined) grants.push({ source: 'activated', role, scope: d.scope, principalId: caller.principalId, grant: delegated(d, role.id, act.id) });
  }
  return { known: true, ownerDirectoryId: owner, grants, noneReason };
}

export async function authorize(
  ctx: AccessContext,
  caller: Caller,
  action: string,
  scope: string,
  conditions: AuthorizeConditions = {},
): Promise<Decision> {
  const wanted = action.toLowerCase();
  // Whether a grant allows the action (reading one's own permissions needs only some grant).
  const allowsIt = (g: ScopeGrant): boolean => (wanted === PERMISSIONS_READ.toLowerCase() && conditions.dataAction !== true
    ? true
    : g.role === undefined
      ? conditions.dataAction !== true && g.actions.some((a) => a.toLowerCase() === wanted)
      : allows(g.role, action, conditions, g.delegatedRoleIds));
  const found = await scopeGrants(ctx, caller, scope, allowsIt);
  if (!found.known) return { allowed: false, reason: found.reason, ownerDirectoryId: undefined };
  const first = found.grants.find(allowsIt);
  if (first !== undefined) return { allowed: true, grant: first.grant, ownerDirectoryId: found.ownerDirectoryId };
  return { allowed: false, reason: found.noneReason, ownerDirectoryId: found.ownerDirectoryId };
}

function allows(role: RoleDefinition, action: string, conditions: AuthorizeConditions, delegatedRoleIds: string[] | undefined): boolean {
  if (conditions.dataAction === true) return roleAllowsDataAction(role, action);
  if (!roleAllowsAction(role, action)) return false;
  // A delegated User Access Administrator may only assign the roles the customer listed.
  if (delegatedRoleIds !== undefined && action.toLowerCase() === ROLE_ASSIGNMENT_WRITE) {
    const assigned = conditions.assignedRoleDefinitionId?.toLowerCase();
    return assigned !== undefined && delegatedRoleIds.some((id) => id.toLowerCase() === assigned);
  }
  return true;
}
