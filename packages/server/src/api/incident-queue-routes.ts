// The multi-workspace incident queue (Vigil's own API; Sentinel's portal view has no public API):
//   GET  /providers/Vigil.SecurityInsights/incidents   every incident of the workspaces in the
//        caller's Directory + subscription selection, filtered, sorted and paged on the server
//        ($filter, $orderby, $top, $skipToken as the per-workspace list), each with its
//        directory and workspace;
//   POST /providers/Vigil.SecurityInsights/incidents/bulkUpdate   one change (status, severity,
//        owner, classification, labels to add) to many incidents across workspaces, each
//        authorized on its own and recorded in its owner's activity log; the answer says what
//        happened to each.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { armRoute, recordItemActivity } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { ApiError } from '../errors.ts';
import { authorize } from '../access/authorize.ts';
import { canonicalId } from '../arm/resource-id.ts';
import { getWorkspace } from '../control/workspaces.ts';
import { queueWorkspaces } from '../incidents/incident-queue.ts';
import { incidentListQuery } from '../incidents/incident-list.ts';
import {
  CLASSIFICATION_REASONS, CLASSIFICATIONS, getIncident, incidentCounts, IncidentProperties, presentIncident, putIncident, resolveOwner, STATUSES, type Owner,
} from '../incidents/incidents.ts';
import { recordIncidentChanges } from '../incidents/security-incident.ts';
import { runAutomation } from '../incidents/automation.ts';
import { SEVERITIES } from '../detect/rule-model.ts';

const PATH = '/providers/Vigil.SecurityInsights/incidents';
export const MAX_BULK = 1000;

const BulkBody = z.object({
  incidentIds: z.array(z.string().min(1)).min(1, 'incidentIds needs at least one incident id').max(MAX_BULK, `at most ${MAX_BULK} incidents per call`),
  properties: z.object({
    status: z.enum(STATUSES).optional(),
    severity: z.enum(SEVERITIES).optional(),
    owner: z.object({ objectId: z.string().nullish(), userPrincipalName: z.string().nullish(), email: z.string().nullish() }).nullable().optional(),
    classification: z.enum(CLASSIFICATIONS).optional(),
    classificationReason: z.enum(CLASSIFICATION_REASONS).optional(),
    classificationComment: z.string().max(4000).optional(),
    labelsToAdd: z.array(z.string().trim().min(1).max(256)).max(50).optional(),
  }).strict().refine((p) => Object.keys(p).length > 0, { message: 'properties must change something: status, severity, owner, classification, classificationReason, classificationComment or labelsToAdd' }),
}).strict();

const INCIDENT_ID = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+)\/providers\/microsoft\.securityinsights\/incidents\/([^/]+)$/;

