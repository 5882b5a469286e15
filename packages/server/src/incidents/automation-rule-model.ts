// THE gate for an automation rule's settings (Microsoft.SecurityInsights/automationRules), as
// @azure/arm-securityinsight sends them: a trigger (incidents created or updated, alerts created),
// conditions, ordered actions, an order among the workspace's rules and an optional expiry.
// Sentinel's limits: 20 actions and 50 conditions per rule. Everything refused is named by its
// field, with what would be accepted. Pure: the owner an action assigns is resolved by the route.
import { z } from 'zod';
import { ApiError } from '../errors.ts';
import { SEVERITIES } from '../detect/rule-model.ts';
import { CLASSIFICATIONS, CLASSIFICATION_REASONS, reasonMismatch, STATUSES } from './incidents.ts';

export const MAX_AUTOMATION_RULES_PER_WORKSPACE = 512;
export const MAX_ACTIONS_PER_RULE = 20;
export const MAX_CONDITIONS_PER_RULE = 50;

export const OPERATORS = ['Equals', 'NotEquals', 'Contains', 'NotContains', 'StartsWith', 'NotStartsWith', 'EndsWith', 'NotEndsWith'] as const;
export type Operator = (typeof OPERATORS)[number];

/** Incident properties a Property condition can test (Sentinel's names). */
export const INCIDENT_PROPERTIES = [
  'IncidentTitle', 'IncidentDescription', 'IncidentSeverity', 'IncidentStatus', 'IncidentLabel', 'IncidentTactics',
  'IncidentRelatedAnalyticRuleIds', 'IncidentProviderName',
] as const;

/** Alert properties: of the triggering alert, or of any alert of the incident. */
export const ALERT_PROPERTIES = ['AlertProductNames', 'AlertAnalyticRuleIds'] as const;

/**
 * Entity properties: [entity Type as SecurityAlert.Entities writes it, identifier]. A condition on
 * one holds when an entity of the alert (or of any alert of the incident) satisfies it.
 */
export const ENTITY_PROPERTIES: Record<string, readonly [string, string]> = {
  AccountAadTenantId: ['account', 'AadTenantId'], AccountAadUserId: ['account', 'AadUserId'], AccountName: ['account', 'Name'],
  AccountNTDomain: ['account', 'NTDomain'], AccountPUID: ['account', 'PUID'], AccountSid: ['account', 'Sid'],
  AccountObjectGuid: ['account', 'ObjectGuid'], AccountUPNSuffix: ['account', 'UPNSuffix'],
  AzureResourceResourceId: ['azure-resource', 'ResourceId'], AzureResourceSubscriptionId: ['azure-resource', 'SubscriptionId'],
  CloudApplicationAppId: ['cloud-application', 'AppId'], CloudApplicationAppName: ['cloud-application', 'Name'],
  DNSDomainName: ['dns', 'DomainName'], FileDirectory: ['file', 'Directory'], FileName: ['file', 'Name'], FileHashValue: ['filehash', 'Value'],
  HostAzureID: ['host', 'AzureID'], HostName: ['host', 'HostName'], HostNetBiosName: ['host', 'NetBiosName'], HostNTDomain: ['host', 'NTDomain'],
  HostOSVersion: ['host', 'OSVersion'], IPAddress: ['ip', 'Address'],
  MailboxDisplayName: ['mailbox', 'DisplayName'], MailboxPrimaryAddress: ['mailbox', 'MailboxPrimaryAddress'], MailboxUPN: ['mailbox', 'Upn'],
  MailMessageDeliveryAction: ['mail-message', 'DeliveryAction'], MailMessageDeliveryLocation: ['mail-message', 'DeliveryLocation'],
  MailMessageRecipient: ['mail-message', 'Recipient'], MailMessageSenderIP: ['mail-message', 'SenderIP'], MailMessageSubject: ['mail-message', 'Subject'],
  MailMessageP1Sender: ['mail-message', 'P1Sender'], MailMessageP2Sender: ['mail-message', 'P2Sender'],
  MalwareCategory: ['malware', 'Category'], MalwareName: ['malware', 'Name'],
  ProcessCommandLine: ['process', 'CommandLine'], ProcessId: ['process', 'ProcessId'],
  RegistryKey: ['registry-key', 'Key'], RegistryValueData: ['registry-value', 'Value'], Url: ['url', 'Url'],
};

