// An analytics rule, as ARM's Microsoft.SecurityInsights/alertRules carries it (kinds Scheduled
// and NRT). parseRuleProperties() is the one gate: the ARM routes, YAML import and templates
// all come through it, so a rule that is stored is a rule the scheduler can run. It checks
// Sentinel's documented settings and limits, except where Vigil deliberately allows more
// (frequencies and lookbacks down to 1 minute; queries up to 100,000 characters), and fills
// Sentinel's defaults, so that what is stored is the canonical form answered back.
import { z } from 'zod';
import { ApiError } from '../errors.ts';
import { ENTITY_IDENTIFIERS, ENTITY_TYPES, isEntityType } from './entity-types.ts';
import { DAY, MINUTE, describeDuration, formatIsoDuration, parseIsoDuration } from './durations.ts';

export const RULE_KINDS = ['Scheduled', 'NRT'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const SEVERITIES = ['High', 'Medium', 'Low', 'Informational'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const TRIGGER_OPERATORS = ['GreaterThan', 'LessThan', 'Equal', 'NotEqual'] as const;
export type TriggerOperator = (typeof TRIGGER_OPERATORS)[number];

/** MITRE ATT&CK tactics as Sentinel names them (enterprise and ICS). */
export const TACTICS = [
  'Reconnaissance', 'ResourceDevelopment', 'InitialAccess', 'Execution', 'Persistence', 'PrivilegeEscalation',
  'DefenseEvasion', 'CredentialAccess', 'Discovery', 'LateralMovement', 'Collection', 'Exfiltration',
  'CommandAndControl', 'Impact', 'PreAttack', 'ImpairProcessControl', 'InhibitResponseFunction',
] as const;

export const LIMITS = {
  minWindowMs: MINUTE,
  maxWindowMs: 14 * DAY,
  maxQueryChars: 100_000,
  maxSuppressionMs: DAY,
  minGroupingMs: 5 * MINUTE,
  maxGroupingMs: 7 * DAY,
  maxEntityMappings: 10,
  maxIdentifiersPerMapping: 3,
  maxCustomDetails: 20,
  maxTriggerThreshold: 10_000,
} as const;

const duration = (min: number, max: number) => z.string().transform((text, ctx) => {
  const ms = parseIsoDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `'${text}' is not an ISO 8601 duration of days, hours, minutes or seconds, such as PT5M, PT1H or P1D` });
    return z.NEVER;
  }
  if (ms < min || ms > max) {
    ctx.addIssue({ code: 'custom', message: `must be from ${describeDuration(min)} to ${describeDuration(max)}; got ${text} (${describeDuration(ms)})` });
    return z.NEVER;
  }
  return formatIsoDuration(ms);
});

const name = z.string().trim().min(1);

const EntityMapping = z.object({
  entityType: z.string().refine(isEntityType, { message: `entityType must be one of ${ENTITY_TYPES.join(', ')}` }),
  fieldMappings: z.array(z.object({
    identifier: name,
    columnName: name,
  })).min(1, 'an entity mapping needs at least one field mapping').max(LIMITS.maxIdentifiersPerMapping, `an entity mapping takes at most ${LIMITS.maxIdentifiersPerMapping} identifiers`),
}).superRefine((m, ctx) => {
  if (!isEntityType(m.entityType)) return;
  const allowed: readonly string[] = ENTITY_IDENTIFIERS[m.entityType];
  const seen = new Set<string>();
  m.fieldMappings.forEach((f, i) => {
    if (!allowed.includes(f.identifier)) {
      ctx.addIssue({ code: 'custom', path: ['fieldMappings', i, 'identifier'], message: `'${f.identifier}' is not an identifier of ${m.entityType} entities; use one of ${allowed.join(', ')}` });
    }
    if (seen.has(f.identifier)) ctx.addIssue({ code: 'custom', path: ['fieldMappings', i, 'identifier'], message: `identifier '${f.identifier}' is mapped twice` });
    seen.add(f.identifier);
  });
});

