// The Settings page's ARM calls: resource provider registration of a subscription, the
// Lighthouse delegations on a customer's subscription (registration assignments with their
// definitions, revoked by deleting the assignment), and a subscription's activity log.
import { armList, armRequest } from './arm-client.ts';

/** The providers Microsoft Sentinel needs, as its documentation's prerequisites list them. */
export const SENTINEL_PROVIDERS = ['Microsoft.OperationalInsights', 'Microsoft.SecurityInsights'] as const;

export type RegistrationState = 'Registered' | 'NotRegistered' | 'Registering' | 'Unregistering';
export interface ArmProvider { id: string; namespace: string; registrationState: RegistrationState }

const RESOURCES = 'api-version=2021-04-01';
const MANAGED_SERVICES = 'api-version=2022-10-01';
const ACTIVITY_LOG = 'api-version=2015-04-01';

export const getProvider = (subscriptionId: string, namespace: string) =>
  armRequest<ArmProvider>('GET', `/subscriptions/${subscriptionId}/providers/${namespace}?${RESOURCES}`);

export const registerProvider = (subscriptionId: string, namespace: string) =>
  armRequest<ArmProvider>('POST', `/subscriptions/${subscriptionId}/providers/${namespace}/register?${RESOURCES}`);

export interface Authorization { principalId: string; principalIdDisplayName?: string; roleDefinitionId: string; delegatedRoleDefinitionIds?: string[] }
export interface EligibleAuthorization {
  principalId: string;
  principalIdDisplayName?: string;
  roleDefinitionId: string;
  justInTimeAccessPolicy?: { multiFactorAuthProvider?: string; maximumActivationDuration?: string; managedByTenantApprovers?: { principalId: string; principalIdDisplayName?: string }[] };
}
export interface RegistrationDefinition {
  id: string;
  name: string;
  properties: {
    registrationDefinitionName: string;
    description?: string;
    managedByTenantId: string;
    managedByTenantName?: string;
    authorizations: Authorization[];
    eligibleAuthorizations?: EligibleAuthorization[];
  };
}
export interface RegistrationAssignment {
  id: string;
  name: string;
  properties: { registrationDefinitionId: string; registrationDefinition?: RegistrationDefinition };
}

export const listDelegations = (subscriptionId: string) =>
  armList<RegistrationAssignment>(`/subscriptions/${subscriptionId}/providers/Microsoft.ManagedServices/registrationAssignments?${MANAGED_SERVICES}&$expandRegistrationDefinition=true`);

export const revokeDelegation = (assignmentId: string) => armRequest<void>('DELETE', `${assignmentId}?${MANAGED_SERVICES}`);

export interface RoleDefinition { id: string; name: string; properties: { roleName: string } }

export interface ActivityEvent {
  id: string;
  eventDataId: string;
  caller?: string;
  operationName: { value: string; localizedValue: string };
  resourceId: string;
  status: { value: string; localizedValue: string };
  eventTimestamp: string;
  properties?: { delegatedThrough?: string | null; message?: string | null };
}

/** The newest events first (at most `limit`). */
export async function latestActivity(subscriptionId: string, limit = 50): Promise<ActivityEvent[]> {
  const events = await armList<ActivityEvent>(`/subscriptions/${subscriptionId}/providers/Microsoft.Insights/eventtypes/management/values?${ACTIVITY_LOG}`);
  return events.sort((a, b) => Date.parse(b.eventTimestamp) - Date.parse(a.eventTimestamp)).slice(0, limit);
}
