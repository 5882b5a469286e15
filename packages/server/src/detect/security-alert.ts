// An alert as a row of the SecurityAlert table, with Sentinel's schema and value forms
// (ExtendedProperties and Entities are JSON text; Tactics a comma list; Techniques a JSON array).
import type { Workspace } from '../control/workspaces.ts';
import type { AlertRule } from '../control/alert-rules.ts';
import type { Alert } from './alerts.ts';
import type { Window } from './windows.ts';
import type { AlertCustomer } from './customers.ts';
import { formatIsoDuration, parseIsoDuration } from './durations.ts';

export const ALERT_PROVIDER = 'ASI Scheduled Alerts';

export function securityAlertRow(alert: Alert, rule: AlertRule, workspace: Workspace, window: Window, resultCount: number, now: Date, customers: readonly AlertCustomer[] = []): Record<string, unknown> {
  const d = rule.definition;
  const entities = alert.entities.map((e, i) => ({ $id: String(i + 2), ...e }));
  const compromised = alert.entities.find((e) => e.Type === 'host')?.HostName ?? alert.entities.find((e) => e.Type === 'account')?.Name ?? '';
  const extended: Record<string, unknown> = {
    'Alert generation status': alert.resultCount > 1 && d.properties.eventGroupingSettings.aggregationKind === 'AlertPerResult'
      ? `Summary alert for the results after the first ${resultCount - alert.resultCount}` : 'Full alert created',
    'Analytic Rule Ids': JSON.stringify([rule.row.name]),
    'Analytic Rule Name': d.properties.displayName,
    'Event Grouping': d.properties.eventGroupingSettings.aggregationKind,
    Query: d.properties.query,
    'Query Period': d.kind === 'Scheduled' ? formatIsoDuration(parseIsoDuration(d.properties.queryPeriod)!) : 'PT1M',
    'Query Start Time UTC': window.start.toISOString(),
    'Query End Time UTC': window.end.toISOString(),
    'Search Query Results Overall Count': String(resultCount),
    'Results In Alert': String(alert.resultCount),
    'Trigger Operator': d.kind === 'Scheduled' ? d.properties.triggerOperator : 'GreaterThan',
    'Trigger Threshold': String(d.kind === 'Scheduled' ? d.properties.triggerThreshold : 0),
    ProductComponentName: d.kind === 'NRT' ? 'NRT Alerts' : 'Scheduled Alerts',
  };
  if (Object.keys(alert.customDetails).length > 0) extended['Custom Details'] = JSON.stringify(alert.customDetails);
  // A cross-workspace rule's alert names the customers its rows came from.
  if (customers.length > 0) extended.Customers = JSON.stringify(customers);
  return {
    TimeGenerated: now.toISOString(),
    DisplayName: alert.displayName,
    AlertName: alert.displayName,
    AlertSeverity: alert.severity,
    Description: alert.description,
    ProviderName: ALERT_PROVIDER,
    VendorName: 'Microsoft',
    ProductName: 'Azure Sentinel',
    ProductComponentName: d.kind === 'NRT' ? 'NRT Alerts' : 'Scheduled Alerts',
    AlertType: `${workspace.customer_id}_${rule.row.name}`,
    SystemAlertId: alert.id,
    VendorOriginalId: alert.id,
    StartTime: (alert.startTime ?? window.start).toISOString(),
    EndTime: (alert.endTime ?? window.end).toISOString(),
    ProcessingEndTime: now.toISOString(),
    Status: 'New',
    IsIncident: false,
    ConfidenceLevel: 'Unknown',
    CompromisedEntity: compromised,
    Entities: JSON.stringify(entities),
    ExtendedProperties: JSON.stringify(extended),
    Tactics: alert.tactics.join(', '),
    Techniques: JSON.stringify(alert.techniques),
    SubTechniques: JSON.stringify(alert.subTechniques),
    ResourceId: '',
    WorkspaceSubscriptionId: workspace.subscription_id,
    WorkspaceResourceGroup: workspace.resource_group_id.split('/').pop() ?? '',
  };
}
