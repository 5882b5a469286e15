// Resource provider registration per subscription, on ARM's own paths.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { page } from './paging.ts';
import { subscriptionScope } from '../arm/resource-id.ts';
import { ApiError } from '../errors.ts';
import {
  MANAGED_SERVICES, OPERATIONAL_INSIGHTS, PROVIDER_CATALOG, SECURITY_INSIGHTS,
  canonicalNamespace, providerStates, setRegistrationState, type ProviderState,
} from '../control/providers.ts';

export function registerProviderRoutes(app: FastifyInstance, services: Services): void {
  const subscriptionOf = (req: ArmRequest) => subscriptionScope(req.params.subscriptionId!);

  armRoute(app, services, {
    method: 'GET',
    path: '/subscriptions/:subscriptionId/providers',
    apiVersions: API_VERSIONS.resources,
    access: (req) => ({ action: 'Microsoft.Resources/subscriptions/providers/read', scope: subscriptionOf(req) }),
    handler: async (req) => {
      const states = await providerStates(services.db, req.params.subscriptionId!);
      const bodies = states.map((s) => present(req.params.subscriptionId!, s));
      return { status: 200, body: page(req.raw, services.publicUrl, bodies, services.pageSize) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: '/subscriptions/:subscriptionId/providers/:namespace',
    apiVersions: API_VERSIONS.resources,
    access: (req) => ({ action: 'Microsoft.Resources/subscriptions/providers/read', scope: subscriptionOf(req) }),
    handler: async (req) => {
      const namespace = requireNamespace(req.params.namespace!);
      const state = (await providerStates(services.db, req.params.subscriptionId!)).find((s) => s.namespace === namespace)!;
      return { status: 200, body: present(req.params.subscriptionId!, state) };
    },
  });

  for (const verb of ['register', 'unregister'] as const) {
    armRoute(app, services, {
      method: 'POST',
      path: `/subscriptions/:subscriptionId/providers/:namespace/${verb}`,
      apiVersions: API_VERSIONS.resources,
      access: (req) => ({ action: `${requireNamespace(req.params.namespace!)}/${verb}/action`, scope: subscriptionOf(req) }),
      handler: async (req) => {
        const subscriptionId = req.params.subscriptionId!.toLowerCase();
        const namespace = requireNamespace(req.params.namespace!);
        if (verb === 'unregister') await requireNoResources(services, subscriptionId, namespace);
        // Registration is a local bookkeeping step here, so it completes within the request:
        // the state passes straight to Registered / NotRegistered.
        await setRegistrationState(services.db, subscriptionId, namespace, verb === 'register' ? 'Registered' : 'NotRegistered');
        const state = (await providerStates(services.db, subscriptionId)).find((s) => s.namespace === namespace)!;
        return { status: 200, body: present(subscriptionId, state) };
      },
    });
  }
}

function requireNamespace(namespace: string): string {
  const canonical = canonicalNamespace(namespace);
  if (canonical === undefined) {
    throw new ApiError('InvalidResourceNamespace', `The resource namespace '${namespace}' is invalid or not served by Vigil. Namespaces served: ${Object.keys(PROVIDER_CATALOG).join(', ')}.`, { target: namespace });
  }
  return canonical;
}

function present(subscriptionId: string, state: ProviderState) {
  return {
    id: `${subscriptionScope(subscriptionId)}/providers/${state.namespace}`,
    namespace: state.namespace,
    registrationState: state.registrationState,
    registrationPolicy: 'RegistrationRequired',
    resourceTypes: PROVIDER_CATALOG[state.namespace]!.resourceTypes,
  };
}

/** Azure refuses to unregister a namespace while resources of it exist in the subscription. */
async function requireNoResources(services: Services, subscriptionId: string, namespace: string): Promise<void> {
  const db = services.db;
  let count = 0;
  if (namespace === OPERATIONAL_INSIGHTS) {
    count = (await db.selectFrom('workspaces').select('id').where('subscription_id', '=', subscriptionId).execute()).length;
  } else if (namespace === SECURITY_INSIGHTS) {
    count = (await db.selectFrom('workspaces').select('id').where('subscription_id', '=', subscriptionId).where('sentinel_onboarded_at', 'is not', null).execute()).length;
  } else if (namespace === MANAGED_SERVICES) {
    count = (await db.selectFrom('registration_definitions').select('id').where('subscription_id', '=', subscriptionId).execute()).length;
  }
  if (count > 0) {
    throw new ApiError('ProviderUnregistrationBlocked', `Cannot unregister '${namespace}' from subscription '${subscriptionId}': ${count} resource(s) of this namespace still exist there. Delete them first.`, { target: namespace });
  }
}
