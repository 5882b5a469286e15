// Automation rules on ARM's paths (Microsoft.SecurityInsights/automationRules), as
// @azure/arm-securityinsight calls them: PUT/GET/DELETE .../automationRules/{id} and the list.
// Settings pass incidents/automation-rule-model.ts; an owner an action assigns must be a user who
// can reach the workspace's incidents, checked on save (and again when the rule runs).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { page } from './paging.ts';
import { requireSentinelWorkspace, requireWorkspace } from './workspace-routes.ts';
import { displayId, workspaceId, type Workspace } from '../control/workspaces.ts';
import { ApiError } from '../errors.ts';
import { resolveOwner } from '../incidents/incidents.ts';
import { clientInfoOf } from '../incidents/tasks.ts';
import { parseAutomationRuleProperties, type AutomationRuleProperties } from '../incidents/automation-rule-model.ts';
import {
  automationRuleId, deleteAutomationRule, getAutomationRule, listAutomationRules, presentAutomationRule, putAutomationRule,
} from '../incidents/automation-rules.ts';

const WS = '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.OperationalInsights/workspaces/:workspaceName';
const RULES = `${WS}/providers/Microsoft.SecurityInsights/automationRules`;
const ACTION = 'Microsoft.SecurityInsights/automationRules';

const RuleBody = z.object({
  etag: z.string().optional(),
  properties: z.record(z.string(), z.unknown(), { message: 'properties is required: displayName, order, triggeringLogic, actions' }),
}).passthrough();

export function registerAutomationRuleRoutes(app: FastifyInstance, services: Services): void {
  const wsIdOf = (req: ArmRequest) => workspaceId(req.params.subscriptionId!, req.params.resourceGroupName!, req.params.workspaceName!);
  const idOf = (req: ArmRequest) => automationRuleId(wsIdOf(req), req.params.automationRuleId!);

  /** Owners named by actions, resolved to users who can reach the workspace (an error names the action). */
  const resolveOwners = async (w: Workspace, p: AutomationRuleProperties): Promise<void> => {
    for (const [i, action] of p.actions.entries()) {
      if (action.actionType !== 'ModifyProperties' || action.actionConfiguration.owner === undefined) continue;
      try {
        action.actionConfiguration.owner = await resolveOwner(services.db, services.now, w, w.id, action.actionConfiguration.owner);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const target = `properties.actions[${i}].actionConfiguration.owner`;
        throw new ApiError('InvalidRequestContent', error.message.replace(/^properties\.owner/, target), { target });
      }
    }
  };

  armRoute(app, services, {
    method: 'PUT',
    path: `${RULES}/:automationRuleId`,
    apiVersions: API_VERSIONS.securityInsights,
    body: RuleBody,
    access: (req) => ({ action: `${ACTION}/write`, scope: idOf(req) }),
    etag: async (req) => (await getAutomationRule(services.db, idOf(req)))?.row.etag,
    handler: async (req) => {
      const w = await requireSentinelWorkspace(services, req, wsIdOf(req));
      const current = await getAutomationRule(services.db, idOf(req));
      const wanted = req.body.etag?.replace(/^W\//, '').replace(/^"|"$/g, '');
      if (wanted !== undefined && wanted !== '*' && current !== undefined && wanted !== current.row.etag) {
        throw new ApiError('PreconditionFailed', `The automation rule was changed since you read it: its etag is "${current.row.etag}", not "${wanted}". GET it again, reapply your change and retry.`, { target: 'etag' });
      }
      const properties = parseAutomationRuleProperties(req.body.properties);
      await resolveOwners(w, properties);
      const { rule, created } = await putAutomationRule(services.db, { workspace: w, name: req.params.automationRuleId!, properties, by: clientInfoOf(req.caller), now: services.now() });
      return { status: created ? 201 : 200, body: presentAutomationRule(await displayId(services.db, w), rule) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: `${RULES}/:automationRuleId`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/read`, scope: idOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const rule = await getAutomationRule(services.db, idOf(req));
      if (rule === undefined) throw new ApiError('ResourceNotFound', `The Resource 'Microsoft.SecurityInsights/automationRules/${req.params.automationRuleId}' was not found in workspace '${w.name}'.`, { target: req.params.automationRuleId! });
      return { status: 200, body: presentAutomationRule(await displayId(services.db, w), rule) };
    },
  });

  armRoute(app, services, {
    method: 'DELETE',
    path: `${RULES}/:automationRuleId`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/delete`, scope: idOf(req) }),
    etag: async (req) => (await getAutomationRule(services.db, idOf(req)))?.row.etag,
    handler: async (req) => {
      await requireWorkspace(services, req, wsIdOf(req));
      return { status: await deleteAutomationRule(services.db, idOf(req)) ? 200 : 204 };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: RULES,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/read`, scope: wsIdOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const shown = await displayId(services.db, w);
      const bodies = (await listAutomationRules(services.db, w.customer_id)).map((r) => presentAutomationRule(shown, r));
      return { status: 200, body: page(req.raw, services.publicUrl, bodies, services.pageSize) };
    },
  });
}
