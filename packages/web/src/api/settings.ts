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

// --- The MSSP's side: my customers, my roles, just-in-time requests ------------------------

const AUTHORIZATION = 'api-version=2022-04-01';

/** One allowed-actions block of the caller at a scope (GET {scope}/providers/Microsoft.Authorization/permissions). */


/** A delegation to the user's directory, as the managing side reads it: manageeTenantId/Name name the customer. */
export interface ManagedDelegation extends RegistrationAssignment {
  properties: RegistrationAssignment['properties'] & {
    registrationDefinition?: RegistrationDefinition & { properties: RegistrationDefinition['properties'] & { manageeTenantId?: string; manageeTenantName?: string } };
  };
}

export const listMyCustomers = () =>
  armList<ManagedDelegation>(`/providers/Microsoft.ManagedServices/registrationAssignments?${MANAGED_SERVICES}&$expandRegistrationDefinition=true`);

export interface RoleInstance {
  id: string;
  name: string;
  properties: {
    scope: string;
    roleDefinitionId: string;
    principalId: string;
    memberType: 'Direct' | 'Group';
    assignmentType?: 'Assigned' | 'Activated';
    startDateTime: string | null;
    endDateTime: string | null;
    expandedProperties: {
      scope: { id: string; displayName: string; type: string };
      roleDefinition: { id: string; displayName: string };
      principal: { id: string; displayName: string; type: string };
    };
  };
}

export const listMyEligibleRoles = () => armList<RoleInstance>(`/providers/Microsoft.Authorization/roleEligibilityScheduleInstances?${AUTHORIZATION}&$filter=asTarget()`);
export const listMyActiveRoles = () => armList<RoleInstance>(`/providers/Microsoft.Authorization/roleAssignmentScheduleInstances?${AUTHORIZATION}&$filter=asTarget()`);

export type RequestStatus = 'PendingApproval' | 'Provisioned' | 'Denied' | 'Expired';
export interface ActivationRequest {
  id: string;
  name: string;
  properties: {
    scope: string;
    principalId: string;
    roleDefinitionId: string;
    status: RequestStatus;
    justification: string;
    createdOn: string;
    approvedBy: string | null;
    scheduleInfo: { startDateTime: string | null; expiration: { type: 'AfterDuration'; duration: string; endDateTime: string | null } };
    expandedProperties?: { principal: { id: string; displayName: string } };
  };
}

export const listMyRequests = () => armList<ActivationRequest>(`/providers/Microsoft.Authorization/roleAssignmentScheduleRequests?${AUTHORIZATION}&$filter=asRequestor()`);
export const listRequestsToApprove = () => armList<ActivationRequest>(`/providers/Microsoft.Authorization/roleAssignmentScheduleRequests?${AUTHORIZATION}&$filter=asApprover()`);

/** Asks to activate an eligible role (Azure PIM's SelfActivate request) at a delegated scope. */
export const requestActivation = (scope: string, input: { principalId: string; roleDefinitionId: string; justification: string; duration: string }) =>
  armRequest<ActivationRequest>('PUT', `${scope}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${crypto.randomUUID()}?${AUTHORIZATION}`, {
    properties: {
      principalId: input.principalId,
      roleDefinitionId: input.roleDefinitionId,
      requestType: 'SelfActivate',
      justification: input.justification,
      scheduleInfo: { startDateTime: new Date().toISOString(), expiration: { type: 'AfterDuration', duration: input.duration } },
    },
  });

export const decideRequest = (requestId: string, verb: 'approve' | 'deny') => armRequest<ActivationRequest>('POST', `${requestId}/${verb}?${AUTHORIZATION}`);
