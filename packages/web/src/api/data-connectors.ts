// A workspace's data connectors (Microsoft.SecurityInsights/dataConnectors): list, deploy,
// remove. The server refuses deploying or removing through a delegation
// (DelegatedConnectorDeploymentNotSupported): the user signs in directly to the workspace's directory.
import { armList, armRequest } from './arm-client.ts';

const V = 'api-version=2025-09-01';

export interface ConnectorConnectivity {
  receiving: boolean;
  lastEventTime: string | null;
  /** The last 14 days, newest first. */
  days: { day: string; events: number; bytes: number; dropped: number }[];
  /** Syslog and CEF: the receiver's protocol and port; null when it is not running. */
  listening?: { protocol: string; port: number } | null;
}

export interface DataConnector {
  id: string;
  name: string;
  kind: string;
  etag: string;
  properties: Record<string, unknown> & { connectivity?: ConnectorConnectivity };
}

/** The kinds the portal deploys: those that need no secret (LogsIngestion needs a data collection rule, made elsewhere). */
export const DEPLOYABLE_KINDS = [
  { kind: 'Syslog', label: 'Syslog' },
  { kind: 'CEF', label: 'Common Event Format (CEF)' },
  { kind: 'HttpDataCollector', label: 'HTTP Data Collector API' },
  { kind: 'AzureActivity', label: 'Azure Activity' },
  { kind: 'AzureActiveDirectory', label: 'Microsoft Entra ID' },
  { kind: 'Office365', label: 'Office 365' },
  { kind: 'ThreatIntelligence', label: 'Threat Intelligence' },
] as const;

export const hasReceiver = (kind: string) => kind === 'Syslog' || kind === 'CEF';

const connectorsOf = (workspaceId: string) => `${workspaceId}/providers/Microsoft.SecurityInsights/dataConnectors`;

export const listConnectors = (workspaceId: string) => armList<DataConnector>(`${connectorsOf(workspaceId)}?${V}`);

export const deployConnector = (workspaceId: string, name: string, kind: string, properties: Record<string, unknown>) =>
  armRequest<DataConnector>('PUT', `${connectorsOf(workspaceId)}/${encodeURIComponent(name)}?${V}`, { kind, properties });

export const removeConnector = (workspaceId: string, name: string) =>
  armRequest<void>('DELETE', `${connectorsOf(workspaceId)}/${encodeURIComponent(name)}?${V}`);
