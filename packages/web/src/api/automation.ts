// A workspace's automation rules (Microsoft.SecurityInsights/automationRules), as
// @azure/arm-securityinsight calls them, and what the server accepts in them
// (packages/server/src/incidents/automation-rule-model.ts): triggers, conditions, actions.
import { armList, armRequest } from './arm-client.ts';
// Incidents' severities and statuses: one list, in api/incidents.ts.
export { SEVERITIES, STATUSES } from './incidents.ts';

const V = 'api-version=2025-09-01';

export const OPERATORS = ['Equals', 'NotEquals', 'Contains', 'NotContains', 'StartsWith', 'NotStartsWith', 'EndsWith', 'NotEndsWith'] as const;
export type Operator = (typeof OPERATORS)[number];
export const OPERATOR_LABELS: Record<Operator, string> = {
  Equals: 'Equals', NotEquals: 'Does not equal', Contains: 'Contains', NotContains: 'Does not contain',
  StartsWith: 'Starts with', NotStartsWith: 'Does not start with', EndsWith: 'Ends with', NotEndsWith: 'Does not end with',
};

export const INCIDENT_PROPERTIES = [
  'IncidentTitle', 'IncidentDescription', 'IncidentSeverity', 'IncidentStatus', 'IncidentLabel', 'IncidentTactics',
  'IncidentRelatedAnalyticRuleIds', 'IncidentProviderName',
] as const;
export const ALERT_PROPERTIES = ['AlertProductNames', 'AlertAnalyticRuleIds'] as const;
export const ENTITY_PROPERTIES = [
  'AccountAadTenantId', 'AccountAadUserId', 'AccountName', 'AccountNTDomain', 'AccountPUID', 'AccountSid', 'AccountObjectGuid', 'AccountUPNSuffix',
  'AzureResourceResourceId', 'AzureResourceSubscriptionId', 'CloudApplicationAppId', 'CloudApplicationAppName', 'DNSDomainName',
  'FileDirectory', 'FileName', 'FileHashValue', 'HostAzureID', 'HostName', 'HostNetBiosName', 'HostNTDomain', 'HostOSVersion', 'IPAddress',
  'MailboxDisplayName', 'MailboxPrimaryAddress', 'MailboxUPN', 'MailMessageDeliveryAction', 'MailMessageDeliveryLocation',
  'MailMessageRecipient', 'MailMessageSenderIP', 'MailMessageSubject', 'MailMessageP1Sender', 'MailMessageP2Sender',
  'MalwareCategory', 'MalwareName', 'ProcessCommandLine', 'ProcessId', 'RegistryKey', 'RegistryValueData', 'Url',
] as const;
export const CHANGED_PROPERTIES = ['IncidentSeverity', 'IncidentStatus', 'IncidentOwner'] as const;
export const CHANGE_TYPES = ['ChangedFrom', 'ChangedTo'] as const;
export const CHANGED_ARRAYS = ['Alerts', 'Labels', 'Tactics'] as const;


export type Trigger = 'IncidentCreated' | 'IncidentUpdated' | 'AlertCreated';
export const TRIGGER_LABELS: Record<Trigger, string> = {
  IncidentCreated: 'When an incident is created',
  IncidentUpdated: 'When an incident is updated',
  AlertCreated: 'When an alert is created',
};
export const triggerOf = (t: { triggersOn: string; triggersWhen: string }): Trigger =>
  t.triggersOn === 'Alerts' ? 'AlertCreated' : t.triggersWhen === 'Updated' ? 'IncidentUpdated' : 'IncidentCreated';
export const triggerLogicOf = (t: Trigger) => (t === 'AlertCreated'
  ? { triggersOn: 'Alerts' as const, triggersWhen: 'Created' as const }
  : { triggersOn: 'Incidents' as const, triggersWhen: t === 'IncidentUpdated' ? 'Updated' as const : 'Created' as const });

/** The properties a Property condition can test for a trigger, as the server checks them. */
export const propertiesFor = (t: Trigger): readonly string[] => (t === 'AlertCreated'
  ? [...ALERT_PROPERTIES, ...ENTITY_PROPERTIES]
  : [...INCIDENT_PROPERTIES, ...ALERT_PROPERTIES, ...ENTITY_PROPERTIES]);

export type Condition =
  | { conditionType: 'Property'; conditionProperties: { propertyName: string; operator: Operator; propertyValues: string[] } }
  | { conditionType: 'PropertyChanged'; conditionProperties: { propertyName: string; changeType: string; operator?: Operator; propertyValues?: string[] } }
  | { conditionType: 'PropertyArrayChanged'; conditionProperties: { arrayType: string; changeType: 'Added' } }
  | { conditionType: 'Boolean'; conditionProperties: { operator: 'And' | 'Or'; innerConditions: Condition[] } };