const GroupingConfiguration = z.object({
  enabled: z.boolean().default(false),
  reopenClosedIncident: z.boolean().default(false),
  lookbackDuration: duration(LIMITS.minGroupingMs, LIMITS.maxGroupingMs).default('PT5H'),
  matchingMethod: z.enum(['AllEntities', 'AnyAlert', 'Selected']).default('AllEntities'),
  groupByEntities: z.array(z.string().refine(isEntityType, { message: `must be an entity type: ${ENTITY_TYPES.join(', ')}` })).default([]),
  groupByAlertDetails: z.array(z.enum(['DisplayName', 'Severity'])).default([]),
  groupByCustomDetails: z.array(name).default([]),
});

const DEFAULT_INCIDENT_CONFIGURATION = {
  createIncident: true,
  groupingConfiguration: { enabled: false, reopenClosedIncident: false, lookbackDuration: 'PT5H', matchingMethod: 'AllEntities', groupByEntities: [], groupByAlertDetails: [], groupByCustomDetails: [] },
} as const;

const Common = {
  displayName: name.max(256, 'displayName takes at most 256 characters'),
  description: z.string().default(''),
  severity: z.enum(SEVERITIES),
  enabled: z.boolean(),
  query: z.string().trim().min(1, 'query is required: the KQL the rule runs').max(LIMITS.maxQueryChars, `query takes at most ${LIMITS.maxQueryChars} characters`),
  tactics: z.array(z.enum(TACTICS)).default([]),
  techniques: z.array(z.string().regex(/^T\d{4}$/, 'a technique is a MITRE ATT&CK id such as T1110')).default([]),
  subTechniques: z.array(z.string().regex(/^T\d{4}\.\d{3}$/, 'a sub-technique is a MITRE ATT&CK id such as T1110.003')).default([]),
  suppressionEnabled: z.boolean().default(false),
  suppressionDuration: duration(0, LIMITS.maxSuppressionMs).default('PT5H'),
  alertRuleTemplateName: z.string().nullish().transform((v) => v ?? null),
  templateVersion: z.string().nullish().transform((v) => v ?? null),
  eventGroupingSettings: z.object({ aggregationKind: z.enum(['SingleAlert', 'AlertPerResult']).default('SingleAlert') }).default({ aggregationKind: 'SingleAlert' }),
  entityMappings: z.array(EntityMapping).max(LIMITS.maxEntityMappings, `a rule takes at most ${LIMITS.maxEntityMappings} entity mappings`).nullish().transform((v) => v ?? []),
  /** Columns holding Sentinel entities as JSON (an array of {Type, identifiers...}), attached as they are. */
  sentinelEntitiesMappings: z.array(z.object({ columnName: name })).max(LIMITS.maxEntityMappings, `a rule takes at most ${LIMITS.maxEntityMappings} Sentinel entity columns`).nullish().transform((v) => v ?? []),
  customDetails: z.record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,19}$/, 'a custom detail key is up to 20 letters, digits and _, not starting with a digit'),
    name,
  ).nullish().transform((v) => v ?? {}),
  alertDetailsOverride: z.object({
    alertDisplayNameFormat: z.string().nullish(),
    alertDescriptionFormat: z.string().nullish(),
    alertTacticsColumnName: z.string().nullish(),
    alertSeverityColumnName: z.string().nullish(),
  }).nullish().transform((v) => {
    if (v === null || v === undefined) return null;
    const kept = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined && x !== ''));
    return Object.keys(kept).length === 0 ? null : kept as { alertDisplayNameFormat?: string; alertDescriptionFormat?: string; alertTacticsColumnName?: string; alertSeverityColumnName?: string };
  }),
  incidentConfiguration: z.object({
    createIncident: z.boolean().default(true),
    groupingConfiguration: GroupingConfiguration.default(DEFAULT_INCIDENT_CONFIGURATION.groupingConfiguration as never),
  }).default(DEFAULT_INCIDENT_CONFIGURATION as never),
};

