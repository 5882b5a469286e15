// Resource groups: containers of resources in a subscription, with a location and tags.
import type { Db } from '../db/database.ts';
import type { ResourceGroupTable } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { resourceGroupScope } from '../arm/resource-id.ts';

export type ResourceGroup = ResourceGroupTable;

const NAME = /^[-\w._()]{1,90}$/u;

export function validateResourceGroupName(name: string): void {
  if (!NAME.test(name) || name.endsWith('.')) {
    throw new ApiError('InvalidParameter', `'${name}' is not a valid resource group name: use 1-90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'.`, { target: 'resourceGroupName' });
  }
}

export async function getResourceGroup(db: Db, subscriptionId: string, name: string): Promise<ResourceGroup | undefined> {
  return db.selectFrom('resource_groups').selectAll().where('id', '=', resourceGroupScope(subscriptionId, name)).executeTakeFirst();
}

export async function listResourceGroups(db: Db, subscriptionId: string): Promise<ResourceGroup[]> {
  return db.selectFrom('resource_groups').selectAll().where('subscription_id', '=', subscriptionId.toLowerCase()).orderBy('name').execute();
}

export async function createOrUpdateResourceGroup(
  db: Db, subscriptionId: string, name: string, location: string, tags: Record<string, string>,
): Promise<{ row: ResourceGroup; created: boolean }> {
  const existing = await getResourceGroup(db, subscriptionId, name);
  if (existing !== undefined) {
    if (existing.location !== normaliseLocation(location)) {
      throw new ApiError('InvalidParameter', `Resource group '${existing.name}' already exists in location '${existing.location}'; a resource group cannot move to '${location}'.`, { target: 'location' });
    }
    await db.updateTable('resource_groups').set({ tags: JSON.stringify(tags) }).where('id', '=', existing.id).execute();
    return { row: { ...existing, tags: JSON.stringify(tags) }, created: false };
  }
  const row: ResourceGroup = {
    id: resourceGroupScope(subscriptionId, name),
    subscription_id: subscriptionId.toLowerCase(),
    name,
    location: normaliseLocation(location),
    tags: JSON.stringify(tags),
    created_at: new Date().toISOString(),
  };
  await db.insertInto('resource_groups').values(row).execute();
  return { row, created: true };
}

export async function deleteResourceGroup(db: Db, id: string): Promise<void> {
  await db.deleteFrom('resource_groups').where('id', '=', id).execute();
}

/** 'West Europe' -> 'westeurope', as ARM stores locations. */
export function normaliseLocation(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}

export function presentResourceGroup(row: ResourceGroup) {
  const sub = row.subscription_id;
  return {
    id: `/subscriptions/${sub}/resourceGroups/${row.name}`,
    name: row.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: row.location,
    tags: JSON.parse(row.tags) as Record<string, string>,
    properties: { provisioningState: 'Succeeded' },
  };
}