export interface ActionOwner { objectId?: string | null; email?: string | null; assignedTo?: string | null; userPrincipalName?: string | null }

export type Action =
  | { order: number; actionType: 'ModifyProperties'; actionConfiguration: {
    severity?: string; status?: string; classification?: string; classificationReason?: string; classificationComment?: string;
    owner?: ActionOwner; labels?: { labelName: string }[];
  } }
  | { order: number; actionType: 'AddIncidentTask'; actionConfiguration: { title: string; description?: string } };

export interface RuleProperties {
  displayName: string;
  order: number;
  triggeringLogic: {
    isEnabled: boolean;
    expirationTimeUtc?: string | null;
    triggersOn: 'Incidents' | 'Alerts';
    triggersWhen: 'Created' | 'Updated';
    conditions?: Condition[];
  };
  actions: Action[];
}

export interface AutomationRule {
  id: string;
  name: string;
  etag: string;
  properties: RuleProperties & { lastModifiedTimeUtc?: string; lastModifiedBy?: { name?: string; email?: string } };
}

const rulesOf = (workspaceId: string) => `${workspaceId}/providers/Microsoft.SecurityInsights/automationRules`;

/** Listed in the order they run (the server's order: by order, then name). */
export const listRules = (workspaceId: string) => armList<AutomationRule>(`${rulesOf(workspaceId)}?${V}`);

/** Saves a rule; with the etag it was read with, a change made meanwhile is refused (412). */
export const saveRule = (workspaceId: string, name: string, properties: RuleProperties, etag?: string) =>
  armRequest<AutomationRule>('PUT', `${rulesOf(workspaceId)}/${encodeURIComponent(name)}?${V}`, { ...(etag === undefined ? {} : { etag }), properties });

export const deleteRule = (workspaceId: string, name: string) =>
  armRequest<void>('DELETE', `${rulesOf(workspaceId)}/${encodeURIComponent(name)}?${V}`);

/** Only what a rule says, without what the server adds (times, who changed it), to send it back. */
export function ruleProperties(rule: AutomationRule): RuleProperties {
  const p = rule.properties;
  return { displayName: p.displayName, order: p.order, triggeringLogic: p.triggeringLogic, actions: p.actions };
}

export const ownerText = (o: ActionOwner | undefined) => o?.userPrincipalName ?? o?.email ?? o?.assignedTo ?? o?.objectId ?? '';

const splitName = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1 $2');

export function conditionText(c: Condition): string {
  switch (c.conditionType) {
    case 'Property':
      return `${splitName(c.conditionProperties.propertyName)} ${OPERATOR_LABELS[c.conditionProperties.operator]?.toLowerCase() ?? c.conditionProperties.operator} ${c.conditionProperties.propertyValues.join(' or ')}`;
    case 'PropertyChanged': {
      const p = c.conditionProperties;
      const change = p.changeType === 'ChangedFrom' ? 'changed from' : 'changed to';
      return (p.propertyValues ?? []).length === 0 ? `${splitName(p.propertyName)} changed`
        : `${splitName(p.propertyName)} ${change}${p.operator !== undefined && p.operator !== 'Equals' ? ` (${OPERATOR_LABELS[p.operator].toLowerCase()})` : ''} ${(p.propertyValues ?? []).join(' or ')}`;
    }
    case 'PropertyArrayChanged':
      return `${c.conditionProperties.arrayType.replace(/s$/, '')} added`;
    case 'Boolean':
      return `(${c.conditionProperties.innerConditions.map(conditionText).join(c.conditionProperties.operator === 'Or' ? ' or ' : ' and ')})`;
  }
}

export function actionText(a: Action): string {
  if (a.actionType === 'AddIncidentTask') return `Add task “${a.actionConfiguration.title}”`;
  const c = a.actionConfiguration;
  const parts: string[] = [];
  if (c.owner !== undefined) parts.push(`owner ${ownerText(c.owner)}`);
  if (c.status !== undefined) parts.push(`status ${c.status}${c.classification ? ` (${c.classification}${c.classificationReason ? `, ${c.classificationReason}` : ''})` : ''}`);
  if (c.severity !== undefined) parts.push(`severity ${c.severity}`);
  if (c.labels !== undefined && c.labels.length > 0) parts.push(`labels ${c.labels.map((l) => l.labelName).join(', ')}`);
  return `Set ${parts.join(', ')}`;
}
