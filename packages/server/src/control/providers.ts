// Resource providers per subscription. An operation on a namespace that is not registered in
// the subscription fails with 409 MissingSubscriptionRegistration, as in Azure.
import type { Db } from '../db/database.ts';
import type { RegistrationState } from '../db/schema.ts';
import { ApiError } from '../errors.ts';

export const OPERATIONAL_INSIGHTS = 'Microsoft.OperationalInsights';
export const SECURITY_INSIGHTS = 'Microsoft.SecurityInsights';
export const MANAGED_SERVICES = 'Microsoft.ManagedServices';
export const INSIGHTS = 'Microsoft.Insights';

/** The namespaces Vigil implements, with the resource types each serves. */
export const PROVIDER_CATALOG: Record<string, { resourceTypes: { resourceType: string; locations: string[]; apiVersions: string[] }[] }> = {
  [OPERATIONAL_INSIGHTS]: {
    resourceTypes: [
      { resourceType: 'workspaces', locations: ['*'], apiVersions: ['2025-07-01', '2025-02-01', '2023-09-01', '2022-10-01', '2021-06-01', '2020-08-01'] },
    ],
  },
  [SECURITY_INSIGHTS]: {
    resourceTypes: [
      { resourceType: 'onboardingStates', locations: ['*'], apiVersions: ['2024-09-01', '2024-03-01', '2023-11-01', '2022-11-01', '2022-09-01-preview'] },
      { resourceType: 'dataConnectors', locations: ['*'], apiVersions: ['2024-09-01', '2024-03-01', '2023-11-01', '2022-11-01', '2022-09-01-preview'] },
    ],
  },
  [INSIGHTS]: {
    resourceTypes: [
      { resourceType: 'dataCollectionRules', locations: ['*'], apiVersions: ['2023-03-11', '2022-06-01', '2021-09-01-preview'] },
      { resourceType: 'dataCollectionEndpoints', locations: ['*'], apiVersions: ['2023-03-11', '2022-06-01', '2021-09-01-preview'] },
    ],
  },
  [MANAGED_SERVICES]: {
    resourceTypes: [
      { resourceType: 'registrationDefinitions', locations: ['*'], apiVersions: ['2022-10-01', '2020-02-01-preview', '2019-09-01', '2019-06-01'] },
      { resourceType: 'registrationAssignments', locations: ['*'], apiVersions: ['2022-10-01', '2020-02-01-preview', '2019-09-01', '2019-06-01'] },
    ],
  },
};

export const PROVIDER_NAMESPACES = Object.keys(PROVIDER_CATALOG);

export function canonicalNamespace(namespace: string): string | undefined {
  return PROVIDER_NAMESPACES.find((n) => n.toLowerCase() === namespace.toLowerCase());
}

export interface ProviderState {
  namespace: string;
  registrationState: RegistrationState;
}

export async function providerStates(db: Db, subscriptionId: string): Promise<ProviderState[]> {
  const rows = await db.selectFrom('provider_registrations').select(['namespace', 'state'])
    .where('subscription_id', '=', subscriptionId.toLowerCase()).execute();
  const byName = new Map(rows.map((r) => [r.namespace, r.state]));
  return PROVIDER_NAMESPACES.map((namespace) => ({ namespace, registrationState: byName.get(namespace) ?? 'NotRegistered' }));
}

export async function setRegistrationState(db: Db, subscriptionId: string, namespace: string, state: RegistrationState): Promise<void> {
  await db.insertInto('provider_registrations')
    .values({ subscription_id: subscriptionId.toLowerCase(), namespace, state, updated_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(['subscription_id', 'namespace']).doUpdateSet({ state, updated_at: new Date().toISOString() }))
    .execute();
}

export async function isRegistered(db: Db, subscriptionId: string, namespace: string): Promise<boolean> {
  const row = await db.selectFrom('provider_registrations').select('state')
    .where('subscription_id', '=', subscriptionId.toLowerCase()).where('namespace', '=', namespace).executeTakeFirst();
  return row?.state === 'Registered';
}

export async function requireRegistered(db: Db, subscriptionId: string, namespace: string): Promise<void> {
  if (!(await isRegistered(db, subscriptionId, namespace))) {
    throw new ApiError(
      'MissingSubscriptionRegistration',
      `The subscription '${subscriptionId}' is not registered to use namespace '${namespace}'. Register it first: ` +
        `POST /subscriptions/${subscriptionId}/providers/${namespace}/register?api-version=2025-04-01 ` +
        `(Azure CLI: az provider register --namespace ${namespace}; Vigil portal: Settings > Resource providers).`,
      { target: namespace },
    );
  }
}

/**
 * A managing directory works with delegated Sentinel workspaces only once the Sentinel
 * providers are registered on at least one of its own subscriptions (Sentinel's MSSP guide).
 */
export async function requireManagingTenantReady(db: Db, managingDirectoryId: string): Promise<void> {
  const rows = await db.selectFrom('provider_registrations')
    .innerJoin('subscriptions', 'subscriptions.id', 'provider_registrations.subscription_id')
    .select(['provider_registrations.subscription_id', 'provider_registrations.namespace'])
    .where('subscriptions.directory_id', '=', managingDirectoryId)
    .where('provider_registrations.state', '=', 'Registered')
    .where('provider_registrations.namespace', 'in', [OPERATIONAL_INSIGHTS, SECURITY_INSIGHTS])
    .execute();
  const perSubscription = new Map<string, number>();
  for (const row of rows) perSubscription.set(row.subscription_id, (perSubscription.get(row.subscription_id) ?? 0) + 1);
  if (![...perSubscription.values()].some((count) => count === 2)) {
    throw new ApiError(
      'ManagingTenantProvidersNotRegistered',
      `Your directory '${managingDirectoryId}' has no subscription with both ${OPERATIONAL_INSIGHTS} and ${SECURITY_INSIGHTS} registered, ` +
        `which Microsoft Sentinel requires before a managing tenant can work with delegated customer workspaces. ` +
        `Register both providers on one of your own subscriptions (POST /subscriptions/{yourSubscriptionId}/providers/{namespace}/register), then try again.`,
    );
  }
}
