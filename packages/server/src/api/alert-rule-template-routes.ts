// Analytics rule templates on ARM's paths (Microsoft.SecurityInsights/alertRuleTemplates), as
// @azure/arm-securityinsight calls them: GET .../alertRuleTemplates and .../alertRuleTemplates/{id}.
// The gallery is Vigil's own (detect/templates/); per workspace, each template shows how many of
// the workspace's rules were made from it.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { page } from './paging.ts';
import { requireWorkspace } from './workspace-routes.ts';
import { displayId, workspaceId, type Workspace } from '../control/workspaces.ts';
import { listAlertRules } from '../control/alert-rules.ts';
import { ApiError } from '../errors.ts';
import { findTemplate, TEMPLATES, type GalleryTemplate } from '../detect/templates/gallery.ts';

const WS = '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.OperationalInsights/workspaces/:workspaceName';
const READ = 'Microsoft.SecurityInsights/alertRuleTemplates/read';

/** How many of the workspace's rules name each template (alertRuleTemplateName), by lower-case id. */
async function rulesByTemplate(services: Services, w: Workspace): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const rule of await listAlertRules(services.db, w.customer_id)) {
    const name = rule.definition.properties.alertRuleTemplateName?.toLowerCase();
    if (name !== undefined) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** A template in ARM's form: the rule's settings without what belongs to a rule only (enabled, suppression, incidents). */
export function presentAlertRuleTemplate(workspaceDisplayId: string, g: GalleryTemplate, rulesCreated: number) {
  const t = g.template;
  const p = g.rule.properties;
  const properties: Record<string, unknown> = {
    displayName: p.displayName,
    description: p.description,
    severity: p.severity,
    query: p.query,
    tactics: p.tactics,
    techniques: p.techniques,
    subTechniques: p.subTechniques,
    requiredDataConnectors: t.requiredDataConnectors,
    version: t.version,
    status: rulesCreated > 0 ? 'Installed' : 'Available',
    alertRulesCreatedByTemplateCount: rulesCreated,
    createdDateUTC: t.createdDateUTC,
    lastUpdatedDateUTC: t.lastUpdatedDateUTC,
    eventGroupingSettings: p.eventGroupingSettings,
    entityMappings: p.entityMappings,
    customDetails: p.customDetails,
  };
  if (p.alertDetailsOverride !== null) properties.alertDetailsOverride = p.alertDetailsOverride;
  if (g.rule.kind === 'Scheduled') {
    const s = g.rule.properties;
    Object.assign(properties, { queryFrequency: s.queryFrequency, queryPeriod: s.queryPeriod, triggerOperator: s.triggerOperator, triggerThreshold: s.triggerThreshold });
  }
  return {
    id: `${workspaceDisplayId}/providers/Microsoft.SecurityInsights/alertRuleTemplates/${t.id}`,
    name: t.id,
    type: 'Microsoft.SecurityInsights/alertRuleTemplates',
    kind: g.rule.kind,
    properties,
  };
}

export function registerAlertRuleTemplateRoutes(app: FastifyInstance, services: Services): void {
  const wsIdOf = (req: ArmRequest) => workspaceId(req.params.subscriptionId!, req.params.resourceGroupName!, req.params.workspaceName!);

  armRoute(app, services, {
    method: 'GET',
    path: `${WS}/providers/Microsoft.SecurityInsights/alertRuleTemplates`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: READ, scope: wsIdOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const shown = await displayId(services.db, w);
      const counts = await rulesByTemplate(services, w);
      const bodies = TEMPLATES.map((g) => presentAlertRuleTemplate(shown, g, counts.get(g.template.id) ?? 0));
      return { status: 200, body: page(req.raw, services.publicUrl, bodies, services.pageSize) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: `${WS}/providers/Microsoft.SecurityInsights/alertRuleTemplates/:templateId`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: READ, scope: `${wsIdOf(req)}/providers/microsoft.securityinsights/alertruletemplates/${req.params.templateId!.toLowerCase()}` }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const g = findTemplate(req.params.templateId!);
      if (g === undefined) {
        throw new ApiError('ResourceNotFound', `The Resource 'Microsoft.SecurityInsights/alertRuleTemplates/${req.params.templateId}' was not found: Vigil's gallery has no template with this id. List them with GET .../providers/Microsoft.SecurityInsights/alertRuleTemplates.`, { target: req.params.templateId! });
      }
      const counts = await rulesByTemplate(services, w);
      return { status: 200, body: presentAlertRuleTemplate(await displayId(services.db, w), g, counts.get(g.template.id) ?? 0) };
    },
  });
}