/** Properties a PropertyChanged condition (update triggers) can test, before and after. */
export const CHANGED_PROPERTIES = ['IncidentSeverity', 'IncidentStatus', 'IncidentOwner'] as const;
export const CHANGE_TYPES = ['ChangedFrom', 'ChangedTo'] as const;
/** Lists a PropertyArrayChanged condition (update triggers) can test for added items. */
export const CHANGED_ARRAYS = ['Alerts', 'Labels', 'Tactics'] as const;

export type Condition =
  | { conditionType: 'Property'; conditionProperties: { propertyName: string; operator: Operator; propertyValues: string[] } }
  | { conditionType: 'PropertyChanged'; conditionProperties: { propertyName: (typeof CHANGED_PROPERTIES)[number]; changeType: (typeof CHANGE_TYPES)[number]; operator: Operator; propertyValues: string[] } }
  | { conditionType: 'PropertyArrayChanged'; conditionProperties: { arrayType: (typeof CHANGED_ARRAYS)[number]; changeType: 'Added' } }
  | { conditionType: 'Boolean'; conditionProperties: { operator: 'And' | 'Or'; innerConditions: Condition[] } };

export type ActionOwner = { objectId?: string | null; email?: string | null; assignedTo?: string | null; userPrincipalName?: string | null };

export interface ModifyPropertiesConfiguration {
  severity?: (typeof SEVERITIES)[number];
  status?: (typeof STATUSES)[number];
  classification?: (typeof CLASSIFICATIONS)[number];
  classificationReason?: (typeof CLASSIFICATION_REASONS)[number];
  classificationComment?: string;
  owner?: ActionOwner;
  labels?: { labelName: string }[];
}

export type Action =
  | { order: number; actionType: 'ModifyProperties'; actionConfiguration: ModifyPropertiesConfiguration }
  | { order: number; actionType: 'AddIncidentTask'; actionConfiguration: { title: string; description: string } };

export interface AutomationRuleProperties {
  displayName: string;
  order: number;
  triggeringLogic: {
    isEnabled: boolean;
    expirationTimeUtc?: string;
    triggersOn: 'Incidents' | 'Alerts';
    triggersWhen: 'Created' | 'Updated';
    conditions: Condition[];
  };
  actions: Action[];
}

const invalid = (target: string, message: string) => new ApiError('InvalidRequestContent', `${target}: ${message}`, { target });

const Shape = z.object({
  displayName: z.string({ message: 'displayName is required' }).trim().min(1, 'displayName is required').max(500),
  order: z.number({ message: 'order is required: a whole number from 1 to 1000 (rules run in ascending order)' }).int('order must be a whole number').min(1, 'order must be 1 to 1000').max(1000, 'order must be 1 to 1000'),
  triggeringLogic: z.object({
    isEnabled: z.boolean({ message: 'isEnabled is required: true or false' }),
    expirationTimeUtc: z.string().nullish(),
    triggersOn: z.enum(['Incidents', 'Alerts'], { message: "triggersOn must be 'Incidents' or 'Alerts'" }),
    triggersWhen: z.enum(['Created', 'Updated'], { message: "triggersWhen must be 'Created' or 'Updated'" }),
    conditions: z.array(z.unknown()).nullish(),
  }, { message: 'triggeringLogic is required: {isEnabled, triggersOn, triggersWhen, conditions}' }).passthrough(),
  actions: z.array(z.unknown(), { message: 'actions is required: a list of 1 to 20 actions' }),
}).passthrough();

