// Sentinel's analytics-rule YAML (the format of the Azure-Sentinel repository's Detections and
// Solutions folders) to a RuleDefinition and back. The YAML's own forms are read here (durations
// as 5m/1h/14d, triggerOperator as gt/lt/eq/ne, relevantTechniques holding techniques and
// sub-techniques together, the id as the template's name); everything else is checked by
// parseRuleProperties(), the one gate, whose errors come back with the YAML line and column of
// the field at fault.
import { LineCounter, isMap, isNode, isScalar, parseDocument, stringify, type Document } from 'yaml';
import { ApiError, type ErrorDetail } from '../errors.ts';
import { formatIsoDuration, formatShortDuration, parseIsoDuration, parseShortDuration } from './durations.ts';
import { ENTITY_TYPES } from './entity-types.ts';
import { RULE_KINDS, SEVERITIES, TACTICS, TRIGGER_OPERATORS, parseRuleProperties, type RuleDefinition, type TriggerOperator } from './rule-model.ts';

export interface RequiredDataConnector {
  connectorId: string;
  dataTypes: string[];
}

/** Something in the YAML that was read differently or left out, with where it is. */
export interface RuleYamlWarning {
  /** The YAML field, e.g. `tactics[2]` or `metadata`. */
  path: string;
  line: number;
  column: number;
  message: string;
}

export interface ImportedRule {
  /** The YAML's id: the rule's name in ARM, and the template it comes from (alertRuleTemplateName). */
  id: string;
  definition: RuleDefinition;
  requiredDataConnectors: RequiredDataConnector[];
  /** Sentinel's tags, as written (strings, or objects such as {Schema, SchemaVersion}). */
  tags: unknown[];
  /** The template's status in the gallery (Available...), or null. */
  status: string | null;
  warnings: RuleYamlWarning[];
}

/** The YAML's extra metadata, which a RuleDefinition does not hold. */
export type RuleYamlExtras = Partial<Pick<ImportedRule, 'requiredDataConnectors' | 'tags' | 'status'>>;

type Path = (string | number)[];

const SHORT_OPERATORS: Record<string, TriggerOperator> = { gt: 'GreaterThan', lt: 'LessThan', eq: 'Equal', ne: 'NotEqual' };
const OPERATOR_SHORT: Record<TriggerOperator, string> = { GreaterThan: 'gt', LessThan: 'lt', Equal: 'eq', NotEqual: 'ne' };

/** Fields the YAML may hold, top level, and the keys known inside its nested objects. */
const TOP_LEVEL = new Set([
  'id', 'name', 'description', 'severity', 'requiredDataConnectors', 'queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold',
  'tactics', 'relevantTechniques', 'query', 'entityMappings', 'eventGroupingSettings', 'customDetails', 'alertDetailsOverride',
  'incidentConfiguration', 'suppressionDuration', 'suppressionEnabled', 'version', 'kind', 'tags', 'status', 'enabled', 'startTimeUtc',
  'sentinelEntitiesMappings',
]);
const NESTED_KEYS: { at: (path: Path) => boolean; keys: Set<string> }[] = [
  { at: (p) => p.length === 2 && p[0] === 'entityMappings', keys: new Set(['entityType', 'fieldMappings']) },
  { at: (p) => p.length === 2 && p[0] === 'sentinelEntitiesMappings', keys: new Set(['columnName']) },
  { at: (p) => p.length === 4 && p[0] === 'entityMappings' && p[2] === 'fieldMappings', keys: new Set(['identifier', 'columnName']) },
  { at: (p) => p.length === 1 && p[0] === 'eventGroupingSettings', keys: new Set(['aggregationKind']) },
  { at: (p) => p.length === 1 && p[0] === 'alertDetailsOverride', keys: new Set(['alertDisplayNameFormat', 'alertDescriptionFormat', 'alertTacticsColumnName', 'alertSeverityColumnName']) },
  { at: (p) => p.length === 1 && p[0] === 'incidentConfiguration', keys: new Set(['createIncident', 'groupingConfiguration']) },
  {
    at: (p) => p.length === 2 && p[0] === 'incidentConfiguration' && p[1] === 'groupingConfiguration',
    keys: new Set(['enabled', 'reopenClosedIncident', 'lookbackDuration', 'matchingMethod', 'groupByEntities', 'groupByAlertDetails', 'groupByCustomDetails']),
  },
  { at: (p) => p.length === 2 && p[0] === 'requiredDataConnectors', keys: new Set(['connectorId', 'dataTypes', 'datatypes']) },
];
/** Fields Sentinel knows that Vigil does not keep yet: said plainly rather than called unknown. */
const NOT_KEPT: Record<string, string> = {
  metadata: 'the content hub metadata (source, author, support, categories) is not kept; ignored',
};
const SCHEDULED_ONLY = ['queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold', 'startTimeUtc'];

