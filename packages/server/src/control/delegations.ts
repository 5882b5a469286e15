// Lighthouse registration definitions (the offer: who in the managing directory gets which
// roles) and registration assignments (the offer applied to a subscription or resource group).
// Writes are only ever made by a principal of the customer directory who may assign roles
// there (an Owner): the routes and the deployment engine check that before calling in here.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { RegistrationAssignmentTable, RegistrationDefinitionTable } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { canonicalId, isGuid, parseScope } from '../arm/resource-id.ts';
import { checkRegistrationDefinition, type RegistrationDefinitionInput } from '../access/lighthouse-rules.ts';
import { MANAGED_SERVICES, requireRegistered } from './providers.ts';
import type { Authorization, EligibleAuthorization } from '../access/delegation-types.ts';

export type RegistrationDefinition = RegistrationDefinitionTable;
export type RegistrationAssignment = RegistrationAssignmentTable;

export const DEFINITIONS = 'providers/microsoft.managedservices/registrationdefinitions';
export const ASSIGNMENTS = 'providers/microsoft.managedservices/registrationassignments';

export function definitionId(scope: string, name: string): string {
  return canonicalId(`${scope}/${DEFINITIONS}/${name}`);
}
export function assignmentId(scope: string, name: string): string {
  return canonicalId(`${scope}/${ASSIGNMENTS}/${name}`);
}

function requireGuidName(name: string, what: string): void {
  if (!isGuid(name)) {
    throw new ApiError('InvalidParameter', `The ${what} name '${name}' must be a GUID (the Lighthouse templates use guid(...) of the offer name).`, { target: 'name' });
  }
}

async function ownerDirectoryOf(db: Db, subscriptionId: string): Promise<string> {
  const sub = await db.selectFrom('subscriptions').select('directory_id').where('id', '=', subscriptionId).executeTakeFirst();
  if (sub === undefined) throw new ApiError('SubscriptionNotFound', `Subscription '${subscriptionId}' was not found.`);
  return sub.directory_id;
}

async function requireScopeExists(db: Db, scope: string): Promise<{ subscriptionId: string }> {
  const parsed = parseScope(scope, 'scope');
  if (parsed.providerPath.length > 0) {
    throw new ApiError('InvalidParameter', `Lighthouse delegations apply to a subscription or a resource group, not to '${scope}'.`, { target: 'scope' });
  }
  if (parsed.resourceGroup !== undefined) {
    const rg = await db.selectFrom('resource_groups').select('id').where('id', '=', canonicalId(scope)).executeTakeFirst();
    if (rg === undefined) throw new ApiError('ResourceGroupNotFound', `Resource group '${parsed.resourceGroup}' does not exist in subscription '${parsed.subscriptionId}'. Create it before delegating it.`, { target: 'scope' });
  }
  return { subscriptionId: parsed.subscriptionId };
}

export async function upsertRegistrationDefinition(
  db: Db, scope: string, name: string, input: RegistrationDefinitionInput, createdBy: string, now: Date,
): Promise<{ row: RegistrationDefinition; created: boolean }> {
  requireGuidName(name, 'registration definition');
  const { subscriptionId } = await requireScopeExists(db, scope);
  await requireRegistered(db, subscriptionId, MANAGED_SERVICES);
  const customer = await ownerDirectoryOf(db, subscriptionId);
  const checked = await checkRegistrationDefinition(db, customer, input);
  const id = definitionId(scope, name);
  const stamp = now.toISOString();
  const existing = await db.selectFrom('registration_definitions').selectAll().where('id', '=', id).executeTakeFirst();
  const values = {
    registration_definition_name: input.registrationDefinitionName,
    description: input.description ?? '',
    managed_by_tenant_id: checked.managedByTenantId,
    authorizations: JSON.stringify(checked.authorizations),
    eligible_authorizations: JSON.stringify(checked.eligibleAuthorizations),
    etag: randomUUID(),
    updated_at: stamp,
  };
  if (existing !== undefined) {
    if (existing.managed_by_tenant_id !== checked.managedByTenantId) {
      throw new ApiError('Conflict', `Registration definition '${name}' is for managing tenant '${existing.managed_by_tenant_id}'; it cannot be moved to '${checked.managedByTenantId}'. Create a new definition (a new offer name) instead.`, { target: 'properties.managedByTenantId' });
    }
    await db.updateTable('registration_definitions').set(values).where('id', '=', id).execute();
    return { row: { ...existing, ...values }, created: false };
  }
  const row: RegistrationDefinition = {
    id, name: name.toLowerCase(), scope: canonicalId(scope), subscription_id: subscriptionId, ...values, created_at: stamp, created_by: createdBy,
  };
  await db.insertInto('registration_definitions').values(row).execute();
  return { row, created: true };
}

