// Incidents and their comments on ARM's paths (Microsoft.SecurityInsights/incidents), as
// @azure/arm-securityinsight calls them. Lists take $filter (eq / ne on properties/status and
// properties/severity, joined with and), $orderby (createdTimeUtc, lastModifiedTimeUtc,
// incidentNumber, severity; asc or desc) and $top, paged on the server.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { requireWorkspace } from './workspace-routes.ts';
import { displayId, workspaceId, type Workspace } from '../control/workspaces.ts';
import { ApiError } from '../errors.ts';
import {
  getIncident, incidentCounts, incidentId, IncidentProperties, presentIncident, putIncident, resolveOwner, type Incident,
} from '../incidents/incidents.ts';
import { recordIncidentChanges } from '../incidents/security-incident.ts';
import { incidentEntities } from '../incidents/incident-entities.ts';
import { incidentTimeline } from '../incidents/timeline.ts';
import { incidentListQuery } from '../incidents/incident-list.ts';
import { runAutomation } from '../incidents/automation.ts';
import { registerIncidentTaskRoutes } from './incident-task-routes.ts';

const WS = '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.OperationalInsights/workspaces/:workspaceName';
const INCIDENTS = `${WS}/providers/Microsoft.SecurityInsights/incidents`;
const ACTION = 'Microsoft.SecurityInsights/incidents';

const IncidentBody = z.object({ etag: z.string().optional(), properties: IncidentProperties }).passthrough();
const CommentBody = z.object({ etag: z.string().optional(), properties: z.object({ message: z.string().trim().min(1, 'message is required').max(30_000) }).passthrough() }).passthrough();
export const MAX_COMMENTS_PER_INCIDENT = 100;

