// The wizard's working copy of a rule: every field as the user types it (strings for numbers and
// durations), made from a blank rule, a template or a saved rule, and turned back into ARM's
// properties when tested or saved. Nothing is checked here beyond the form of a number: the
// server checks the rule and names each field at fault, and the wizard shows its message there.
import type { AlertRule, AlertRuleTemplate, EntityMapping, GroupingConfiguration, RuleKind, RuleProperties } from '../../api/analytics.ts';

export type DurationUnit = 'M' | 'H' | 'D';
export interface Duration { amount: string; unit: DurationUnit }

export interface RuleDraft {
  kind: RuleKind;
  /** The ARM name (a GUID for new rules, as Sentinel makes them). */
  name: string;
  /** Set when editing a saved rule: the etag it was read with. */
  etag?: string;
  displayName: string;
  description: string;
  severity: string;
  enabled: boolean;
  tactics: string[];
  techniques: string;
  query: string;
  entityMappings: EntityMapping[];
  customDetails: { key: string; column: string }[];
  alertDisplayNameFormat: string;
  alertDescriptionFormat: string;
  alertTacticsColumnName: string;
  alertSeverityColumnName: string;
  queryFrequency: Duration;
  queryPeriod: Duration;
  triggerOperator: string;
  triggerThreshold: string;
  aggregationKind: string;
  suppressionEnabled: boolean;
  suppressionDuration: Duration;
  createIncident: boolean;
  grouping: Omit<GroupingConfiguration, 'lookbackDuration'> & { lookbackDuration: Duration };
  alertRuleTemplateName: string | null;
  templateVersion: string | null;
  /** Properties the wizard does not edit, carried back as they were (sentinelEntitiesMappings, subTechniques, startTimeUtc...). */
  kept: Record<string, unknown>;
}

const UNIT_MS: Record<DurationUnit, number> = { M: 60_000, H: 3_600_000, D: 86_400_000 };
const ISO = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i;

/** PT5H -> 5 hours, P1D -> 1 day, PT90M -> 90 minutes (the largest whole unit). */
export function durationOf(iso: string | undefined, fallback: Duration): Duration {
  const m = iso === undefined ? null : ISO.exec(iso);
  if (m === null) return fallback;
  const ms = ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60_000 + Number(m[4] ?? 0) * 1000;
  for (const unit of ['D', 'H', 'M'] as const) if (ms > 0 && ms % UNIT_MS[unit] === 0) return { amount: String(ms / UNIT_MS[unit]), unit };
  return fallback;
}

/** 5 hours -> PT5H; what is not a whole number is sent as typed, for the server to name. */
export function isoOf(d: Duration): string {
  const n = d.amount.trim();
  if (!/^\d+$/.test(n)) return n === '' ? '' : `${n}${d.unit}`;
  return d.unit === 'D' ? `P${Number(n)}D` : `PT${Number(n)}${d.unit}`;
}

export function describeDuration(d: Duration): string {
  const unit = { M: 'minute', H: 'hour', D: 'day' }[d.unit];
  return `${d.amount} ${unit}${d.amount === '1' ? '' : 's'}`;
}

const HANDLED = new Set([
  'displayName', 'description', 'severity', 'enabled', 'tactics', 'techniques', 'query', 'entityMappings', 'customDetails', 'alertDetailsOverride',
  'queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold', 'eventGroupingSettings', 'suppressionEnabled', 'suppressionDuration',
  'incidentConfiguration', 'alertRuleTemplateName', 'templateVersion',
  // Read-only: answered by the server, never sent back.
  'lastModifiedUtc', 'disabledReason', 'templateVersionAvailable',
  // A template's own: not a rule's.
  'requiredDataConnectors', 'version', 'status', 'alertRulesCreatedByTemplateCount', 'createdDateUTC', 'lastUpdatedDateUTC',
]);

function fromProperties(kind: RuleKind, name: string, p: Partial<RuleProperties>): RuleDraft {
  const g = p.incidentConfiguration?.groupingConfiguration;
  const o = p.alertDetailsOverride ?? {};
  return {
    kind,
    name,
    displayName: p.displayName ?? '',
    description: p.description ?? '',
    severity: p.severity ?? 'Medium',
    enabled: p.enabled ?? true,
    tactics: [...(p.tactics ?? [])],
    techniques: [...(p.techniques ?? []), ...(p.subTechniques ?? [])].join(', '),
    query: p.query ?? '',
    entityMappings: (p.entityMappings ?? []).map((m) => ({ entityType: m.entityType, fieldMappings: m.fieldMappings.map((f) => ({ ...f })) })),
    customDetails: Object.entries(p.customDetails ?? {}).map(([key, column]) => ({ key, column })),
    alertDisplayNameFormat: o.alertDisplayNameFormat ?? '',
    alertDescriptionFormat: o.alertDescriptionFormat ?? '',
    alertTacticsColumnName: o.alertTacticsColumnName ?? '',
    alertSeverityColumnName: o.alertSeverityColumnName ?? '',
    queryFrequency: durationOf(p.queryFrequency, { amount: '5', unit: 'H' }),
    queryPeriod: durationOf(p.queryPeriod, { amount: '5', unit: 'H' }),
    triggerOperator: p.triggerOperator ?? 'GreaterThan',
    triggerThreshold: String(p.triggerThreshold ?? 0),
    aggregationKind: p.eventGroupingSettings?.aggregationKind ?? 'SingleAlert',
    suppressionEnabled: p.suppressionEnabled ?? false,
    suppressionDuration: durationOf(p.suppressionDuration, { amount: '5', unit: 'H' }),
    createIncident: p.incidentConfiguration?.createIncident ?? true,
    grouping: {
      enabled: g?.enabled ?? false,
      reopenClosedIncident: g?.reopenClosedIncident ?? false,
      lookbackDuration: durationOf(g?.lookbackDuration, { amount: '5', unit: 'H' }),
      matchingMethod: g?.matchingMethod ?? 'AllEntities',
      groupByEntities: [...(g?.groupByEntities ?? [])],
      groupByAlertDetails: [...(g?.groupByAlertDetails ?? [])],
      groupByCustomDetails: [...(g?.groupByCustomDetails ?? [])],
    },
    alertRuleTemplateName: p.alertRuleTemplateName ?? null,
    templateVersion: p.templateVersion ?? null,
    kept: Object.fromEntries(Object.entries(p).filter(([k]) => !HANDLED.has(k) && !(k === 'subTechniques'))),
  };
}