export function registerIncidentQueueRoutes(app: FastifyInstance, services: Services): void {
  const ctx = { db: services.db, now: services.now };

  armRoute(app, services, {
    method: 'GET',
    path: PATH,
    apiVersions: API_VERSIONS.vigil,
    access: 'per-item',
    handler: async (req) => {
      const list = incidentListQuery(req.query);
      const workspaces = await queueWorkspaces(ctx, req.caller);
      const byId = new Map(workspaces.map((w) => [w.workspace.customer_id, w]));
      const rows = workspaces.length === 0 ? [] : await list.apply(services.db.selectFrom('incidents').selectAll().where('workspace_id', 'in', [...byId.keys()])).execute();
      const value = await Promise.all(rows.slice(0, list.pageSize).map(async (i) => {
        const w = byId.get(i.workspace_id)!;
        const body = presentIncident(w.displayId, i, await incidentCounts(services.db, i), services.publicUrl);
        return { ...body, properties: { ...body.properties, workspace: {
          id: w.displayId, name: w.workspace.name, customerId: w.workspace.customer_id, subscriptionId: w.workspace.subscription_id,
          subscriptionName: w.subscriptionName, directoryId: w.directoryId, directoryName: w.directoryName, delegated: w.delegated,
        } } };
      }));
      const body: { value: unknown[]; workspaces: number; nextLink?: string } = { value, workspaces: workspaces.length };
      if (rows.length > list.pageSize) body.nextLink = list.nextLink(services.publicUrl, req.raw.url);
      return { status: 200, body };
    },
  });

  armRoute(app, services, {
    method: 'POST',
    path: `${PATH}/bulkUpdate`,
    apiVersions: API_VERSIONS.vigil,
    body: BulkBody,
    access: 'per-item',
    handler: async (req) => {
      const change = req.body.properties;
      const results: { id: string; status: number; error?: { code: string; message: string }; etag?: string }[] = [];
      for (const rawId of req.body.incidentIds) {
        const id = canonicalId(rawId);
        const m = INCIDENT_ID.exec(id);
        const notFound = () => results.push({ id: rawId, status: 404, error: { code: 'ResourceNotFound', message: `Incident '${rawId}' was not found, or you may not read it.` } });
        if (m === null) {
          results.push({ id: rawId, status: 400, error: { code: 'InvalidParameter', message: `'${rawId}' is not an incident id: expected /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{w}/providers/Microsoft.SecurityInsights/incidents/{id}.` } });
          continue;
        }
        // An incident the caller may not read is not found, exactly like one that does not exist.
        const read = await authorize(ctx, req.caller, 'Microsoft.SecurityInsights/incidents/read', id);
        const workspace = read.allowed ? await getWorkspace(services.db, m[1]!) : undefined;
        const current = workspace === undefined ? undefined : await getIncident(services.db, id);
        if (!read.allowed || workspace === undefined || current === undefined) { notFound(); continue; }
        const check = { action: 'Microsoft.SecurityInsights/incidents/write', scope: id };
        const write = await authorize(ctx, req.caller, check.action, check.scope);
        if (!write.allowed) {
          const message = `You may read incident ${current.number} of workspace '${workspace.name}' but not change it (${write.reason}).`;
          await recordItemActivity(req, 'PUT', check, write, 403, message);
          results.push({ id: rawId, status: 403, error: { code: 'AuthorizationFailed', message } });
          continue;
        }
        try {
          const labels = JSON.parse(current.labels) as { labelName: string }[];
          const parsed = IncidentProperties.safeParse({
            title: current.title, description: current.description,
            severity: change.severity ?? current.severity,
            status: change.status ?? current.status,
            classification: change.classification ?? current.classification,
            classificationReason: change.classificationReason ?? current.classification_reason,
            classificationComment: change.classificationComment ?? current.classification_comment,
            labels: [...labels, ...(change.labelsToAdd ?? []).filter((l) => !labels.some((x) => x.labelName === l)).map((labelName) => ({ labelName }))],
          });
          if (!parsed.success) throw new ApiError('InvalidRequestContent', `The change does not fit incident ${current.number}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`);
          const input = parsed.data;
          const owner: Owner = change.owner === undefined ? JSON.parse(current.owner) as Owner : await resolveOwner(services.db, services.now, workspace, workspace.id, change.owner);
          const { incident } = await putIncident(services.db, { workspace, name: current.name, input, owner, by: req.caller.name, now: services.now() });
          await recordIncidentChanges(services, [incident.id]);
          await runAutomation(services, workspace, [{ kind: 'IncidentUpdated', incidentId: incident.id, before: current }]);
          await recordItemActivity(req, 'PUT', check, write, 200, null);
          results.push({ id: rawId, status: 200, etag: `"${(await getIncident(services.db, incident.id))?.etag ?? incident.etag}"` });
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          await recordItemActivity(req, 'PUT', check, write, error.status, error.message);
          results.push({ id: rawId, status: error.status, error: { code: error.code, message: error.message } });
        }
      }
      return { status: 200, body: { value: results, succeeded: results.filter((r) => r.status === 200).length, failed: results.filter((r) => r.status !== 200).length } };
    },
  });
}