export function registerIncidentRoutes(app: FastifyInstance, services: Services): void {
  const wsIdOf = (req: ArmRequest) => workspaceId(req.params.subscriptionId!, req.params.resourceGroupName!, req.params.workspaceName!);
  const idOf = (req: ArmRequest) => incidentId(wsIdOf(req), req.params.incidentId!);
  const present = async (w: Workspace, i: Incident) => presentIncident(await displayId(services.db, w), i, await incidentCounts(services.db, i), services.publicUrl);
  const requireIncident = async (req: ArmRequest, w: Workspace) => {
    const i = await getIncident(services.db, idOf(req));
    if (i === undefined) throw new ApiError('ResourceNotFound', `The Resource 'Microsoft.SecurityInsights/incidents/${req.params.incidentId}' was not found in workspace '${w.name}'.`, { target: req.params.incidentId! });
    return i;
  };
  const bodyEtag = (etag: string | undefined) => etag?.replace(/^W\//, '').replace(/^"|"$/g, '');

  armRoute(app, services, {
    method: 'PUT',
    path: `${INCIDENTS}/:incidentId`,
    apiVersions: API_VERSIONS.securityInsights,
    body: IncidentBody,
    access: (req) => ({ action: `${ACTION}/write`, scope: idOf(req) }),
    etag: async (req) => (await getIncident(services.db, idOf(req)))?.etag,
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const current = await getIncident(services.db, idOf(req));
      const wanted = bodyEtag(req.body.etag);
      if (wanted !== undefined && wanted !== '*' && current !== undefined && wanted !== current.etag) {
        throw new ApiError('PreconditionFailed', `The incident was changed since you read it: its etag is "${current.etag}", not "${wanted}". GET it again, reapply your change and retry.`, { target: 'etag' });
      }
      const owner = await resolveOwner(services.db, services.now, w, w.id, req.body.properties.owner);
      const { incident, created } = await putIncident(services.db, { workspace: w, name: req.params.incidentId!, input: req.body.properties, owner, by: req.caller.name, now: services.now() });
      await recordIncidentChanges(services, [incident.id]);
      // The answer shows what the workspace's automation rules then did (Sentinel runs them a moment later).
      await runAutomation(services, w, [created ? { kind: 'IncidentCreated', incidentId: incident.id } : { kind: 'IncidentUpdated', incidentId: incident.id, before: current ?? incident }]);
      return { status: created ? 201 : 200, body: await present(w, await getIncident(services.db, incident.id) ?? incident) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: `${INCIDENTS}/:incidentId`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/read`, scope: idOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      return { status: 200, body: await present(w, await requireIncident(req, w)) };
    },
  });

  armRoute(app, services, {
    method: 'DELETE',
    path: `${INCIDENTS}/:incidentId`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/delete`, scope: idOf(req) }),
    handler: async (req) => {
      await requireWorkspace(services, req, wsIdOf(req));
      await services.db.updateTable('alerts').set({ incident_id: null }).where('incident_id', '=', idOf(req)).execute();
      const result = await services.db.deleteFrom('incidents').where('id', '=', idOf(req)).executeTakeFirst();
      return { status: Number(result.numDeletedRows) > 0 ? 200 : 204 };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: INCIDENTS,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/read`, scope: wsIdOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const list = incidentListQuery(req.query);
      const rows = await list.apply(services.db.selectFrom('incidents').selectAll().where('workspace_id', '=', w.customer_id)).execute();
      const value = await Promise.all(rows.slice(0, list.pageSize).map((i) => present(w, i)));
      const body: { value: unknown[]; nextLink?: string } = { value };
      if (rows.length > list.pageSize) body.nextLink = list.nextLink(services.publicUrl, req.raw.url);
      return { status: 200, body };
    },
  });

  armRoute(app, services, {
    method: 'POST',
    path: `${INCIDENTS}/:incidentId/alerts`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/read`, scope: idOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const i = await requireIncident(req, w);
      const alerts = await services.db.selectFrom('alerts').select(['id', 'record']).where('incident_id', '=', i.id).orderBy('time_generated').execute();
      const shown = await displayId(services.db, w);
      return {
        status: 200,
        body: { value: alerts.map((a) => {
          const r = JSON.parse(a.record) as Record<string, string>;
          return {
            id: `${shown}/providers/Microsoft.SecurityInsights/entities/${a.id}`, name: a.id, type: 'Microsoft.SecurityInsights/Entities', kind: 'SecurityAlert',
            properties: {
              alertDisplayName: r.DisplayName, description: r.Description, severity: r.AlertSeverity, status: r.Status, systemAlertId: a.id,
              alertType: r.AlertType, productName: r.ProductName, providerAlertId: a.id, timeGenerated: r.TimeGenerated, startTimeUtc: r.StartTime, endTimeUtc: r.EndTime,
              tactics: r.Tactics === '' ? [] : r.Tactics!.split(', '), friendlyName: r.DisplayName, additionalData: JSON.parse(r.ExtendedProperties!) as unknown,
            },
          };
        }) },
      };
    },
  });

  armRoute(app, services, {
    method: 'POST',
    path: `${INCIDENTS}/:incidentId/entities`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/read`, scope: idOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const i = await requireIncident(req, w);
      return { status: 200, body: await incidentEntities(services.db, i.id, await displayId(services.db, w)) };
    },
  });

  // The timeline (Vigil's API: Sentinel shows it in the portal only).
  armRoute(app, services, {
    method: 'GET',
    path: `${WS}/providers/Vigil.SecurityInsights/incidents/:incidentId/timeline`,
    apiVersions: API_VERSIONS.vigil,
    access: (req) => ({ action: `${ACTION}/read`, scope: idOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const i = await requireIncident(req, w);
      return { status: 200, body: { value: await incidentTimeline(services, req.caller, w, i) } };
    },
  });

  // --- comments ---
  const commentId = (req: ArmRequest) => `${idOf(req)}/comments/${req.params.commentId!.toLowerCase()}`;
  const presentComment = (shownIncident: string, c: { name: string; message: string; author: string; etag: string; created_at: string; updated_at: string }) => ({
    id: `${shownIncident}/comments/${c.name}`, name: c.name, type: 'Microsoft.SecurityInsights/incidents/comments', etag: `"${c.etag}"`,
    systemData: { createdAt: c.created_at, lastModifiedAt: c.updated_at },
    properties: { message: c.message, createdTimeUtc: c.created_at, lastModifiedTimeUtc: c.updated_at, author: JSON.parse(c.author) as unknown },
  });
  const shownIncident = async (w: Workspace, i: Incident) => `${await displayId(services.db, w)}/providers/Microsoft.SecurityInsights/incidents/${i.name}`;

  armRoute(app, services, {
    method: 'PUT',
    path: `${INCIDENTS}/:incidentId/comments/:commentId`,
    apiVersions: API_VERSIONS.securityInsights,
    body: CommentBody,
    access: (req) => ({ action: `${ACTION}/comments/write`, scope: commentId(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const i = await requireIncident(req, w);
      const existing = await services.db.selectFrom('incident_comments').selectAll().where('id', '=', commentId(req)).executeTakeFirst();
      if (existing === undefined) {
        const count = await services.db.selectFrom('incident_comments').select((eb) => eb.fn.countAll<number>().as('n')).where('incident_id', '=', i.id).executeTakeFirst();
        if (Number(count?.n ?? 0) >= MAX_COMMENTS_PER_INCIDENT) {
          throw new ApiError('InvalidRequestContent', `Incident ${i.number} already has ${MAX_COMMENTS_PER_INCIDENT} comments, the most one incident takes (as in Sentinel). Edit an existing comment instead.`, { target: 'properties.message' });
        }
      } else if (JSON.parse(existing.author).objectId !== req.caller.principalId) {
        throw new ApiError('AuthorizationFailed', 'Only the author of a comment may edit it.', { target: req.params.commentId! });
      }
      const stamp = services.now().toISOString();
      const row = {
        id: commentId(req), incident_id: i.id, name: existing?.name ?? req.params.commentId!, message: req.body.properties.message,
        author: existing?.author ?? JSON.stringify({ objectId: req.caller.principalId, email: req.caller.name, name: req.caller.displayName, userPrincipalName: req.caller.name }),
        etag: randomUUID(), created_at: existing?.created_at ?? stamp, updated_at: stamp,
      };
      await services.db.insertInto('incident_comments').values(row).onConflict((oc) => oc.column('id').doUpdateSet({ message: row.message, etag: row.etag, updated_at: stamp })).execute();
      await recordIncidentChanges(services, [i.id]);
      return { status: existing === undefined ? 201 : 200, body: presentComment(await shownIncident(w, i), row) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: `${INCIDENTS}/:incidentId/comments`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/comments/read`, scope: idOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const i = await requireIncident(req, w);
      const rows = await services.db.selectFrom('incident_comments').selectAll().where('incident_id', '=', i.id).orderBy('created_at').execute();
      const shown = await shownIncident(w, i);
      return { status: 200, body: { value: rows.map((c) => presentComment(shown, c)) } };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: `${INCIDENTS}/:incidentId/comments/:commentId`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/comments/read`, scope: commentId(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const i = await requireIncident(req, w);
      const c = await services.db.selectFrom('incident_comments').selectAll().where('id', '=', commentId(req)).executeTakeFirst();
      if (c === undefined) throw new ApiError('ResourceNotFound', `Comment '${req.params.commentId}' was not found on incident ${i.number}.`, { target: req.params.commentId! });
      return { status: 200, body: presentComment(await shownIncident(w, i), c) };
    },
  });

  armRoute(app, services, {
    method: 'DELETE',
    path: `${INCIDENTS}/:incidentId/comments/:commentId`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/comments/delete`, scope: commentId(req) }),
    handler: async (req) => {
      await requireWorkspace(services, req, wsIdOf(req));
      const result = await services.db.deleteFrom('incident_comments').where('id', '=', commentId(req)).executeTakeFirst();
      return { status: Number(result.numDeletedRows) > 0 ? 200 : 204 };
    },
  });

  registerIncidentTaskRoutes(app, services);
}