/** Checks an automation rule's ARM properties; returns the canonical form or throws naming the field. */
export function parseAutomationRuleProperties(input: unknown): AutomationRuleProperties {
  const parsed = Shape.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(['properties', ...issue.path].join('.'), issue.message);
  }
  const p = parsed.data;
  const t = p.triggeringLogic;
  if (t.triggersOn === 'Alerts' && t.triggersWhen === 'Updated') {
    throw invalid('properties.triggeringLogic.triggersWhen', "alerts trigger automation only when they are Created (as in Sentinel); use triggersOn 'Incidents' to act on updates.");
  }
  let expirationTimeUtc: string | undefined;
  if (t.expirationTimeUtc !== null && t.expirationTimeUtc !== undefined) {
    const at = Date.parse(t.expirationTimeUtc);
    if (Number.isNaN(at)) throw invalid('properties.triggeringLogic.expirationTimeUtc', `'${t.expirationTimeUtc}' is not a date and time; give an ISO 8601 UTC time such as 2030-01-31T00:00:00Z.`);
    expirationTimeUtc = new Date(at).toISOString();
  }
  const rawConditions = t.conditions ?? [];
  let count = 0;
  const conditions = rawConditions.map((c, i) => parseCondition(c, `properties.triggeringLogic.conditions[${i}]`, t.triggersOn, t.triggersWhen, () => ++count));
  if (count > MAX_CONDITIONS_PER_RULE) {
    throw invalid('properties.triggeringLogic.conditions', `${count} conditions (nested ones counted); an automation rule takes at most ${MAX_CONDITIONS_PER_RULE}, as in Sentinel. Split the rule in two, or list several values in one condition's propertyValues.`);
  }
  if (p.actions.length === 0) throw invalid('properties.actions', 'at least one action is required: ModifyProperties or AddIncidentTask.');
  if (p.actions.length > MAX_ACTIONS_PER_RULE) {
    throw invalid('properties.actions', `${p.actions.length} actions; an automation rule takes at most ${MAX_ACTIONS_PER_RULE}, as in Sentinel. Split them over two rules with consecutive orders.`);
  }
  const actions = p.actions.map((a, i) => parseAction(a, `properties.actions[${i}]`));
  return {
    displayName: p.displayName,
    order: p.order,
    triggeringLogic: { isEnabled: t.isEnabled, ...(expirationTimeUtc === undefined ? {} : { expirationTimeUtc }), triggersOn: t.triggersOn, triggersWhen: t.triggersWhen, conditions },
    actions,
  };
}

const PROPERTY_NAMES_OF = (triggersOn: 'Incidents' | 'Alerts') => triggersOn === 'Incidents'
  ? [...INCIDENT_PROPERTIES, ...ALERT_PROPERTIES, ...Object.keys(ENTITY_PROPERTIES)]
  : [...ALERT_PROPERTIES, ...Object.keys(ENTITY_PROPERTIES)];

function parseOperator(value: unknown, target: string, fallback?: Operator): Operator {
  if (value === undefined && fallback !== undefined) return fallback;
  const op = OPERATORS.find((o) => typeof value === 'string' && o.toLowerCase() === value.toLowerCase());
  if (op === undefined) throw invalid(target, `operator '${String(value)}' is not one of ${OPERATORS.join(', ')}.`);
  return op;
}

function parseValues(value: unknown, target: string, required: boolean): string[] {
  if (value === undefined || value === null) {
    if (required) throw invalid(target, 'propertyValues is required: a list of at least one value (the condition holds per its operator for any of them).');
    return [];
  }
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalid(target, 'propertyValues must be a list of strings.');
  if (required && value.length === 0) throw invalid(target, 'propertyValues needs at least one value.');
  return value as string[];
}

function record(value: unknown, target: string, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(target, `${what} must be an object.`);
  return value as Record<string, unknown>;
}

