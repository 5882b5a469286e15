// Templates over Azure itself: the activity log of subscriptions (AzureActivity) and Key Vault's
// diagnostic logs (AzureDiagnostics).
import type { RuleTemplate } from './rule-template.ts';

const ADDED = '2026-11-27T00:00:00Z';

export const AZURE_TEMPLATES: RuleTemplate[] = [
  {
    id: '2f05abce-a662-435e-b41b-4f46ec400724',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: [{ connectorId: 'AzureActivity', dataTypes: ['AzureActivity'] }],
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Azure role assignment created',
      description: 'Someone was given a role on an Azure scope (Microsoft.Authorization/roleAssignments/write succeeded). Assignments of Owner, Contributor or User Access Administrator are raised as High. Confirm each one was requested: a new assignment is the simplest way to keep access to a subscription.',
      severity: 'Medium',
      query: `AzureActivity
| where OperationNameValue =~ 'Microsoft.Authorization/roleAssignments/write'
| where ActivityStatusValue in~ ('Success', 'Succeeded')
| extend RequestBody = tostring(Properties_d.requestbody)
| extend RoleDefinitionId = tolower(extract(@'(?i)roleDefinitions/([0-9a-f-]{36})', 1, RequestBody)),
         AssigneeId = tolower(extract(@'(?i)"principalId"\\s*:\\s*"([0-9a-f-]{36})"', 1, RequestBody))
| extend Role = case(
    RoleDefinitionId == '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', 'Owner',
    RoleDefinitionId == 'b24988ac-6180-42a0-ab88-20f7382dd24c', 'Contributor',
    RoleDefinitionId == '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', 'User Access Administrator',
    isempty(RoleDefinitionId), 'not recorded',
    RoleDefinitionId)
| extend AlertSeverity = iff(Role in ('Owner', 'Contributor', 'User Access Administrator'), 'High', 'Medium')
| project TimeGenerated, Caller, CallerIpAddress, Scope = ResourceId, SubscriptionId, Role, RoleDefinitionId, AssigneeId, AlertSeverity`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['PrivilegeEscalation', 'Persistence'],
      techniques: ['T1098'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'Caller' }] },
        { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'CallerIpAddress' }] },
        { entityType: 'AzureResource', fieldMappings: [{ identifier: 'ResourceId', columnName: 'Scope' }] },
      ],
      customDetails: { Role: 'Role', AssigneeId: 'AssigneeId' },
      alertDetailsOverride: { alertDisplayNameFormat: '{{Caller}} assigned role {{Role}}', alertSeverityColumnName: 'AlertSeverity' },
    },
  },
  {
    id: 'fbbc043e-f660-40a2-a33c-0327fb669779',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: [{ connectorId: 'AzureKeyVault', dataTypes: ['AzureDiagnostics'] }],
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Spike of secret and key reads in a key vault',
      description: 'One caller (an application, or an address for users) read secrets, keys or certificates of a key vault 50 times or more in the last hour, over ten times its hourly average of the 23 hours before. Someone may be harvesting the vault.',
      severity: 'Medium',
      query: `let Reads = AzureDiagnostics
  | where ResourceProvider =~ 'MICROSOFT.KEYVAULT'
  | where OperationName in ('SecretGet', 'SecretList', 'SecretBackup', 'KeyGet', 'KeyList', 'KeyDecrypt', 'KeyUnwrap', 'KeyBackup', 'CertificateGet', 'CertificateList')
  | extend AppId = tostring(identity_claim_appid_g)
  | extend ReadBy = iff(isnotempty(AppId), AppId, CallerIPAddress);
let Baseline = Reads
  | where TimeGenerated < ago(1h)
  | summarize BaselinePerHour = count() / 23.0 by ReadBy, Resource;
Reads
| where TimeGenerated >= ago(1h)
| summarize ReadsLastHour = count(), Operations = make_set(OperationName, 10), CallerIPs = make_set(CallerIPAddress, 10), TimeGenerated = max(TimeGenerated) by ReadBy, Resource, ResourceId
| join kind=leftouter Baseline on ReadBy, Resource
| extend BaselinePerHour = coalesce(BaselinePerHour, 0.0)
| where ReadsLastHour >= 50 and ReadsLastHour > 10 * BaselinePerHour
| project TimeGenerated, ReadBy, Vault = Resource, ResourceId, ReadsLastHour, BaselinePerHour = round(BaselinePerHour, 1), Operations, CallerIPs`,
      queryFrequency: 'PT1H',
      queryPeriod: 'P1D',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['CredentialAccess'],
      techniques: ['T1555'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [{ entityType: 'AzureResource', fieldMappings: [{ identifier: 'ResourceId', columnName: 'ResourceId' }] }],
      customDetails: { ReadBy: 'ReadBy', ReadsLastHour: 'ReadsLastHour', BaselinePerHour: 'BaselinePerHour' },
      alertDetailsOverride: { alertDisplayNameFormat: '{{ReadsLastHour}} reads of key vault {{Vault}} by {{ReadBy}}' },
    },
  },
];
