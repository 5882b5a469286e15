// Who may onboard a scope to Lighthouse: a principal of the customer directory (not through a
// delegation) that may assign roles there, which among built-in roles means an Owner.
import { ApiError } from '../errors.ts';
import { authorize, type AccessContext, type Grant } from './authorize.ts';
import type { Caller } from './caller.ts';

export async function requireOnboardingRights(ctx: AccessContext, caller: Caller, scope: string, grant: Grant | undefined): Promise<void> {
  if (grant?.kind === 'delegated') {
    throw new ApiError('LinkedAuthorizationFailed', `Onboarding to Azure Lighthouse must be done by the customer: a principal of the directory that owns '${scope}', signed in there, can create registration definitions and assignments. A delegation cannot be used to extend itself.`, { target: scope });
  }
  const decision = await authorize(ctx, caller, 'Microsoft.Authorization/roleAssignments/write', scope);
  if (!decision.allowed || decision.grant.kind !== 'direct') {
    throw new ApiError('LinkedAuthorizationFailed', `The client '${caller.name}' cannot onboard '${scope}' to Azure Lighthouse: onboarding grants roles to another directory, so it needs 'Microsoft.Authorization/roleAssignments/write' there (the Owner role). Ask an Owner of the subscription to deploy the offer.`, { target: scope });
  }
}
