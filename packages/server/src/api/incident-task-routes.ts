// Incident tasks on ARM's paths (Microsoft.SecurityInsights/incidents/{id}/tasks/{taskId}), as
// Sentinel's REST API has them (2022-12-01-preview and later): PUT, GET, DELETE and the list. At
// most 40 per incident; the body's etag (or If-Match) guards against lost updates.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { requireWorkspace } from './workspace-routes.ts';
import { displayId, workspaceId, type Workspace } from '../control/workspaces.ts';
import { ApiError } from '../errors.ts';
import { inTransaction } from '../db/database.ts';
import { getIncident, incidentId, type Incident } from '../incidents/incidents.ts';
import { recordIncidentChanges } from '../incidents/security-incident.ts';
import { addTask, clientInfoOf, getTask, listTasks, presentTask, TaskProperties, taskId, updateTask } from '../incidents/tasks.ts';

const WS = '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.OperationalInsights/workspaces/:workspaceName';
const TASKS = `${WS}/providers/Microsoft.SecurityInsights/incidents/:incidentId/tasks`;
const ACTION = 'Microsoft.SecurityInsights/incidents/tasks';

const TaskBody = z.object({ etag: z.string().optional(), properties: TaskProperties }).passthrough();

export function registerIncidentTaskRoutes(app: FastifyInstance, services: Services): void {
  const wsIdOf = (req: ArmRequest) => workspaceId(req.params.subscriptionId!, req.params.resourceGroupName!, req.params.workspaceName!);
  const incidentIdOf = (req: ArmRequest) => incidentId(wsIdOf(req), req.params.incidentId!);
  const idOf = (req: ArmRequest) => taskId(incidentIdOf(req), req.params.taskId!);
  const requireIncident = async (req: ArmRequest, w: Workspace): Promise<Incident> => {
    const i = await getIncident(services.db, incidentIdOf(req));
    if (i === undefined) throw new ApiError('ResourceNotFound', `The Resource 'Microsoft.SecurityInsights/incidents/${req.params.incidentId}' was not found in workspace '${w.name}'.`, { target: req.params.incidentId! });
    return i;
  };
  const shownIncident = async (w: Workspace, i: Incident) => `${await displayId(services.db, w)}/providers/Microsoft.SecurityInsights/incidents/${i.name}`;

  armRoute(app, services, {
    method: 'PUT',
    path: `${TASKS}/:taskId`,
    apiVersions: API_VERSIONS.securityInsights,
    body: TaskBody,
    access: (req) => ({ action: `${ACTION}/write`, scope: idOf(req) }),
    etag: async (req) => (await getTask(services.db, idOf(req)))?.etag,
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const i = await requireIncident(req, w);
      const by = clientInfoOf(req.caller);
      const now = services.now();
      const wanted = req.body.etag?.replace(/^W\//, '').replace(/^"|"$/g, '');
      const { task, created } = await inTransaction(services.db, async (trx) => {
        const existing = await getTask(trx, idOf(req));
        if (wanted !== undefined && wanted !== '*' && existing !== undefined && wanted !== existing.etag) {
          throw new ApiError('PreconditionFailed', `The task was changed since you read it: its etag is "${existing.etag}", not "${wanted}". GET it again, reapply your change and retry.`, { target: 'etag' });
        }
        return existing === undefined
          ? { task: await addTask(trx, i, req.params.taskId!, req.body.properties, by, now), created: true }
          : { task: await updateTask(trx, existing, req.body.properties, by, now), created: false };
      });
      await recordIncidentChanges(services, [i.id]);
      return { status: created ? 201 : 200, body: presentTask(await shownIncident(w, i), task) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: TASKS,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/read`, scope: incidentIdOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const i = await requireIncident(req, w);
      const shown = await shownIncident(w, i);
      return { status: 200, body: { value: (await listTasks(services.db, i.id)).map((t) => presentTask(shown, t)) } };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: `${TASKS}/:taskId`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/read`, scope: idOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const i = await requireIncident(req, w);
      const t = await getTask(services.db, idOf(req));
      if (t === undefined) throw new ApiError('ResourceNotFound', `Task '${req.params.taskId}' was not found on incident ${i.number}.`, { target: req.params.taskId! });
      return { status: 200, body: presentTask(await shownIncident(w, i), t) };
    },
  });

  armRoute(app, services, {
    method: 'DELETE',
    path: `${TASKS}/:taskId`,
    apiVersions: API_VERSIONS.securityInsights,
    access: (req) => ({ action: `${ACTION}/delete`, scope: idOf(req) }),
    etag: async (req) => (await getTask(services.db, idOf(req)))?.etag,
    handler: async (req) => {
      await requireWorkspace(services, req, wsIdOf(req));
      const result = await services.db.deleteFrom('incident_tasks').where('id', '=', idOf(req)).executeTakeFirst();
      const deleted = Number(result.numDeletedRows) > 0;
      if (deleted) await recordIncidentChanges(services, [incidentIdOf(req)]);
      return { status: deleted ? 200 : 204 };
    },
  });
}