export async function upsertRegistrationAssignment(
  db: Db, scope: string, name: string, registrationDefinitionId: string, createdBy: string, now: Date,
): Promise<{ row: RegistrationAssignment; created: boolean }> {
  requireGuidName(name, 'registration assignment');
  const { subscriptionId } = await requireScopeExists(db, scope);
  await requireRegistered(db, subscriptionId, MANAGED_SERVICES);
  const defId = canonicalId(registrationDefinitionId);
  const definition = await db.selectFrom('registration_definitions').select(['id', 'subscription_id', 'scope']).where('id', '=', defId).executeTakeFirst();
  if (definition === undefined) {
    throw new ApiError('InvalidParameter', `properties.registrationDefinitionId '${registrationDefinitionId}' does not name an existing registration definition. Create the definition first (PUT .../providers/Microsoft.ManagedServices/registrationDefinitions/{guid}).`, { target: 'properties.registrationDefinitionId' });
  }
  if (definition.subscription_id !== subscriptionId) {
    throw new ApiError('InvalidParameter', `The registration definition belongs to subscription '${definition.subscription_id}'; an assignment can only use a definition of its own subscription.`, { target: 'properties.registrationDefinitionId' });
  }
  const id = assignmentId(scope, name);
  const existing = await db.selectFrom('registration_assignments').selectAll().where('id', '=', id).executeTakeFirst();
  if (existing !== undefined) {
    if (existing.registration_definition_id !== defId) {
      throw new ApiError('Conflict', `Registration assignment '${name}' already points to another definition. Delete it and create a new assignment.`, { target: 'properties.registrationDefinitionId' });
    }
    return { row: existing, created: false };
  }
  const row: RegistrationAssignment = {
    id, name: name.toLowerCase(), scope: canonicalId(scope), subscription_id: subscriptionId,
    registration_definition_id: defId, etag: randomUUID(), created_at: now.toISOString(), created_by: createdBy,
  };
  await db.insertInto('registration_assignments').values(row).execute();
  return { row, created: true };
}

/** Revocation: removes the assignment; active just-in-time activations through it end with it. */
export async function deleteRegistrationAssignment(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('registration_assignments').where('id', '=', canonicalId(id)).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteRegistrationDefinition(db: Db, id: string): Promise<boolean> {
  const inUse = await db.selectFrom('registration_assignments').select('id').where('registration_definition_id', '=', canonicalId(id)).executeTakeFirst();
  if (inUse !== undefined) {
    throw new ApiError('Conflict', `The registration definition is still used by assignment '${inUse.id}'. Delete its assignments first.`, { target: id });
  }
  const result = await db.deleteFrom('registration_definitions').where('id', '=', canonicalId(id)).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export function presentDefinition(row: RegistrationDefinition, managedByTenantName: string | undefined) {
  const scopePath = displayScope(row.scope);
  return {
    id: `${scopePath}/providers/Microsoft.ManagedServices/registrationDefinitions/${row.name}`,
    name: row.name,
    type: 'Microsoft.ManagedServices/registrationDefinitions',
    etag: `"${row.etag}"`,
    systemData: { createdBy: row.created_by, createdAt: row.created_at, lastModifiedAt: row.updated_at },
    properties: {
      registrationDefinitionName: row.registration_definition_name,
      description: row.description,
      managedByTenantId: row.managed_by_tenant_id,
      managedByTenantName,
      authorizations: JSON.parse(row.authorizations) as Authorization[],
      eligibleAuthorizations: JSON.parse(row.eligible_authorizations) as EligibleAuthorization[],
      provisioningState: 'Succeeded',
    },
  };
}

export function presentAssignment(row: RegistrationAssignment, definition?: ReturnType<typeof presentDefinition>) {
  const body = {
    id: `${displayScope(row.scope)}/providers/Microsoft.ManagedServices/registrationAssignments/${row.name}`,
    name: row.name,
    type: 'Microsoft.ManagedServices/registrationAssignments',
    etag: `"${row.etag}"`,
    systemData: { createdBy: row.created_by, createdAt: row.created_at },
    properties: {
      registrationDefinitionId: `${displayScope(row.registration_definition_id.split('/providers/')[0]!)}/providers/Microsoft.ManagedServices/registrationDefinitions/${row.registration_definition_id.split('/').pop()}`,
      provisioningState: 'Succeeded',
    } as Record<string, unknown>,
  };
  if (definition !== undefined) body.properties.registrationDefinition = definition;
  return body;
}

/** /subscriptions/x/resourcegroups/rg -> /subscriptions/x/resourceGroups/rg (ARM's casing). */
function displayScope(scope: string): string {
  return scope.replace('/resourcegroups/', '/resourceGroups/');
}
