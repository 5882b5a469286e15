// The AzureActivity table: a workspace with an Azure Activity data connector receives the
// activity log of the subscriptions the connector names (by default the workspace's own), as
// Sentinel's Azure Activity connector routes a subscription's activity log to a workspace.
// The control plane's activity log stays the record; this copy is for queries and rules, and
// a copy that fails is logged, not retried.
import type { Services } from '../services.ts';
import type { ActivityInput } from '../control/activity-log.ts';
import { findStandardTable } from '../logstore/schema.ts';
import { typeRows } from './type-rows.ts';

export const AZURE_ACTIVITY_SOURCE = 'AzureActivity';

/** The subscriptions an Azure Activity connector covers. */
export function coveredSubscriptions(properties: Record<string, unknown>, workspaceSubscription: string): string[] {
  const listed = properties.subscriptionIds;
  return Array.isArray(listed) && listed.length > 0 ? listed.map((s) => String(s).toLowerCase()) : [workspaceSubscription];
}

export async function forwardActivity(services: Pick<Services, 'db' | 'ingestor' | 'now'>, eventId: string, e: ActivityInput): Promise<void> {
  if (e.subscriptionId === null) return;
  const connectors = await services.db.selectFrom('data_connectors')
    .innerJoin('workspaces', 'workspaces.id', 'data_connectors.workspace_id')
    .innerJoin('subscriptions', 'subscriptions.id', 'workspaces.subscription_id')
    .select(['data_connectors.properties', 'workspaces.customer_id', 'workspaces.subscription_id', 'subscriptions.directory_id'])
    .where('data_connectors.kind', '=', 'AzureActivity')
    .where('subscriptions.directory_id', '=', e.directoryId)
    .execute();
  const targets = connectors.filter((c) => coveredSubscriptions(JSON.parse(c.properties) as Record<string, unknown>, c.subscription_id).includes(e.subscriptionId!));
  if (targets.length === 0) return;
  const table = findStandardTable('AzureActivity')!;
  const segments = e.resourceId.split('/');
  const rg = segments[3] === 'resourcegroups' ? segments[4] : undefined;
  const provider = segments.includes('providers') ? segments[segments.indexOf('providers') + 1] : 'microsoft.resources';
  const row = {
    TimeGenerated: e.time.toISOString(),
    EventSubmissionTimestamp: e.time.toISOString(),
    OperationNameValue: e.operation.toUpperCase(),
    OperationName: e.operation,
    CategoryValue: 'Administrative',
    Category: 'Administrative',
    Level: e.status === 'Succeeded' ? 'Informational' : 'Error',
    ActivityStatusValue: e.status === 'Succeeded' ? 'Success' : 'Failure',
    ActivityStatus: e.status === 'Succeeded' ? 'Succeeded' : 'Failed',
    ActivitySubstatusValue: String(e.httpStatus),
    Caller: e.callerName,
    CorrelationId: e.correlationId,
    EventDataId: eventId,
    ResourceId: e.resourceId.toUpperCase(),
    ResourceGroup: rg?.toUpperCase(),
    ResourceProviderValue: provider?.toUpperCase(),
    SubscriptionId: e.subscriptionId,
    Hierarchy: `${e.directoryId}/${e.subscriptionId}`,
    HTTPRequest: JSON.stringify({ method: e.httpMethod }),
    Claims_d: { oid: e.callerPrincipalId, tid: e.callerDirectoryId },
    Properties_d: { statusCode: e.httpStatus, delegatedThrough: e.delegationAssignmentId, message: e.message },
    SourceSystem: 'Azure',
  };
  for (const target of targets) {
    const typed = typeRows(table, [row], { workspaceId: target.customer_id, receivedAt: services.now(), bytes: JSON.stringify(row).length });
    await services.ingestor.write(target.customer_id, table, typed, AZURE_ACTIVITY_SOURCE, JSON.stringify(row).length);
  }
}
