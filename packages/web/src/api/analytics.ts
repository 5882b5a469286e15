// A workspace's analytics rules (Microsoft.SecurityInsights/alertRules, kinds Scheduled and NRT),
// their run history (Vigil.SecurityInsights/alertRules/{id}/runs), the template gallery
// (alertRuleTemplates) and "Test with current data" (Vigil.SecurityInsights/testAlertRule).
// The server checks every rule it saves and names each field at fault; this module only carries.
import { ApiError, armList, armRequest } from './arm-client.ts';
// Incidents' severities: one list, in api/incidents.ts.
export { SEVERITIES } from './incidents.ts';

const V = 'api-version=2025-09-01';
const VIGIL = 'api-version=2025-01-01';

export type RuleKind = 'Scheduled' | 'NRT';
export const TRIGGER_OPERATORS = ['GreaterThan', 'LessThan', 'Equal', 'NotEqual'] as const;
/** MITRE ATT&CK tactics as Sentinel names them. */
export const TACTICS = [
  'Reconnaissance', 'ResourceDevelopment', 'InitialAccess', 'Execution', 'Persistence', 'PrivilegeEscalation',
  'DefenseEvasion', 'CredentialAccess', 'Discovery', 'LateralMovement', 'Collection', 'Exfiltration',
  'CommandAndControl', 'Impact', 'PreAttack', 'ImpairProcessControl', 'InhibitResponseFunction',
] as const;

/** Sentinel's entity types and the identifiers each takes (learn.microsoft.com/azure/sentinel/entities-reference). */
export const ENTITY_IDENTIFIERS: Record<string, readonly string[]> = {
  Account: ['Name', 'FullName', 'NTDomain', 'DnsDomain', 'UPNSuffix', 'Sid', 'AadTenantId', 'AadUserId', 'PUID', 'IsDomainJoined', 'DisplayName', 'ObjectGuid'],
  Host: ['DnsDomain', 'NTDomain', 'HostName', 'FullName', 'NetBiosName', 'AzureID', 'OMSAgentID', 'OSFamily', 'OSVersion', 'IsDomainJoined'],
  IP: ['Address', 'AddressScope'],
  URL: ['Url'],
  AzureResource: ['ResourceId'],
  CloudApplication: ['AppId', 'Name', 'InstanceName'],
  DNS: ['DomainName'],
  File: ['Directory', 'Name'],
  FileHash: ['Algorithm', 'Value'],
  Malware: ['Name', 'Category'],
  Process: ['ProcessId', 'CommandLine', 'ElevationToken', 'CreationTimeUtc'],
  RegistryKey: ['Hive', 'Key'],
  RegistryValue: ['Name', 'Value', 'ValueType'],
  SecurityGroup: ['DistinguishedName', 'SID', 'ObjectGuid'],
  Mailbox: ['MailboxPrimaryAddress', 'DisplayName', 'Upn', 'ExternalDirectoryObjectId', 'RiskLevel'],
  MailCluster: ['NetworkMessageIds', 'CountByDeliveryStatus', 'CountByThreatType', 'CountByProtectionStatus', 'Threats', 'Query', 'QueryTime', 'MailCount', 'IsVolumeAnomaly', 'Source', 'ClusterSourceIdentifier', 'ClusterSourceType', 'ClusterQueryStartTime', 'ClusterQueryEndTime', 'ClusterGroup'],
  MailMessage: ['Recipient', 'Urls', 'Threats', 'Sender', 'P1Sender', 'P1SenderDisplayName', 'P1SenderDomain', 'SenderIP', 'P2Sender', 'P2SenderDisplayName', 'P2SenderDomain', 'ReceivedDate', 'NetworkMessageId', 'InternetMessageId', 'Subject', 'BodyFingerprintBin1', 'BodyFingerprintBin2', 'BodyFingerprintBin3', 'BodyFingerprintBin4', 'BodyFingerprintBin5', 'AntispamDirection', 'DeliveryAction', 'DeliveryLocation', 'Language', 'ThreatDetectionMethods'],
  SubmissionMail: ['NetworkMessageId', 'Timestamp', 'Recipient', 'Sender', 'SenderIp', 'Subject', 'ReportType', 'SubmissionId', 'SubmissionDate', 'Submitter'],
};
export const ENTITY_TYPES = Object.keys(ENTITY_IDENTIFIERS);

export interface EntityMapping { entityType: string; fieldMappings: { identifier: string; columnName: string }[] }

export interface GroupingConfiguration {
  enabled: boolean;
  reopenClosedIncident: boolean;
  lookbackDuration: string;
  matchingMethod: 'AllEntities' | 'AnyAlert' | 'Selected';
  groupByEntities: string[];
  groupByAlertDetails: string[];
  groupByCustomDetails: string[];
}

