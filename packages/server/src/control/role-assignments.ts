// Role assignments: a principal of the directory gets a built-in role at a scope (subscription,
// resource group or resource) and everything below it.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { RoleAssignmentTable } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { canonicalId, isGuid, parseScope } from '../arm/resource-id.ts';
import { findBuiltinRole } from '../access/builtin-roles.ts';

export type RoleAssignment = RoleAssignmentTable;

export function roleAssignmentId(scope: string, name: string): string {
  return canonicalId(`${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`);
}

export async function createRoleAssignment(
  db: Db,
  input: { scope: string; name?: string; principalId: string; roleDefinitionId: string; createdBy: string; now: Date },
): Promise<{ row: RoleAssignment; created: boolean }> {
  const name = (input.name ?? randomUUID()).toLowerCase();
  if (!isGuid(name)) throw new ApiError('InvalidParameter', `The role assignment name '${name}' must be a GUID.`, { target: 'name' });
  const { subscriptionId } = parseScope(input.scope, 'scope');
  const sub = await db.selectFrom('subscriptions').select('directory_id').where('id', '=', subscriptionId).executeTakeFirst();
  if (sub === undefined) throw new ApiError('SubscriptionNotFound', `Subscription '${subscriptionId}' was not found.`);
  const role = findBuiltinRole(input.roleDefinitionId);
  if (role === undefined) {
    throw new ApiError('RoleDefinitionNotFound', `The role definition '${input.roleDefinitionId}' does not exist. Use a built-in role id; GET /subscriptions/{id}/providers/Microsoft.Authorization/roleDefinitions lists them.`, { target: 'properties.roleDefinitionId' });
  }
  const principal = isGuid(input.principalId)
    ? await db.selectFrom('principals').select(['id', 'directory_id']).where('id', '=', input.principalId.toLowerCase()).executeTakeFirst()
    : undefined;
  if (principal === undefined || principal.directory_id !== sub.directory_id) {
    throw new ApiError('PrincipalNotFound', `Principal '${input.principalId}' does not exist in the directory '${sub.directory_id}' that owns this scope. Role assignments name users, groups or service principals of that directory (invite a user as a guest first).`, { target: 'properties.principalId' });
  }
  const scope = canonicalId(input.scope);
  const existing = await db.selectFrom('role_assignments').selectAll()
    .where('scope', '=', scope).where('principal_id', '=', principal.id).where('role_definition_id', '=', role.id).executeTakeFirst();
  if (existing !== undefined) return { row: existing, created: false };
  const row: RoleAssignment = {
    id: roleAssignmentId(scope, name), name, scope, subscription_id: subscriptionId, principal_id: principal.id,
    role_definition_id: role.id, created_at: input.now.toISOString(), created_by: input.createdBy,
  };
  const clash = await db.selectFrom('role_assignments').select('id').where('id', '=', row.id).executeTakeFirst();
  if (clash !== undefined) throw new ApiError('Conflict', `A different role assignment named '${name}' already exists at this scope. Role assignments cannot be changed; delete it and create a new one.`);
  await db.insertInto('role_assignments').values(row).execute();
  return { row, created: true };
}

export function presentRoleAssignment(row: RoleAssignment, principalType: string) {
  const scopeDisplay = row.scope.replace('/resourcegroups/', '/resourceGroups/');
  return {
    id: `${scopeDisplay}/providers/Microsoft.Authorization/roleAssignments/${row.name}`,
    name: row.name,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: {
      roleDefinitionId: `/subscriptions/${row.subscription_id}/providers/Microsoft.Authorization/roleDefinitions/${row.role_definition_id}`,
      principalId: row.principal_id,
      principalType,
      scope: scopeDisplay,
      createdOn: row.created_at,
      createdBy: row.created_by,
    },
  };
}