export function blankDraft(kind: RuleKind): RuleDraft {
  return fromProperties(kind, crypto.randomUUID(), {
    query: '', severity: 'Medium', enabled: true, queryFrequency: 'PT5H', queryPeriod: 'PT5H', triggerOperator: 'GreaterThan', triggerThreshold: 0,
  });
}

/** A new rule from a template: it keeps the template's name and version, as Sentinel's do. */
export function draftFromTemplate(t: AlertRuleTemplate): RuleDraft {
  const draft = fromProperties(t.kind, crypto.randomUUID(), { ...t.properties, enabled: true, suppressionEnabled: false, suppressionDuration: 'PT5H' });
  return { ...draft, alertRuleTemplateName: t.name, templateVersion: t.properties.version };
}

export function draftFromRule(rule: AlertRule): RuleDraft {
  return { ...fromProperties(rule.kind, rule.name, rule.properties), etag: rule.etag };
}

/** The draft as ARM's properties (what is saved and what is tested). */
export function propertiesOf(d: RuleDraft): RuleProperties {
  const ids = d.techniques.split(/[\s,;]+/).map((t) => t.trim().toUpperCase()).filter((t) => t !== '');
  const override = {
    alertDisplayNameFormat: d.alertDisplayNameFormat, alertDescriptionFormat: d.alertDescriptionFormat,
    alertTacticsColumnName: d.alertTacticsColumnName, alertSeverityColumnName: d.alertSeverityColumnName,
  };
  const keptOverride = Object.fromEntries(Object.entries(override).filter(([, v]) => v.trim() !== ''));
  const threshold = d.triggerThreshold.trim();
  const p: RuleProperties = {
    ...d.kept,
    displayName: d.displayName,
    description: d.description,
    severity: d.severity,
    enabled: d.enabled,
    query: d.query,
    tactics: d.tactics,
    techniques: ids.filter((t) => !t.includes('.')),
    subTechniques: ids.filter((t) => t.includes('.')),
    entityMappings: d.entityMappings,
    customDetails: Object.fromEntries(d.customDetails.map((c) => [c.key, c.column])),
    alertDetailsOverride: Object.keys(keptOverride).length === 0 ? null : keptOverride,
    eventGroupingSettings: { aggregationKind: d.aggregationKind },
    suppressionEnabled: d.suppressionEnabled,
    suppressionDuration: isoOf(d.suppressionDuration),
    incidentConfiguration: {
      createIncident: d.createIncident,
      groupingConfiguration: { ...d.grouping, lookbackDuration: isoOf(d.grouping.lookbackDuration) },
    },
    alertRuleTemplateName: d.alertRuleTemplateName,
    templateVersion: d.templateVersion,
  };
  if (d.kind === 'Scheduled') {
    p.queryFrequency = isoOf(d.queryFrequency);
    p.queryPeriod = isoOf(d.queryPeriod);
    p.triggerOperator = d.triggerOperator;
    // A threshold that is not a number is sent as typed: the server says what is wrong with it.
    p.triggerThreshold = (/^-?\d+(\.\d+)?$/.test(threshold) ? Number(threshold) : threshold) as number;
  }
  return p;
}

/** A saved rule's properties without what the server answers but does not take (for enable/disable). */
export function editableProperties(rule: AlertRule): RuleProperties {
  const { lastModifiedUtc: _m, disabledReason: _d, templateVersionAvailable: _t, ...rest } = rule.properties;
  return rest as RuleProperties;
}

/** Which wizard step holds a field the server named (`properties.entityMappings.0...`). */
export type Step = 'general' | 'logic' | 'incident' | 'review';
export function stepOf(target: string): Step {
  const field = target.replace(/^properties\./, '').split('.')[0] ?? '';
  if (['displayName', 'description', 'severity', 'enabled', 'tactics', 'techniques', 'subTechniques'].includes(field)) return 'general';
  if (field === 'incidentConfiguration') return 'incident';
  if (field === 'kind' || field === 'etag') return 'review';
  return 'logic';
}
