// The customers behind a cross-workspace rule's alert: the workspaces its result rows came from
// (their TenantId), other than the rule's own, with the directory each belongs to.
import type { Db } from '../db/database.ts';
import type { Alert } from './alerts.ts';

export interface AlertCustomer {
  workspaceId: string;
  workspace: string;
  directoryId: string;
  directory: string;
}

export async function customersOf(db: Db, homeWorkspaceId: string, alerts: readonly Alert[]): Promise<Map<string, AlertCustomer[]>> {
  const ids = [...new Set(alerts.flatMap((a) => a.sourceWorkspaceIds))].filter((id) => id !== homeWorkspaceId);
  const out = new Map<string, AlertCustomer[]>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('workspaces')
    .innerJoin('subscriptions', 'subscriptions.id', 'workspaces.subscription_id')
    .innerJoin('directories', 'directories.id', 'subscriptions.directory_id')
    .select(['workspaces.customer_id as workspaceId', 'workspaces.name as workspace', 'directories.id as directoryId', 'directories.display_name as directory'])
    .where('workspaces.customer_id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.workspaceId, r]));
  for (const a of alerts) {
    const found = a.sourceWorkspaceIds.map((id) => byId.get(id)).filter((c): c is AlertCustomer => c !== undefined);
    if (found.length > 0) out.set(a.id, found);
  }
  return out;
}
