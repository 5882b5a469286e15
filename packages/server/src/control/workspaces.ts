// Log Analytics workspaces (Microsoft.OperationalInsights/workspaces) and their Sentinel
// onboarding state (Microsoft.SecurityInsights/onboardingStates/default).
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { WorkspaceTable } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { canonicalId } from '../arm/resource-id.ts';
import type { ResourceGroup } from './resource-groups.ts';
import { normaliseLocation } from './resource-groups.ts';

export type Workspace = WorkspaceTable;

const NAME = /^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/;
export const RETENTION_MIN_DAYS = 30;
export const RETENTION_MAX_DAYS = 730;

export function workspaceId(subscriptionId: string, resourceGroup: string, name: string): string {
  return canonicalId(`/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${name}`);
}

/** A workspace key as Log Analytics issues them: 64 random bytes, base64. */
export function newSharedKey(): string {
  return randomBytes(64).toString('base64');
}

export function validateWorkspaceName(name: string): void {
  if (!NAME.test(name)) {
    throw new ApiError('InvalidParameter', `'${name}' is not a valid workspace name: use 4-63 letters, digits and '-', starting and ending with a letter or digit.`, { target: 'workspaceName' });
  }
}

export async function getWorkspace(db: Db, id: string): Promise<Workspace | undefined> {
  return db.selectFrom('workspaces').selectAll().where('id', '=', canonicalId(id)).executeTakeFirst();
}

export async function getWorkspaceByCustomerId(db: Db, customerId: string): Promise<Workspace | undefined> {
  return db.selectFrom('workspaces').selectAll().where('customer_id', '=', customerId.toLowerCase()).executeTakeFirst();
}

export interface WorkspaceInput {
  location: string;
  sku?: string;
  retentionInDays?: number;
  tags?: Record<string, string>;
  customerId?: string;
}

export async function createOrUpdateWorkspace(
  db: Db, rg: ResourceGroup, name: string, input: WorkspaceInput, createdBy: string, now: Date,
): Promise<{ row: Workspace; created: boolean }> {
  validateWorkspaceName(name);
  const retention = input.retentionInDays ?? 90;
  if (!Number.isInteger(retention) || retention < RETENTION_MIN_DAYS || retention > RETENTION_MAX_DAYS) {
    throw new ApiError('InvalidParameter', `properties.retentionInDays must be a whole number of days from ${RETENTION_MIN_DAYS} to ${RETENTION_MAX_DAYS}; got ${retention}.`, { target: 'properties.retentionInDays' });
  }
  const id = workspaceId(rg.subscription_id, rg.name, name);
  const existing = await getWorkspace(db, id);
  const stamp = now.toISOString();
  if (existing !== undefined) {
    if (existing.location !== normaliseLocation(input.location)) {
      throw new ApiError('InvalidParameter', `Workspace '${existing.name}' is in '${existing.location}' and cannot move to '${input.location}'.`, { target: 'location' });
    }
    const changes = {
      sku: input.sku ?? existing.sku,
      retention_days: retention,
      tags: JSON.stringify(input.tags ?? JSON.parse(existing.tags)),
      etag: randomUUID(),
      updated_at: stamp,
    };
    await db.updateTable('workspaces').set(changes).where('id', '=', id).execute();
    return { row: { ...existing, ...changes }, created: false };
  }
  const row: Workspace = {
    id,
    subscription_id: rg.subscription_id,
    resource_group_id: rg.id,
    name,
    customer_id: (input.customerId ?? randomUUID()).toLowerCase(),
    location: normaliseLocation(input.location),
    sku: input.sku ?? 'PerGB2018',
    retention_days: retention,
    sentinel_onboarded_at: null,
    primary_shared_key: newSharedKey(),
    secondary_shared_key: newSharedKey(),
    tags: JSON.stringify(input.tags ?? {}),
    etag: randomUUID(),
    created_at: stamp,
    created_by: createdBy,
    updated_at: stamp,
  };
  await db.insertInto('workspaces').values(row).execute();
  return { row, created: true };
}

export async function setSentinelOnboarded(db: Db, id: string, onboarded: boolean, now: Date): Promise<void> {
  await db.updateTable('workspaces').set({ sentinel_onboarded_at: onboarded ? now.toISOString() : null }).where('id', '=', id).execute();
}

/** The ARM id with display case: the resource group's and workspace's names as created. */
export async function displayId(db: Db, w: Workspace): Promise<string> {
  const rg = await db.selectFrom('resource_groups').select('name').where('id', '=', w.resource_group_id).executeTakeFirst();
  return `/subscriptions/${w.subscription_id}/resourceGroups/${rg?.name ?? w.resource_group_id.split('/').pop()}/providers/Microsoft.OperationalInsights/workspaces/${w.name}`;
}

export async function presentWorkspace(db: Db, w: Workspace) {
  return {
    id: await displayId(db, w),
    name: w.name,
    type: 'Microsoft.OperationalInsights/workspaces',
    location: w.location,
    tags: JSON.parse(w.tags) as Record<string, string>,
    etag: `"${w.etag}"`,
    systemData: { createdBy: w.created_by, createdAt: w.created_at, lastModifiedAt: w.updated_at },
    properties: {
      customerId: w.customer_id,
      provisioningState: 'Succeeded',
      sku: { name: w.sku },
      retentionInDays: w.retention_days,
      createdDate: w.created_at,
      modifiedDate: w.updated_at,
      publicNetworkAccessForIngestion: 'Enabled',
      publicNetworkAccessForQuery: 'Enabled',
      features: { enableLogAccessUsingOnlyResourcePermissions: true },
    },
  };
}
