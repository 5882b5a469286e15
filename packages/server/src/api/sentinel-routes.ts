// Microsoft Sentinel on a workspace: onboarding (onboardingStates/default).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { requireWorkspace } from './workspace-routes.ts';
import { displayId, setSentinelOnboarded, workspaceId, type Workspace } from '../control/workspaces.ts';
import { SECURITY_INSIGHTS, requireRegistered } from '../control/providers.ts';
import { ApiError } from '../errors.ts';

const WS = '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.OperationalInsights/workspaces/:workspaceName';


const OnboardingBody = z.object({ properties: z.object({ customerManagedKey: z.boolean().optional() }).passthrough().optional(), etag: z.string().optional() }).passthrough().optional();

export function registerSentinelRoutes(app: FastifyInstance, services: Services): void {
  const wsIdOf = (req: ArmRequest) => workspaceId(req.params.subscriptionId!, req.params.resourceGroupName!, req.params.workspaceName!);

  // --- onboardingStates ---
  const onboardingPath = `${WS}/providers/Microsoft.SecurityInsights/onboardingStates/:name`;
  const onboardingScope = (req: ArmRequest) => `${wsIdOf(req)}/providers/microsoft.securityinsights/onboardingstates/${req.params.name!.toLowerCase()}`;
  const requireDefault = (req: ArmRequest) => {
    if (req.params.name!.toLowerCase() !== 'default') {
      throw new ApiError('InvalidParameter', `The onboarding state must be named 'default'; got '${req.params.name}'.`, { target: 'name' });
    }
  };
  const presentOnboarding = async (w: Workspace) => ({
    id: `${await displayId(services.db, w)}/providers/Microsoft.SecurityInsights/onboardingStates/default`,
    name: 'default',
    type: 'Microsoft.SecurityInsights/onboardingStates',
    properties: { customerManagedKey: false },
  });

  armRoute(app, services, {
    method: 'PUT',
    path: onboardingPath,
    apiVersions: API_VERSIONS.securityInsights,
    body: OnboardingBody,
    access: (req) => ({ action: 'Microsoft.SecurityInsights/onboardingStates/write', scope: onboardingScope(req) }),
    handler: async (req) => {
      requireDefault(req);
      await requireRegistered(services.db, req.params.subscriptionId!, SECURITY_INSIGHTS);
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const created = w.sentinel_onboarded_at === null;
      if (created) await setSentinelOnboarded(services.db, w.id, true, services.now());
      return { status: created ? 201 : 200, body: await presentOnboarding(w) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: onboardingPath,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: 'Microsoft.SecurityInsights/onboardingStates/read', scope: onboardingScope(req) }),
    handler: async (req) => {
      requireDefault(req);
      const w = await requireWorkspace(services, req, wsIdOf(req));
      if (w.sentinel_onboarded_at === null) throw new ApiError('ResourceNotFound', `Microsoft Sentinel is not enabled on workspace '${w.name}'. Enable it with PUT .../providers/Microsoft.SecurityInsights/onboardingStates/default.`);
      return { status: 200, body: await presentOnboarding(w) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: `${WS}/providers/Microsoft.SecurityInsights/onboardingStates`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: 'Microsoft.SecurityInsights/onboardingStates/read', scope: wsIdOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      return { status: 200, body: { value: w.sentinel_onboarded_at === null ? [] : [await presentOnboarding(w)] } };
    },
  });

  armRoute(app, services, {
    method: 'DELETE',
    path: onboardingPath,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: 'Microsoft.SecurityInsights/onboardingStates/delete', scope: onboardingScope(req) }),
    handler: async (req) => {
      requireDefault(req);
      const w = await requireWorkspace(services, req, wsIdOf(req));
      if (w.sentinel_onboarded_at === null) return { status: 204 };
      await setSentinelOnboarded(services.db, w.id, false, services.now());
      return { status: 200 };
    },
  });
}
