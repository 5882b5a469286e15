// The activity log: every write, and every access through a delegation, recorded in the
// directory that owns the resource, with the caller as they really are (home directory and
// the delegation they came through).
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { ActivityLogTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';

export type ActivityEvent = Selectable<ActivityLogTable>;

export interface ActivityInput {
  directoryId: string;
  subscriptionId: string | null;
  resourceId: string;
  operation: string;
  httpMethod: string;
  status: 'Succeeded' | 'Failed';
  httpStatus: number;
  callerPrincipalId: string;
  callerDirectoryId: string;
  callerName: string;
  delegationAssignmentId: string | null;
  correlationId: string;
  message: string | null;
  time: Date;
}

/** Records the event; returns its id. */
export async function recordActivity(db: Db, e: ActivityInput): Promise<string> {
  const eventId = randomUUID();
  await db.insertInto('activity_log').values({
    event_id: eventId,
    directory_id: e.directoryId,
    subscription_id: e.subscriptionId,
    resource_id: e.resourceId,
    operation: e.operation,
    http_method: e.httpMethod,
    status: e.status,
    http_status: e.httpStatus,
    caller_principal_id: e.callerPrincipalId,
    caller_directory_id: e.callerDirectoryId,
    caller_name: e.callerName,
    delegation_assignment_id: e.delegationAssignmentId,
    correlation_id: e.correlationId,
    message: e.message,
    time: e.time.toISOString(),
  }).execute();
  return eventId;
}

export async function listActivity(
  db: Db,
  directoryId: string,
  filter: { subscriptionId?: string; from?: string; to?: string; limit?: number } = {},
): Promise<ActivityEvent[]> {
  let q = db.selectFrom('activity_log').selectAll().where('directory_id', '=', directoryId);
  if (filter.subscriptionId !== undefined) q = q.where('subscription_id', '=', filter.subscriptionId.toLowerCase());
  if (filter.from !== undefined) q = q.where('time', '>=', filter.from);
  if (filter.to !== undefined) q = q.where('time', '<', filter.to);
  return q.orderBy('id', 'desc').limit(filter.limit ?? 1000).execute();
}