/** `entityMappings[0].fieldMappings[1].columnName`. */
export function formatYamlPath(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

interface Problem {
  path: Path;
  message: string;
}

/**
 * Reads one analytics rule in Sentinel's YAML format. `source` names the file in messages.
 * Throws InvalidRequestContent listing every problem with its line:column and field.
 */
export function ruleFromYaml(text: string, source = '<rule>'): ImportedRule {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (path: Path, key = false): { line: number; column: number } => {
    const { line, col } = position(doc, lineCounter, path, key);
    return { line, column: col };
  };
  const fail = (problems: Problem[]): ApiError => {
    const details: ErrorDetail[] = problems.map((p) => {
      const { line, column } = at(p.path);
      const field = formatYamlPath(p.path);
      return { code: 'InvalidRequestContent', target: field, message: `${source}:${line}:${column}: ${field === '' ? '' : `${field}: `}${p.message}` };
    });
    return new ApiError('InvalidRequestContent', `The analytics rule YAML is invalid: ${details.map((d) => d.message).join('; ')}.`, { target: details[0]?.target ?? '', details });
  };

  if (doc.errors.length > 0) {
    const details: ErrorDetail[] = doc.errors.map((e) => {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      return { code: 'InvalidRequestContent', target: '', message: `${source}:${line}:${col}: not valid YAML: ${e.message.split('\n')[0]}` };
    });
    throw new ApiError('InvalidRequestContent', `The analytics rule YAML is invalid: ${details.map((d) => d.message).join('; ')}.`, { target: '', details });
  }
  const yaml: unknown = doc.toJS({ maxAliasCount: 100 });
  if (!isRecord(yaml)) throw fail([{ path: [], message: 'an analytics rule is a YAML mapping of fields (id, name, severity, query, ...)' }]);

  const problems: Problem[] = [];
  const warnings: RuleYamlWarning[] = [];
  const warn = (path: Path, message: string) => warnings.push({ path: formatYamlPath(path), ...at(path, true), message });

  // Fields Vigil does not know, at the top level and inside the objects it reads.
  for (const key of Object.keys(yaml)) {
    if (TOP_LEVEL.has(key)) continue;
    warn([key], NOT_KEPT[key] ?? `'${key}' is not a field of Sentinel's analytics rules that Vigil knows; ignored`);
  }
  walkObjects(yaml, [], (obj, path) => {
    const known = NESTED_KEYS.find((n) => n.at(path));
    if (known === undefined) return;
    for (const key of Object.keys(obj)) if (!known.keys.has(key)) warn([...path, key], `'${key}' is not a field Vigil knows here (${[...known.keys].join(', ')}); ignored`);
  });

  const id = yaml['id'];
  if (typeof id !== 'string' || id.trim() === '') problems.push({ path: ['id'], message: 'id is required: the rule\'s unique name, a GUID in Sentinel\'s rules (such as 6a2e2ff4-5568-475e-bef2-b95f12b9367b)' });

  const kind = oneOf(yaml, ['kind'], RULE_KINDS, problems, warn, 'Scheduled');
  const properties: Record<string, unknown> = {};
  const copy = (from: string, to = from) => {
    if (yaml[from] !== undefined) properties[to] = yaml[from];
  };
  copy('name', 'displayName');
  copy('description');
  properties['severity'] = oneOf(yaml, ['severity'], SEVERITIES, problems, warn);
  properties['enabled'] = yaml['enabled'] ?? true;
  copy('query');
  copy('triggerThreshold');
  copy('suppressionEnabled');
  copy('eventGroupingSettings');
  copy('entityMappings');
  copy('customDetails');
  copy('sentinelEntitiesMappings');
  copy('alertDetailsOverride');
  copy('startTimeUtc');

  for (const field of ['queryFrequency', 'queryPeriod', 'suppressionDuration'] as const) {
    const value = duration(yaml[field], [field], problems);
    if (value !== undefined) properties[field] = value;
  }
  if (yaml['triggerOperator'] !== undefined && yaml['triggerOperator'] !== null) {
    const op = yaml['triggerOperator'];
    const full = typeof op === 'string' ? SHORT_OPERATORS[op.toLowerCase()] ?? TRIGGER_OPERATORS.find((o) => o.toLowerCase() === op.toLowerCase()) : undefined;
    if (full === undefined) problems.push({ path: ['triggerOperator'], message: `triggerOperator must be one of gt, lt, eq, ne (or ${TRIGGER_OPERATORS.join(', ')}); got ${JSON.stringify(op)}` });
    else properties['triggerOperator'] = full;
  }
  if (Array.isArray(yaml['tactics'])) {
    properties['tactics'] = yaml['tactics'].map((t, i) => canonical(t, TACTICS, ['tactics', i], warn));
  } else if (yaml['tactics'] !== undefined && yaml['tactics'] !== null) {
    problems.push({ path: ['tactics'], message: `tactics must be a list of MITRE ATT&CK tactics (${TACTICS.join(', ')})` });
  }
  if (isRecord(yaml['incidentConfiguration'])) {
    const config = { ...yaml['incidentConfiguration'] };
    const grouping = config['groupingConfiguration'];
    if (isRecord(grouping)) {
      const lookback = duration(grouping['lookbackDuration'], ['incidentConfiguration', 'groupingConfiguration', 'lookbackDuration'], problems);
      config['groupingConfiguration'] = lookback === undefined ? grouping : { ...grouping, lookbackDuration: lookback };
    }
    properties['incidentConfiguration'] = config;
  } else copy('incidentConfiguration');
  if (Array.isArray(yaml['entityMappings'])) {
    properties['entityMappings'] = yaml['entityMappings'].map((m, i) => (isRecord(m) && typeof m['entityType'] === 'string'
      ? { ...m, entityType: canonical(m['entityType'], ENTITY_TYPES, ['entityMappings', i, 'entityType'], warn) }
      : m));
  }

  // relevantTechniques: T1110 is a technique, T1110.003 a sub-technique of T1110 (which it adds).
  const techniqueAt = new Map<string, Path>();
  const subTechniqueAt = new Map<string, Path>();
  const relevant = yaml['relevantTechniques'];
  if (Array.isArray(relevant)) {
    relevant.forEach((t, i) => {
      const m = typeof t === 'string' ? /^\s*(T\d{4})(\.\d{3})?\s*$/i.exec(t) : null;
      if (m === null) {
        problems.push({ path: ['relevantTechniques', i], message: `${JSON.stringify(t)} is not a MITRE ATT&CK technique such as T1110 or sub-technique such as T1110.003` });
        return;
      }
      const technique = m[1]!.toUpperCase();
      if (!techniqueAt.has(technique)) techniqueAt.set(technique, ['relevantTechniques', i]);
      if (m[2] !== undefined && !subTechniqueAt.has(technique + m[2])) subTechniqueAt.set(technique + m[2], ['relevantTechniques', i]);
    });
  } else if (relevant !== undefined && relevant !== null) {
    problems.push({ path: ['relevantTechniques'], message: 'relevantTechniques must be a list of MITRE ATT&CK ids such as T1110 or T1110.003' });
  }
  properties['techniques'] = [...techniqueAt.keys()];
  properties['subTechniques'] = [...subTechniqueAt.keys()];

  const version = yaml['version'];
  if (version !== undefined && version !== null && typeof version !== 'string') {
    // An unquoted 1.0 is read as a number; its text is the version meant.
    const node = doc.get('version', true);
    properties['templateVersion'] = isNode(node) && 'source' in node && typeof node.source === 'string' ? node.source : String(version);
  } else properties['templateVersion'] = version ?? null;
  if (typeof id === 'string') properties['alertRuleTemplateName'] = id.trim();

  if (kind === 'NRT') {
    for (const field of SCHEDULED_ONLY) {
      if (yaml[field] === undefined) continue;
      warn([field], `${field} does not apply to NRT rules (they run every minute over the minute before); ignored`);
      delete properties[field];
    }
  }

  const requiredDataConnectors = connectors(yaml['requiredDataConnectors'], problems);
  const tags = yaml['tags'] ?? [];
  if (!Array.isArray(tags)) problems.push({ path: ['tags'], message: 'tags must be a list' });
  const status = yaml['status'] ?? null;
  if (status !== null && typeof status !== 'string') problems.push({ path: ['status'], message: 'status must be text, such as Available' });

  if (problems.length > 0 || kind === undefined) throw fail(problems);

  let definition: RuleDefinition;
  try {
    definition = parseRuleProperties(kind, properties, '');
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const found = error.details.length > 0 ? error.details : [{ code: error.code, target: error.target ?? '', message: error.message }];
    throw fail(found.map((d) => {
      const target = d.target ?? '';
      const message = d.message.startsWith(`${target}: `) ? d.message.slice(target.length + 2) : d.message;
      return { path: yamlPathOf(target, techniqueAt, subTechniqueAt), message };
    }));
  }
  return { id: (id as string).trim(), definition, requiredDataConnectors, tags: tags as unknown[], status: status as string | null, warnings };
}

/** A rule's target path (as parseRuleProperties names it) -> where it is in the YAML. */
function yamlPathOf(target: string, techniques: Map<string, Path>, subTechniques: Map<string, Path>): Path {
  const path: Path = target === '' ? [] : target.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const [head, index] = path;
  if (head === 'displayName') return ['name', ...path.slice(1)];
  if (head === 'templateVersion') return ['version'];
  if (head === 'alertRuleTemplateName') return ['id'];
  if ((head === 'techniques' || head === 'subTechniques') && typeof index === 'number') {
    return [...(head === 'techniques' ? techniques : subTechniques).values()][index] ?? ['relevantTechniques'];
  }
  return path;
}

/** Where a field's value is (or its key, with `key`), else the nearest field above it that is there. */
function position(doc: Document, lc: LineCounter, path: Path, key = false): { line: number; col: number } {
  const last = path[path.length - 1];
  if (key && typeof last === 'string') {
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === last) : undefined;
    if (pair !== undefined && isNode(pair.key) && pair.key.range) return lc.linePos(pair.key.range[0]);
  }
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function walkObjects(value: unknown, path: Path, visit: (obj: Record<string, unknown>, path: Path) => void): void {
  if (Array.isArray(value)) value.forEach((v, i) => walkObjects(v, [...path, i], visit));
  else if (isRecord(value)) {
    visit(value, path);
    for (const [k, v] of Object.entries(value)) walkObjects(v, [...path, k], visit);
  }
}

/** A value of a closed list, matched regardless of case (Sentinel's API does), with a warning when the case differs. */
function canonical<T extends string>(value: unknown, allowed: readonly T[], path: Path, warn: (path: Path, message: string) => void): unknown {
  if (typeof value !== 'string' || (allowed as readonly string[]).includes(value)) return value;
  const match = allowed.find((a) => a.toLowerCase() === value.trim().toLowerCase());
  if (match === undefined) return value;
  warn(path, `'${value}' read as '${match}'`);
  return match;
}

function oneOf<T extends string>(yaml: Record<string, unknown>, path: [string], allowed: readonly T[], problems: Problem[], warn: (path: Path, message: string) => void, fallback?: T): T | undefined {
  const value = yaml[path[0]];
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  const found = canonical(value, allowed, path, warn);
  if (typeof found === 'string' && (allowed as readonly string[]).includes(found)) return found as T;
  problems.push({ path, message: `${path[0]} must be one of ${allowed.join(', ')}; got ${value === undefined ? 'nothing' : JSON.stringify(value)}` });
  return undefined;
}

/** `5m`, `1h`, `14d` (or an ISO 8601 duration) -> the ISO form the rule model takes. */
function duration(value: unknown, path: Path, problems: Problem[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'string' ? parseShortDuration(value) ?? parseIsoDuration(value) : undefined;
  if (ms === undefined) {
    problems.push({ path, message: `${JSON.stringify(value)} is not a duration; write a number and a unit: 30s, 5m, 1h or 14d` });
    return undefined;
  }
  return formatIsoDuration(ms);
}

function connectors(value: unknown, problems: Problem[]): RequiredDataConnector[] {
  if (value === undefined || value === null) return [];
  const hint = 'requiredDataConnectors is a list of {connectorId, dataTypes: [table, ...]}';
  if (!Array.isArray(value)) {
    problems.push({ path: ['requiredDataConnectors'], message: hint });
    return [];
  }
  const out: RequiredDataConnector[] = [];
  value.forEach((c, i) => {
    // Some of Sentinel's own rules write `datatypes`.
    const dataTypes = isRecord(c) ? c['dataTypes'] ?? c['datatypes'] ?? [] : undefined;
    if (!isRecord(c) || typeof c['connectorId'] !== 'string' || !Array.isArray(dataTypes) || !dataTypes.every((t) => typeof t === 'string')) {
      problems.push({ path: ['requiredDataConnectors', i], message: hint });
      return;
    }
    out.push({ connectorId: c['connectorId'], dataTypes: dataTypes as string[] });
  });
  return out;
}

/**
 * relevantTechniques for a rule's techniques and sub-techniques, in an order that reads back as
 * the same two lists: a sub-technique stands for its technique too, and a technique is written
 * on its own only where no sub-technique of it introduces it in its place.
 */
export function relevantTechniques(techniques: readonly string[], subTechniques: readonly string[]): string[] {
  const out: string[] = [];
  const introduced = new Set<string>();
  let next = 0;
  for (const sub of subTechniques) {
    const parent = sub.slice(0, sub.indexOf('.'));
    while (!introduced.has(parent) && next < techniques.length) {
      const t = techniques[next++]!;
      if (introduced.has(t)) continue;
      if (t === parent) break;
      out.push(t);
      introduced.add(t);
    }
    out.push(sub);
    introduced.add(parent);
  }
  for (const t of techniques.slice(next)) {
    if (!introduced.has(t)) out.push(t);
    introduced.add(t);
  }
  return out;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A rule in Sentinel's YAML format, fields in the order Sentinel's repository writes them. `name`
 * becomes the id, definition.templateVersion the version; fields at their defaults are left out.
 * ruleFromYaml() reads it back as the same rule (alertRuleTemplateName is then the id).
 */
export function ruleToYaml(name: string, definition: RuleDefinition, extras: RuleYamlExtras = {}): string {
  const p = definition.properties;
  const defaults = parseRuleProperties(definition.kind, {
    displayName: p.displayName, severity: p.severity, enabled: true, query: p.query,
    ...(definition.kind === 'Scheduled' ? { queryFrequency: definition.properties.queryFrequency, queryPeriod: definition.properties.queryPeriod } : {}),
  }).properties as Record<string, unknown>;
  const props = p as Record<string, unknown>;
  const unlessDefault = (key: string, value: unknown = props[key]) => (jsonEqual(props[key], defaults[key]) ? {} : { [key]: value });
  const short = (iso: string) => formatShortDuration(parseIsoDuration(iso)!);

  const out: Record<string, unknown> = {
    id: name,
    name: p.displayName,
    description: p.description,
    severity: p.severity,
    requiredDataConnectors: extras.requiredDataConnectors ?? [],
  };
  if (definition.kind === 'Scheduled') {
    const s = definition.properties;
    Object.assign(out, { queryFrequency: short(s.queryFrequency), queryPeriod: short(s.queryPeriod), triggerOperator: OPERATOR_SHORT[s.triggerOperator], triggerThreshold: s.triggerThreshold });
  }
  if (extras.status !== undefined && extras.status !== null) out['status'] = extras.status;
  if (!p.enabled) out['enabled'] = false;
  Object.assign(out, {
    tactics: p.tactics,
    relevantTechniques: relevantTechniques(p.techniques, p.subTechniques),
    query: p.query,
  });
  if (p.entityMappings.length > 0) out['entityMappings'] = p.entityMappings;
  if (p.sentinelEntitiesMappings.length > 0) out['sentinelEntitiesMappings'] = p.sentinelEntitiesMappings;
  Object.assign(out,
    unlessDefault('customDetails'),
    unlessDefault('alertDetailsOverride'),
    unlessDefault('eventGroupingSettings'),
    unlessDefault('incidentConfiguration', {
      ...p.incidentConfiguration,
      groupingConfiguration: { ...p.incidentConfiguration.groupingConfiguration, lookbackDuration: short(p.incidentConfiguration.groupingConfiguration.lookbackDuration) },
    }),
    unlessDefault('suppressionEnabled'),
    unlessDefault('suppressionDuration', short(p.suppressionDuration)),
  );
  if (definition.kind === 'Scheduled' && definition.properties.startTimeUtc !== null) out['startTimeUtc'] = definition.properties.startTimeUtc;
  if (p.templateVersion !== null) out['version'] = p.templateVersion;
  out['kind'] = definition.kind;
  if (extras.tags !== undefined && extras.tags.length > 0) out['tags'] = extras.tags;
  return stringify(out, { lineWidth: 0, blockQuote: 'literal', aliasDuplicateObjects: false });
}