/** The settings a rule and a template share. */
export interface RuleSettings {
  displayName: string;
  description: string;
  severity: string;
  query: string;
  tactics: string[];
  techniques: string[];
  subTechniques?: string[];
  queryFrequency?: string;
  queryPeriod?: string;
  triggerOperator?: string;
  triggerThreshold?: number;
  eventGroupingSettings?: { aggregationKind: string };
  entityMappings?: EntityMapping[];
  customDetails?: Record<string, string>;
  alertDetailsOverride?: { alertDisplayNameFormat?: string; alertDescriptionFormat?: string; alertTacticsColumnName?: string; alertSeverityColumnName?: string } | null;
}

/** A rule's settings as ARM carries them (Scheduled-only settings absent on NRT rules). */
export interface RuleProperties extends RuleSettings {
  enabled: boolean;
  suppressionEnabled: boolean;
  suppressionDuration: string;
  alertRuleTemplateName?: string | null;
  templateVersion?: string | null;
  incidentConfiguration?: { createIncident: boolean; groupingConfiguration: GroupingConfiguration };
  [more: string]: unknown;
}

export interface AlertRule {
  id: string;
  name: string;
  kind: RuleKind;
  etag: string;
  systemData?: { createdBy?: string; createdAt?: string; lastModifiedBy?: string; lastModifiedAt?: string };
  properties: RuleProperties & { lastModifiedUtc?: string; disabledReason?: string; templateVersionAvailable?: string };
}

export interface RuleRun {
  windowStart: string;
  windowEnd: string;
  startedAt: string;
  durationMs: number;
  status: 'Succeeded' | 'Failed' | string;
  rows: number;
  alerts: number;
  error: string | null;
}

export interface RuleRuns { enabled: boolean; disabledReason: string | null; value: RuleRun[] }

export interface AlertRuleTemplate {
  id: string;
  name: string;
  kind: RuleKind;
  properties: RuleSettings & {
    requiredDataConnectors: { connectorId: string; dataTypes: string[] }[];
    version: string;
    status: string;
    alertRulesCreatedByTemplateCount: number;
  };
}

export interface RuleTestResult {
  days: number;
  windows: { start: string; end: string; rows: number; alerts: number }[];
  totalAlerts: number;
  windowsWithAlerts: number;
  truncated: boolean;
}

const rulesOf = (workspaceId: string) => `${workspaceId}/providers/Microsoft.SecurityInsights/alertRules`;

export const listRules = (workspaceId: string) => armList<AlertRule>(`${rulesOf(workspaceId)}?${V}`);

export const getRule = (workspaceId: string, name: string) => armRequest<AlertRule>('GET', `${rulesOf(workspaceId)}/${encodeURIComponent(name)}?${V}`);

/** Saves a rule; with an etag, the server refuses (412) a rule changed since it was read. */
export const saveRule = (workspaceId: string, name: string, kind: RuleKind, properties: RuleProperties, etag?: string) =>
  armRequest<AlertRule>('PUT', `${rulesOf(workspaceId)}/${encodeURIComponent(name)}?${V}`, { kind, properties, ...(etag === undefined ? {} : { etag }) });

export const deleteRule = (workspaceId: string, name: string) => armRequest<void>('DELETE', `${rulesOf(workspaceId)}/${encodeURIComponent(name)}?${V}`);

/** A workspace holds up to 512 rules: their runs are read a few at a time, not all at once. */
const RUNS_AT_ONCE = 6;
let running = 0;
const waiting: (() => void)[] = [];
async function fewAtATime<T>(work: () => Promise<T>): Promise<T> {
  if (running >= RUNS_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export const ruleRuns = (workspaceId: string, name: string, top = 200) => fewAtATime(() =>
  armRequest<RuleRuns>('GET', `${workspaceId}/providers/Vigil.SecurityInsights/alertRules/${encodeURIComponent(name)}/runs?${VIGIL}&$top=${top}`));

export const listTemplates = (workspaceId: string) =>
  armList<AlertRuleTemplate>(`${workspaceId}/providers/Microsoft.SecurityInsights/alertRuleTemplates?${V}`);

export const testRule = (workspaceId: string, kind: RuleKind, properties: RuleProperties, days: number) =>
  armRequest<RuleTestResult>('POST', `${workspaceId}/providers/Vigil.SecurityInsights/testAlertRule?${VIGIL}`, { kind, properties, days });

/** The server's field-named problems: `properties.query` -> its message (InvalidRequestContent details). */
export function fieldErrors(error: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!(error instanceof ApiError)) return out;
  for (const d of error.details) if (d.target !== undefined && !out.has(d.target)) out.set(d.target, d.message);
  if (out.size === 0 && error.target !== undefined) out.set(error.target, error.message);
  return out;
}
