// What a caller can reach at all: the subscriptions (own and delegated) and directories that
// lists such as GET /subscriptions, GET /tenants and the Directory + subscription filter show.
// It reads the same grants authorize() reads, so the two cannot disagree about a scope.
import type { AccessContext } from './authorize.ts';
import { type Caller, callerIdentities } from './caller.ts';
import type { Authorization } from './delegation-types.ts';

export interface ReachableSubscription {
  subscriptionId: string;
  directoryId: string;
  displayName: string;
  state: string;
  /** Set when reached through a delegation to the caller's directory. */
  delegated: boolean;
}

export async function reachableSubscriptions(ctx: AccessContext, caller: Caller): Promise<ReachableSubscription[]> {
  const identities = callerIdentities(caller);
  const out = new Map<string, ReachableSubscription>();

  // Own directory: any role assignment at the subscription or below makes it visible.
  const own = await ctx.db.selectFrom('role_assignments')
    .innerJoin('subscriptions', 'subscriptions.id', 'role_assignments.subscription_id')
    .select(['subscriptions.id', 'subscriptions.directory_id', 'subscriptions.display_name', 'subscriptions.state'])
    .where('role_assignments.principal_id', 'in', identities)
    .where('subscriptions.directory_id', '=', caller.directoryId)
    .distinct()
    .execute();
  for (const s of own) out.set(s.id, { subscriptionId: s.id, directoryId: s.directory_id, displayName: s.display_name, state: s.state, delegated: false });

  // Delegated: a standing authorization naming the caller, or an active just-in-time activation.
  const delegations = await ctx.db.selectFrom('registration_assignments')
    .innerJoin('registration_definitions', 'registration_definitions.id', 'registration_assignments.registration_definition_id')
    .innerJoin('subscriptions', 'subscriptions.id', 'registration_assignments.subscription_id')
    .select([
      'registration_assignments.id as assignmentId',
      'registration_definitions.authorizations as authorizations',
      'subscriptions.id as subscriptionId',
      'subscriptions.directory_id as directoryId',
      'subscriptions.display_name as displayName',
      'subscriptions.state as state',
    ])
    .where('registration_definitions.managed_by_tenant_id', '=', caller.directoryId)
    .execute();
  const nowIso = ctx.now().toISOString();
  const activeAssignments = new Set(
    (await ctx.db.selectFrom('eligible_activations').select('registration_assignment_id')
      .where('principal_id', '=', caller.principalId).where('status', '=', 'Active')
      .where('starts_at', '<=', nowIso).where('expires_at', '>', nowIso).execute()).map((r) => r.registration_assignment_id),
  );
  for (const d of delegations) {
    const named = (JSON.parse(d.authorizations) as Authorization[]).some((a) => identities.includes(a.principalId.toLowerCase()));
    if ((named || activeAssignments.has(d.assignmentId)) && !out.has(d.subscriptionId)) {
      out.set(d.subscriptionId, { subscriptionId: d.subscriptionId, directoryId: d.directoryId, displayName: d.displayName, state: d.state, delegated: true });
    }
  }
  return [...out.values()].sort((a, b) => a.displayName.localeCompare(b.displayName) || a.subscriptionId.localeCompare(b.subscriptionId));
}
