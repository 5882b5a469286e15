// Just-in-time activation of eligible Lighthouse authorizations: a managing-directory principal
// asks for an eligible role with a justification and a duration up to the policy's maximum;
// where the customer named approvers, a different principal approves; the activation ends by
// itself when its time is up (authorize() compares expires_at with the clock).
import type { Db } from '../db/database.ts';
import type { EligibleActivationTable } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import type { Caller } from '../access/caller.ts';
import { callerIdentities } from '../access/caller.ts';
import type { EligibleAuthorization } from '../access/delegation-types.ts';
import { findBuiltinRole } from '../access/builtin-roles.ts';
import { isoDurationMinutes } from '../access/lighthouse-rules.ts';
import { transitiveGroupIds } from './directories.ts';

export type Activation = EligibleActivationTable;

export async function requestActivation(
  db: Db, caller: Caller, registrationAssignmentId: string,
  input: { roleDefinitionId: string; principalId: string; justification: string; duration: string; name: string }, now: Date,
): Promise<Activation> {
  if (input.principalId.toLowerCase() !== caller.principalId) {
    throw new ApiError('InvalidJustInTimeRequest', `properties.principalId must be your own object id (${caller.principalId}): eligible roles are activated by the eligible principal itself (requestType SelfActivate).`, { target: 'properties.principalId' });
  }
  if (input.justification.trim().length < 5) {
    throw new ApiError('InvalidJustInTimeRequest', 'properties.justification is required: say why you need the role (at least 5 characters). It is shown to approvers and recorded.', { target: 'properties.justification' });
  }
  const role = findBuiltinRole(input.roleDefinitionId);
  const eligible = await eligibleFor(db, caller, registrationAssignmentId, role?.id);
  if (role === undefined || eligible === undefined) {
    throw new ApiError('InvalidJustInTimeRequest', `You hold no eligible authorization for role '${input.roleDefinitionId}' through this delegation. GET the registration definition to see the eligible roles offered to you.`, { target: 'properties.roleDefinitionId' });
  }
  const minutes = isoDurationMinutes(input.duration);
  const max = isoDurationMinutes(eligible.justInTimeAccessPolicy.maximumActivationDuration)!;
  if (minutes === undefined || minutes <= 0 || minutes > max) {
    throw new ApiError('InvalidJustInTimeRequest', `The requested duration '${input.duration}' must be an ISO 8601 duration greater than zero and at most ${eligible.justInTimeAccessPolicy.maximumActivationDuration} (the policy's maximumActivationDuration).`, { target: 'properties.scheduleInfo.expiration.duration' });
  }
  const needsApproval = (eligible.justInTimeAccessPolicy.managedByTenantApprovers ?? []).length > 0;
  const row: Activation = {
    id: input.name.toLowerCase(),
    registration_assignment_id: registrationAssignmentId,
    principal_id: caller.principalId,
    role_definition_id: role.id,
    justification: input.justification,
    status: needsApproval ? 'PendingApproval' : 'Active',
    requested_at: now.toISOString(),
    requested_duration: input.duration,
    decided_by: null,
    decided_at: null,
    starts_at: needsApproval ? null : now.toISOString(),
    expires_at: needsApproval ? null : new Date(now.getTime() + minutes * 60_000).toISOString(),
  };
  const clash = await db.selectFrom('eligible_activations').select('id').where('id', '=', row.id).executeTakeFirst();
  if (clash !== undefined) throw new ApiError('Conflict', `A request named '${input.name}' already exists. Use a new GUID for each request.`);
  await db.insertInto('eligible_activations').values(row).execute();
  return row;
}

export async function decideActivation(db: Db, approver: Caller, id: string, approve: boolean, now: Date): Promise<Activation> {
  const request = await db.selectFrom('eligible_activations').selectAll().where('id', '=', id.toLowerCase()).executeTakeFirst();
  if (request === undefined) throw new ApiError('ResourceNotFound', `Activation request '${id}' was not found.`);
  if (request.status !== 'PendingApproval') {
    throw new ApiError('Conflict', `Activation request '${id}' is ${request.status}; only pending requests can be approved or denied.`);
  }
  if (request.principal_id === approver.principalId) {
    throw new ApiError('InvalidJustInTimeRequest', 'Nobody approves their own request: another approver named in the policy must decide it.');
  }
  const requester = { ...approver, principalId: request.principal_id, groupIds: await groupsOf(db, request.principal_id) };
  const eligible = await eligibleFor(db, requester, request.registration_assignment_id, request.role_definition_id);
  const approvers = eligible?.justInTimeAccessPolicy.managedByTenantApprovers ?? [];
  if (!approvers.some((a) => callerIdentities(approver).includes(a.principalId.toLowerCase()))) {
    throw new ApiError('AuthorizationFailed', `'${approver.name}' is not an approver of this eligible authorization. The customer named: ${approvers.map((a) => a.principalIdDisplayName ?? a.principalId).join(', ') || 'nobody'}.`);
  }
  const minutes = isoDurationMinutes(request.requested_duration)!;
  const changes = approve
    ? { status: 'Active' as const, decided_by: approver.principalId, decided_at: now.toISOString(), starts_at: now.toISOString(), expires_at: new Date(now.getTime() + minutes * 60_000).toISOString() }
    : { status: 'Denied' as const, decided_by: approver.principalId, decided_at: now.toISOString() };
  await db.updateTable('eligible_activations').set(changes).where('id', '=', request.id).execute();
  return { ...request, ...changes };
}

/** The status a reader sees: an Active activation past its end is Expired. */
export function effectiveStatus(a: Activation, now: Date): Activation['status'] {
  return a.status === 'Active' && a.expires_at !== null && a.expires_at <= now.toISOString() ? 'Expired' : a.status;
}

async function eligibleFor(db: Db, caller: Caller, registrationAssignmentId: string, roleId: string | undefined): Promise<EligibleAuthorization | undefined> {
  const row = await db.selectFrom('registration_assignments')
    .innerJoin('registration_definitions', 'registration_definitions.id', 'registration_assignments.registration_definition_id')
    .select(['registration_definitions.eligible_authorizations as eligible', 'registration_definitions.managed_by_tenant_id as managedBy'])
    .where('registration_assignments.id', '=', registrationAssignmentId).executeTakeFirst();
  if (row === undefined || row.managedBy !== caller.directoryId || roleId === undefined) return undefined;
  const ids = callerIdentities(caller);
  return (JSON.parse(row.eligible) as EligibleAuthorization[]).find((e) => e.roleDefinitionId === roleId && ids.includes(e.principalId.toLowerCase()));
}

function groupsOf(db: Db, principalId: string): Promise<string[]> {
  return transitiveGroupIds(db, principalId);
}
