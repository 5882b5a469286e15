// The multi-workspace incident queue: every Sentinel workspace in the user's Directory +
// subscription selection whose incidents they may read, with no cap on their number (Sentinel
// stops at 100). Each workspace is checked through authorize(), as a single incident read is.
import type { Db } from '../db/database.ts';
import type { Caller } from '../access/caller.ts';
import { authorize } from '../access/authorize.ts';
import { currentSelection } from '../access/selection.ts';
import type { Workspace } from '../control/workspaces.ts';
import { displayId } from '../control/workspaces.ts';

export interface QueueWorkspace {
  workspace: Workspace;
  /** ARM id with display case. */
  displayId: string;
  directoryId: string;
  directoryName: string;
  subscriptionName: string;
  /** Reached through a Lighthouse delegation (not the caller's own directory). */
  delegated: boolean;
}

export async function queueWorkspaces(ctx: { db: Db; now: () => Date }, caller: Caller): Promise<QueueWorkspace[]> {
  const selection = await currentSelection(ctx, caller);
  if (selection.subscriptions.length === 0) return [];
  const rows = await ctx.db.selectFrom('workspaces')
    .innerJoin('subscriptions', 'subscriptions.id', 'workspaces.subscription_id')
    .innerJoin('directories', 'directories.id', 'subscriptions.directory_id')
    .selectAll('workspaces')
    .select(['subscriptions.directory_id as directoryId', 'subscriptions.display_name as subscriptionName', 'directories.display_name as directoryName'])
    .where('workspaces.subscription_id', 'in', selection.subscriptions)
    .where('workspaces.sentinel_onboarded_at', 'is not', null)
    .orderBy('workspaces.id')
    .execute();
  const out: QueueWorkspace[] = [];
  for (const r of rows) {
    const { directoryId, subscriptionName, directoryName, ...workspace } = r;
    const decision = await authorize(ctx, caller, 'Microsoft.SecurityInsights/incidents/read', workspace.id);
    if (!decision.allowed) continue;
    out.push({ workspace, displayId: await displayId(ctx.db, workspace), directoryId, directoryName, subscriptionName, delegated: directoryId !== caller.directoryId });
  }
  return out;
}
