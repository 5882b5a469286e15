// Which workspaces a caller may query, decided by the one authorize(): the action is
// Microsoft.OperationalInsights/workspaces/query/read, which Azure checks for the query API
// (Reader and Log Analytics Reader have it through */read, the Sentinel roles name it, and a
// Lighthouse delegation of any of these grants it to the managing tenant's principals).
// A reference is a workspace name, a workspace id (customerId) or an ARM resource id, case-
// insensitive; only readable workspaces are candidates, so "does not exist" and "not yours"
// cannot be told apart.
import { sql } from 'kysely';
import type { AccessContext } from '../access/authorize.ts';
import { authorize } from '../access/authorize.ts';
import type { Caller } from '../access/caller.ts';
import { canonicalId, isGuid } from '../arm/resource-id.ts';
import type { Workspace } from '../control/workspaces.ts';

export const QUERY_READ = 'Microsoft.OperationalInsights/workspaces/query/read';

export type Resolution =
  | { kind: 'found'; workspace: Workspace }
  | { kind: 'not-found' }
  /** A name that several readable workspaces share (same name in two customers). */
  | { kind: 'ambiguous'; count: number };

export async function resolveReadableWorkspace(ctx: AccessContext, caller: Caller, reference: string): Promise<Resolution> {
  const ref = reference.trim();
  if (ref === '') return { kind: 'not-found' };
  if (ref.includes('/')) {
    const id = canonicalId(ref);
    const row = await ctx.db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
    return row !== undefined && await mayQuery(ctx, caller, row) ? { kind: 'found', workspace: row } : { kind: 'not-found' };
  }
  if (isGuid(ref)) {
    const row = await ctx.db.selectFrom('workspaces').selectAll().where('customer_id', '=', ref.toLowerCase()).executeTakeFirst();
    if (row !== undefined && await mayQuery(ctx, caller, row)) return { kind: 'found', workspace: row };
    // A GUID-shaped name is a valid workspace name too: fall through to names.
  }
  const named = await ctx.db.selectFrom('workspaces').selectAll().where(sql<string>`lower(name)`, '=', ref.toLowerCase()).orderBy('id').execute();
  const readable: Workspace[] = [];
  for (const w of named) if (await mayQuery(ctx, caller, w)) readable.push(w);
  if (readable.length === 1) return { kind: 'found', workspace: readable[0]! };
  if (readable.length > 1) return { kind: 'ambiguous', count: readable.length };
  return { kind: 'not-found' };
}

async function mayQuery(ctx: AccessContext, caller: Caller, w: Workspace): Promise<boolean> {
  return (await authorize(ctx, caller, QUERY_READ, w.id)).allowed;
}
