// The Directory + subscription filter's choice: the directories and subscriptions a user works
// on (every cross-workspace view starts here). What they may choose is what they can reach;
// a saved choice keeps only what is still reachable, so a revoked delegation drops out at once.
import type { AccessContext } from './authorize.ts';
import type { Caller } from './caller.ts';
import { reachableSubscriptions } from './reach.ts';

export interface AvailableScopes {
  directories: { id: string; displayName: string; defaultDomain: string; delegated: boolean }[];
  subscriptions: { id: string; displayName: string; directoryId: string; delegated: boolean }[];
}

export interface Selection {
  directories: string[];
  subscriptions: string[];
  /** Whether the user saved a choice (otherwise: everything reachable). */
  saved: boolean;
}

export async function availableScopes(ctx: AccessContext, caller: Caller): Promise<AvailableScopes> {
  const subs = await reachableSubscriptions(ctx, caller);
  const dirIds = [...new Set([caller.directoryId, ...subs.map((s) => s.directoryId)])];
  const dirs = await ctx.db.selectFrom('directories').selectAll().where('id', 'in', dirIds).execute();
  return {
    directories: dirIds.map((id) => {
      const d = dirs.find((x) => x.id === id)!;
      return { id, displayName: d.display_name, defaultDomain: d.default_domain, delegated: id !== caller.directoryId };
    }),
    subscriptions: subs.map((s) => ({ id: s.subscriptionId, displayName: s.displayName, directoryId: s.directoryId, delegated: s.delegated })),
  };
}

export async function currentSelection(ctx: AccessContext, caller: Caller, available?: AvailableScopes): Promise<Selection> {
  const all = available ?? await availableScopes(ctx, caller);
  const saved = await ctx.db.selectFrom('directory_filters').selectAll()
    .where('principal_id', '=', caller.principalId).where('directory_id', '=', caller.directoryId).executeTakeFirst();
  const reachableDirs = new Set(all.directories.map((d) => d.id));
  const reachableSubs = new Set(all.subscriptions.map((s) => s.id));
  const directories = saved === undefined ? [...reachableDirs] : (JSON.parse(saved.directory_ids) as string[]).filter((d) => reachableDirs.has(d));
  const subscriptions = saved === undefined ? [...reachableSubs] : (JSON.parse(saved.subscription_ids) as string[]).filter((s) => reachableSubs.has(s));
  return { directories, subscriptions, saved: saved !== undefined };
}