function parseCondition(raw: unknown, at: string, triggersOn: 'Incidents' | 'Alerts', triggersWhen: 'Created' | 'Updated', counted: () => void): Condition {
  counted();
  const c = record(raw, at, 'a condition');
  const props = record(c.conditionProperties, `${at}.conditionProperties`, 'conditionProperties');
  switch (c.conditionType) {
    case 'Property': {
      const names = PROPERTY_NAMES_OF(triggersOn);
      const propertyName = names.find((n) => typeof props.propertyName === 'string' && n.toLowerCase() === props.propertyName.toLowerCase());
      if (propertyName === undefined) {
        const incidentOnly = triggersOn === 'Alerts' && (INCIDENT_PROPERTIES as readonly string[]).includes(String(props.propertyName));
        throw invalid(`${at}.conditionProperties.propertyName`, incidentOnly
          ? `'${String(props.propertyName)}' is a property of incidents; a rule triggered by alerts can test ${ALERT_PROPERTIES.join(', ')} and entity properties (AccountName, HostName, IPAddress, ...).`
          : `'${String(props.propertyName)}' is not a property Vigil can test. Supported: ${names.join(', ')}.`);
      }
      return { conditionType: 'Property', conditionProperties: {
        propertyName, operator: parseOperator(props.operator, `${at}.conditionProperties.operator`), propertyValues: parseValues(props.propertyValues, `${at}.conditionProperties.propertyValues`, true),
      } };
    }
    case 'PropertyChanged': {
      if (triggersWhen !== 'Updated') throw invalid(`${at}.conditionType`, "PropertyChanged conditions apply to rules triggered when incidents are Updated; a Created trigger has no earlier value to compare.");
      const propertyName = CHANGED_PROPERTIES.find((n) => n === props.propertyName);
      if (propertyName === undefined) throw invalid(`${at}.conditionProperties.propertyName`, `'${String(props.propertyName)}' cannot be tested for a change; one of ${CHANGED_PROPERTIES.join(', ')}.`);
      const changeType = CHANGE_TYPES.find((n) => n === props.changeType);
      if (changeType === undefined) throw invalid(`${at}.conditionProperties.changeType`, `changeType '${String(props.changeType)}' is not one of ${CHANGE_TYPES.join(', ')}.`);
      return { conditionType: 'PropertyChanged', conditionProperties: {
        propertyName, changeType, operator: parseOperator(props.operator, `${at}.conditionProperties.operator`, 'Equals'),
        propertyValues: parseValues(props.propertyValues, `${at}.conditionProperties.propertyValues`, false),
      } };
    }
    case 'PropertyArrayChanged': {
      if (triggersWhen !== 'Updated') throw invalid(`${at}.conditionType`, 'PropertyArrayChanged conditions apply to rules triggered when incidents are Updated.');
      const arrayType = CHANGED_ARRAYS.find((n) => n === props.arrayType);
      if (arrayType === undefined) {
        throw invalid(`${at}.conditionProperties.arrayType`, props.arrayType === 'Comments'
          ? 'Comments Added is not supported: adding a comment does not trigger automation rules in Vigil. Test Alerts, Labels or Tactics.'
          : `arrayType '${String(props.arrayType)}' is not one of ${CHANGED_ARRAYS.join(', ')}.`);
      }
      if (props.changeType !== 'Added') throw invalid(`${at}.conditionProperties.changeType`, "changeType must be 'Added'.");
      return { conditionType: 'PropertyArrayChanged', conditionProperties: { arrayType, changeType: 'Added' } };
    }
    case 'Boolean': {
      const operator = props.operator === 'And' || props.operator === 'Or' ? props.operator : undefined;
      if (operator === undefined) throw invalid(`${at}.conditionProperties.operator`, `a Boolean condition's operator is 'And' or 'Or', not '${String(props.operator)}'.`);
      if (!Array.isArray(props.innerConditions) || props.innerConditions.length === 0) throw invalid(`${at}.conditionProperties.innerConditions`, 'a Boolean condition needs a list of at least one inner condition.');
      const innerConditions = props.innerConditions.map((inner, i) => parseCondition(inner, `${at}.conditionProperties.innerConditions[${i}]`, triggersOn, triggersWhen, counted));
      return { conditionType: 'Boolean', conditionProperties: { operator, innerConditions } };
    }
    case 'PropertyArray':
      throw invalid(`${at}.conditionType`, 'PropertyArray conditions (custom details) are not supported yet; test entity or incident properties with a Property condition.');
    default:
      throw invalid(`${at}.conditionType`, `conditionType '${String(c.conditionType)}' is not one of Property, PropertyChanged, PropertyArrayChanged, Boolean.`);
  }
}