const ScheduledProperties = z.object({
  ...Common,
  queryFrequency: duration(LIMITS.minWindowMs, LIMITS.maxWindowMs),
  queryPeriod: duration(LIMITS.minWindowMs, LIMITS.maxWindowMs),
  triggerOperator: z.enum(TRIGGER_OPERATORS).default('GreaterThan'),
  triggerThreshold: z.number().int('triggerThreshold is a whole number').min(0).max(LIMITS.maxTriggerThreshold).default(0),
  startTimeUtc: z.iso.datetime({ offset: true }).nullish().transform((v) => v ?? null),
});

const NrtProperties = z.object(Common);

export type ScheduledRuleProperties = z.output<typeof ScheduledProperties>;
export type NrtRuleProperties = z.output<typeof NrtProperties>;

/** A rule's settings in their canonical form: what is stored and what ARM answers. */
export type RuleDefinition =
  | { kind: 'Scheduled'; properties: ScheduledRuleProperties }
  | { kind: 'NRT'; properties: NrtRuleProperties };

/**
 * Checks a rule's properties for its kind; throws InvalidRequestContent naming every field
 * that is wrong (as `properties.<path>`) and how to fix it.
 */
export function parseRuleProperties(kind: string, properties: unknown, where = 'properties'): RuleDefinition {
  if (!(RULE_KINDS as readonly string[]).includes(kind)) {
    throw new ApiError('InvalidRequestContent', `kind must be one of ${RULE_KINDS.join(', ')}; got '${kind}'. Vigil runs scheduled and near-real-time (NRT) analytics rules.`, { target: 'kind' });
  }
  const schema = kind === 'Scheduled' ? ScheduledProperties : NrtProperties;
  const result = schema.safeParse(properties ?? {});
  if (!result.success) throw invalid(where, result.error.issues);
  const p = result.data;
  const problems: { path: (string | number)[]; message: string }[] = [];
  if (kind === 'Scheduled') {
    const s = p as ScheduledRuleProperties;
    const frequency = parseIsoDuration(s.queryFrequency)!;
    const period = parseIsoDuration(s.queryPeriod)!;
    if (frequency > period) problems.push({ path: ['queryFrequency'], message: `(${describeDuration(frequency)}) must not be longer than queryPeriod (${describeDuration(period)}): every run looks back at least as far as the time since the last one` });
  }
  const grouping = p.incidentConfiguration.groupingConfiguration;
  grouping.groupByCustomDetails.forEach((key, i) => {
    if (!Object.hasOwn(p.customDetails, key)) problems.push({ path: ['incidentConfiguration', 'groupingConfiguration', 'groupByCustomDetails', i], message: `'${key}' is not a key of customDetails (${Object.keys(p.customDetails).join(', ') || 'none'})` });
  });
  if (grouping.matchingMethod === 'Selected' && grouping.groupByEntities.length + grouping.groupByAlertDetails.length + grouping.groupByCustomDetails.length === 0) {
    problems.push({ path: ['incidentConfiguration', 'groupingConfiguration', 'matchingMethod'], message: "matchingMethod 'Selected' needs at least one of groupByEntities, groupByAlertDetails or groupByCustomDetails" });
  }
  if (problems.length > 0) throw invalid(where, problems);
  return { kind, properties: p } as RuleDefinition;
}

function invalid(where: string, issues: readonly { path: PropertyKey[]; message: string }[]): ApiError {
  const details = issues.map((issue) => {
    const target = [where, ...issue.path.map(String)].filter((s) => s !== '').join('.');
    return { code: 'InvalidRequestContent', target, message: `${target}: ${issue.message}` };
  });
  return new ApiError('InvalidRequestContent', `The analytics rule is invalid: ${details.map((d) => d.message).join('; ')}.`, { target: details[0]?.target ?? where, details });
}

/** How often a rule runs and how far back each run looks, in milliseconds. */
export interface RuleWindows {
  frequencyMs: number;
  periodMs: number;
}

/** NRT rules run every minute over the minute since the last run, as in Sentinel. */
export function ruleWindows(rule: RuleDefinition): RuleWindows {
  if (rule.kind === 'NRT') return { frequencyMs: MINUTE, periodMs: MINUTE };
  return { frequencyMs: parseIsoDuration(rule.properties.queryFrequency)!, periodMs: parseIsoDuration(rule.properties.queryPeriod)! };
}

