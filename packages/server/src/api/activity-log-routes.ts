// The activity log of a subscription, in Azure Monitor's EventData shape
// (GET /subscriptions/{id}/providers/Microsoft.Insights/eventtypes/management/values).
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';
import { armRoute } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { page } from './paging.ts';
import { subscriptionScope } from '../arm/resource-id.ts';
import { listActivity, type ActivityEvent } from '../control/activity-log.ts';
import { ApiError } from '../errors.ts';

export function registerActivityLogRoutes(app: FastifyInstance, services: Services): void {
  armRoute(app, services, {
    method: 'GET',
    path: '/subscriptions/:subscriptionId/providers/Microsoft.Insights/eventtypes/management/values',
    apiVersions: API_VERSIONS.activityLog,
    access: (req) => ({ action: 'Microsoft.Insights/eventtypes/values/read', scope: subscriptionScope(req.params.subscriptionId!) }),
    handler: async (req) => {
      const subscriptionId = req.params.subscriptionId!.toLowerCase();
      const sub = await services.db.selectFrom('subscriptions').select('directory_id').where('id', '=', subscriptionId).executeTakeFirstOrThrow();
      const range = parseTimeFilter(req.query.$filter);
      const events = await listActivity(services.db, sub.directory_id, { subscriptionId, ...range });
      return { status: 200, body: page(req.raw, services.publicUrl, events.map(present), services.pageSize) };
    },
  });
}

/** Supports Azure's `eventTimestamp ge '<iso>' and eventTimestamp le '<iso>'` filter. */
function parseTimeFilter(filter: string | undefined): { from?: string; to?: string } {
  if (filter === undefined || filter.trim() === '') return {};
  const out: { from?: string; to?: string } = {};
  for (const clause of filter.split(/\s+and\s+/i)) {
    const m = /^\s*eventTimestamp\s+(ge|le|gt|lt)\s+'([^']+)'\s*$/i.exec(clause);
    if (m === null) {
      if (/^\s*(resourceGroupName|resourceId|resourceProvider|correlationId|status|caller)\s+eq\s+'[^']*'\s*$/i.test(clause)) continue;
      throw new ApiError('InvalidParameter', `The $filter clause '${clause.trim()}' is not supported. Use eventTimestamp ge '<ISO time>' and eventTimestamp le '<ISO time>'.`, { target: '$filter' });
    }
    const time = new Date(m[2]!);
    if (Number.isNaN(time.getTime())) throw new ApiError('InvalidParameter', `'${m[2]}' in $filter is not an ISO 8601 time.`, { target: '$filter' });
    if (m[1]!.toLowerCase().startsWith('g')) out.from = time.toISOString();
    else out.to = new Date(time.getTime() + 1).toISOString();
  }
  return out;
}

function present(e: ActivityEvent) {
  return {
    id: `${e.resource_id}/events/${e.event_id}/ticks/${Date.parse(e.time)}`,
    eventDataId: e.event_id,
    correlationId: e.correlation_id,
    eventName: { value: 'EndRequest', localizedValue: 'End request' },
    category: { value: 'Administrative', localizedValue: 'Administrative' },
    level: e.status === 'Succeeded' ? 'Informational' : 'Error',
    caller: e.caller_name,
    authorization: { action: e.operation, scope: e.resource_id },
    claims: { oid: e.caller_principal_id, tid: e.caller_directory_id },
    operationName: { value: e.operation, localizedValue: e.operation },
    resourceId: e.resource_id,
    status: { value: e.status, localizedValue: e.status },
    subStatus: { value: String(e.http_status), localizedValue: String(e.http_status) },
    eventTimestamp: e.time,
    submissionTimestamp: e.time,
    subscriptionId: e.subscription_id,
    tenantId: e.directory_id,
    properties: {
      statusCode: String(e.http_status),
      httpMethod: e.http_method,
      callerPrincipalId: e.caller_principal_id,
      callerHomeTenantId: e.caller_directory_id,
      delegatedThrough: e.delegation_assignment_id,
      message: e.message,
    },
  };
}