const ModifyShape = z.object({
  severity: z.enum(SEVERITIES).optional(),
  status: z.enum(STATUSES).optional(),
  classification: z.enum(CLASSIFICATIONS).optional(),
  classificationReason: z.enum(CLASSIFICATION_REASONS).optional(),
  classificationComment: z.string().max(4000).optional(),
  owner: z.object({ objectId: z.string().nullish(), email: z.string().nullish(), assignedTo: z.string().nullish(), userPrincipalName: z.string().nullish() }).passthrough().optional(),
  labels: z.array(z.object({ labelName: z.string().trim().min(1, 'labelName is required').max(256) }).passthrough()).max(100).optional(),
}).passthrough();
const TaskShape = z.object({ title: z.string({ message: 'title is required' }).trim().min(1, 'title is required').max(150), description: z.string().max(3000).nullish() }).passthrough();

function shaped<T>(schema: z.ZodType<T>, value: unknown, at: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw invalid([at, ...issue.path].join('.'), issue.message);
}

function parseAction(raw: unknown, at: string): Action {
  const a = record(raw, at, 'an action');
  if (typeof a.order !== 'number' || !Number.isInteger(a.order)) throw invalid(`${at}.order`, 'order is required: a whole number (actions run in ascending order).');
  switch (a.actionType) {
    case 'ModifyProperties': {
      const c = shaped(ModifyShape, a.actionConfiguration ?? {}, `${at}.actionConfiguration`);
      const config: ModifyPropertiesConfiguration = {};
      if (c.severity !== undefined) config.severity = c.severity;
      if (c.status !== undefined) config.status = c.status;
      if (c.classification !== undefined) config.classification = c.classification;
      if (c.classificationReason !== undefined) config.classificationReason = c.classificationReason;
      if (c.classificationComment !== undefined) config.classificationComment = c.classificationComment;
      if (c.owner !== undefined && (c.owner.objectId || c.owner.userPrincipalName || c.owner.email)) config.owner = c.owner;
      if (c.labels !== undefined && c.labels.length > 0) config.labels = c.labels.map((l) => ({ labelName: l.labelName }));
      if (Object.keys(config).length === 0) {
        throw invalid(`${at}.actionConfiguration`, 'a ModifyProperties action must set at least one of severity, status, classification, owner, labels.');
      }
      if (config.status === 'Closed' && config.classification === undefined) {
        throw invalid(`${at}.actionConfiguration.classification`, 'closing an incident needs a classification: Undetermined, TruePositive (reason SuspiciousActivity), BenignPositive (SuspiciousButExpected) or FalsePositive (IncorrectAlertLogic or InaccurateData).');
      }
      if (config.status !== 'Closed' && (config.classification !== undefined || config.classificationReason !== undefined || config.classificationComment !== undefined)) {
        throw invalid(`${at}.actionConfiguration.classification`, "a classification is given only when the action closes the incident: add status 'Closed', or remove the classification.");
      }
      const mismatch = reasonMismatch(config.classification, config.classificationReason);
      if (mismatch !== undefined) throw invalid(`${at}.actionConfiguration.classificationReason`, mismatch);
      return { order: a.order, actionType: 'ModifyProperties', actionConfiguration: config };
    }
    case 'AddIncidentTask': {
      const c = shaped(TaskShape, a.actionConfiguration, `${at}.actionConfiguration`);
      return { order: a.order, actionType: 'AddIncidentTask', actionConfiguration: { title: c.title, description: c.description ?? '' } };
    }
    case 'RunPlaybook':
      throw invalid(`${at}.actionType`, 'RunPlaybook is not supported: Vigil has no Logic Apps to run playbooks. Do in this rule what Vigil can do itself (ModifyProperties: owner, severity, status, labels; AddIncidentTask), '
        + 'and run external steps from your own service: a service principal with Microsoft Sentinel Responder that lists incidents (GET .../incidents?$filter=...&$orderby=properties/lastModifiedTimeUtc desc) or queries SecurityIncident / SecurityAlert, then updates the incident through the same API.');
    default:
      throw invalid(`${at}.actionType`, `actionType '${String(a.actionType)}' is not one of ModifyProperties, AddIncidentTask (RunPlaybook is refused: Vigil has no Logic Apps).`);
  }
}
