// Analytics rules on ARM's paths (Microsoft.SecurityInsights/alertRules), as
// @azure/arm-securityinsight calls them: PUT/GET/DELETE .../alertRules/{ruleId} and the list.
// Saving checks the settings (detect/rule-model.ts), compiles the query as the scheduler will
// run it, with the saver's reach, and checks the columns the rule names are among its results; the rule then runs as the principal who last saved it.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { page } from './paging.ts';
import { requireSentinelWorkspace, requireWorkspace } from './workspace-routes.ts';
import { displayId, workspaceId, type Workspace } from '../control/workspaces.ts';
import { ApiError } from '../errors.ts';
import { alertRuleId, deleteAlertRule, getAlertRule, listAlertRules, presentAlertRule, putAlertRule } from '../control/alert-rules.ts';
import { parseRuleProperties } from '../detect/rule-model.ts';
import { checkRule } from '../detect/rule-query.ts';
import { testRule } from '../detect/rule-test.ts';
import { QUERY_READ } from '../query/workspace-access.ts';

const WS = '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.OperationalInsights/workspaces/:workspaceName';

const RuleBody = z.object({
  kind: z.string({ message: 'kind is required: Scheduled or NRT' }),
  etag: z.string().optional(),
  properties: z.record(z.string(), z.unknown(), { message: 'properties is required: the rule\'s settings (displayName, severity, enabled, query, ...)' }),
}).passthrough();

const ACTION = 'Microsoft.SecurityInsights/alertRules';

export function registerAlertRuleRoutes(app: FastifyInstance, services: Services): void {
  const wsIdOf = (req: ArmRequest) => workspaceId(req.params.subscriptionId!, req.params.resourceGroupName!, req.params.workspaceName!);
  const idOf = (req: ArmRequest) => alertRuleId(wsIdOf(req), req.params.ruleId!);
  const requireSentinel = (req: ArmRequest): Promise<Workspace> => requireSentinelWorkspace(services, req, wsIdOf(req));

  armRoute(app, services, {
    method: 'PUT',
    path: `${WS}/providers/Microsoft.SecurityInsights/alertRules/:ruleId`,
    apiVersions: API_VERSIONS.securityInsights,
    body: RuleBody,
    access: (req) => ({ action: `${ACTION}/write`, scope: idOf(req) }),
    etag: async (req) => (await getAlertRule(services.db, idOf(req)))?.row.etag,
    handler: async (req) => {
      const w = await requireSentinel(req);
      const current = await getAlertRule(services.db, idOf(req));
      // The body's etag works as If-Match does, as Sentinel documents for its resources.
      const wanted = req.body.etag?.replace(/^W\//, '').replace(/^"|"$/g, '');
      if (wanted !== undefined && wanted !== '*' && current !== undefined && wanted !== current.row.etag) {
        throw new ApiError('PreconditionFailed', `The analytics rule was changed since you read it: its etag is "${current.row.etag}", not "${wanted}". GET it again, reapply your change and retry.`, { target: 'etag' });
      }
      if (current !== undefined && current.row.kind !== req.body.kind) {
        throw new ApiError('InvalidRequestContent', `Analytics rule '${current.row.name}' is of kind '${current.row.kind}'; its kind cannot change to '${req.body.kind}'. Create a new rule instead.`, { target: 'kind' });
      }
      const definition = parseRuleProperties(req.body.kind, req.body.properties);
      const now = services.now();
      const end = await checkRule(services, req.caller, w, definition, now);
      const { rule, created } = await putAlertRule(services.db, {
        workspace: w, name: req.params.ruleId!, definition, principalId: req.caller.principalId, principalName: req.caller.name, now, firstWindowEnd: end,
      });
      return { status: created ? 201 : 200, body: presentAlertRule(await displayId(services.db, w), rule) };
    },
  });

  // "Test with current data" (Vigil's API: Sentinel's portal feature has no public one): a rule's
  // settings, saved or not, run over the last `days` days; reads the workspace's logs, so it is
  // authorized as a query of the workspace.
  armRoute(app, services, {
    method: 'POST',
    path: `${WS}/providers/Vigil.SecurityInsights/testAlertRule`,
    apiVersions: API_VERSIONS.vigil,
    body: RuleBody.extend({ days: z.number().optional() }),
    access: (req) => ({ action: QUERY_READ, scope: wsIdOf(req) }),
    handler: async (req) => {
      const w = await requireSentinel(req);
      const definition = parseRuleProperties(req.body.kind, req.body.properties);
      await checkRule(services, req.caller, w, definition, services.now());
      return { status: 200, body: await testRule(services, req.caller, w, definition, req.body.days ?? 2) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: `${WS}/providers/Microsoft.SecurityInsights/alertRules/:ruleId`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/read`, scope: idOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const rule = await getAlertRule(services.db, idOf(req));
      if (rule === undefined) throw new ApiError('ResourceNotFound', `The Resource 'Microsoft.SecurityInsights/alertRules/${req.params.ruleId}' was not found in workspace '${w.name}'.`, { target: req.params.ruleId! });
      return { status: 200, body: presentAlertRule(await displayId(services.db, w), rule) };
    },
  });

  // Run history (Vigil's API; Sentinel keeps it in SentinelHealth, which Vigil writes too).
  armRoute(app, services, {
    method: 'GET',
    path: `${WS}/providers/Vigil.SecurityInsights/alertRules/:ruleId/runs`,
    apiVersions: API_VERSIONS.vigil,
    access: (req) => ({ action: `${ACTION}/read`, scope: idOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const rule = await getAlertRule(services.db, idOf(req));
      if (rule === undefined) throw new ApiError('ResourceNotFound', `The Resource 'Microsoft.SecurityInsights/alertRules/${req.params.ruleId}' was not found in workspace '${w.name}'.`, { target: req.params.ruleId! });
      const top = req.query.$top === undefined ? 100 : Number(req.query.$top);
      if (!Number.isInteger(top) || top < 1 || top > 10_000) throw new ApiError('InvalidParameter', `$top must be a whole number from 1 to 10000; got '${req.query.$top}'.`, { target: '$top' });
      const runs = await services.db.selectFrom('rule_runs').selectAll().where('rule_id', '=', rule.row.id).orderBy('window_end', 'desc').limit(top).execute();
      return { status: 200, body: {
        enabled: rule.definition.properties.enabled,
        disabledReason: rule.row.disabled_reason,
        value: runs.map((r) => ({ windowStart: r.window_start, windowEnd: r.window_end, startedAt: r.started_at, durationMs: r.duration_ms, status: r.status, rows: r.rows, alerts: r.alerts, error: r.error })),
      } };
    },
  });

  armRoute(app, services, {
    method: 'DELETE',
    path: `${WS}/providers/Microsoft.SecurityInsights/alertRules/:ruleId`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/delete`, scope: idOf(req) }),
    etag: async (req) => (await getAlertRule(services.db, idOf(req)))?.row.etag,
    handler: async (req) => {
      await requireWorkspace(services, req, wsIdOf(req));
      const deleted = await deleteAlertRule(services.db, idOf(req));
      return { status: deleted ? 200 : 204 };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: `${WS}/providers/Microsoft.SecurityInsights/alertRules`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/read`, scope: wsIdOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const shown = await displayId(services.db, w);
      const bodies = (await listAlertRules(services.db, w.customer_id)).map((r) => presentAlertRule(shown, r));
      return { status: 200, body: page(req.raw, services.publicUrl, bodies, services.pageSize) };
    },
  });
}
