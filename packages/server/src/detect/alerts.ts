// From a rule's results to its alerts, as Sentinel builds them: the trigger (number of results
// against the threshold), event grouping (one alert for all results, or one per result up to
// 150 with the 150th summarising the rest), entities from the mappings (at most 500 per alert),
// custom details, and the alert details override (name and description with {{Column}}
// placeholders, severity and tactics from columns). Pure: no I/O, so each rule is testable.
import { randomUUID } from 'node:crypto';
import type { KqlColumn } from '../../../kql/src/types.ts';
import { formatValue } from '../query/value-format.ts';
import type { RuleDefinition, Severity, TriggerOperator } from './rule-model.ts';
import { SEVERITIES, TACTICS } from './rule-model.ts';
import { GENERIC_ACCOUNT_NAMES, type EntityType } from './entity-types.ts';

export const MAX_ALERTS_PER_RESULT = 150;
export const MAX_ENTITIES_PER_ALERT = 500;

/** An entity as SecurityAlert.Entities carries it: its identifiers and a lower-case Type. */
export interface AlertEntity {
  Type: string;
  [identifier: string]: string;
}

export interface Alert {
  id: string;
  displayName: string;
  description: string;
  severity: Severity;
  tactics: string[];
  techniques: string[];
  subTechniques: string[];
  entities: AlertEntity[];
  /** Custom detail -> the values its column took in the alert's results. */
  customDetails: Record<string, string[]>;
  /** Results this alert stands for (more than one for SingleAlert or the summarising 150th). */
  resultCount: number;
  /**
   * The workspaces (TenantId: every row carries its workspace's id) its results came from: a
   * cross-workspace rule's alert names the customers behind it. Empty when the results have no
   * TenantId column.
   */
  sourceWorkspaceIds: string[];
  /** Earliest and latest TimeGenerated among its results, when the results carry one. */
  startTime: Date | undefined;
  endTime: Date | undefined;
}

/** Sentinel's entity Type names in SecurityAlert.Entities. */
const ENTITY_TYPE_NAME: Record<EntityType, string> = {
  Account: 'account', Host: 'host', IP: 'ip', URL: 'url', AzureResource: 'azure-resource', CloudApplication: 'cloud-application',
  DNS: 'dns', File: 'file', FileHash: 'filehash', Malware: 'malware', Process: 'process', RegistryKey: 'registry-key',
  RegistryValue: 'registry-value', SecurityGroup: 'security-group', Mailbox: 'mailbox', MailCluster: 'mail-cluster',
  MailMessage: 'mail-message', SubmissionMail: 'SubmissionMail', SentinelEntities: 'sentinel-entities',
};

export function triggers(operator: TriggerOperator, threshold: number, count: number): boolean {
  switch (operator) {
    case 'GreaterThan': return count > threshold;
    case 'LessThan': return count < threshold;
    case 'Equal': return count === threshold;
    case 'NotEqual': return count !== threshold;
  }
}

/** The alerts a run raises from its results (none when the trigger does not fire). */
export function buildAlerts(rule: RuleDefinition, columns: readonly KqlColumn[], rows: readonly unknown[][]): Alert[] {
  const p = rule.properties;
  const fires = rule.kind === 'NRT' ? rows.length > 0 : triggers(rule.properties.triggerOperator, rule.properties.triggerThreshold, rows.length);
  if (!fires) return [];
  const read = reader(columns);
  if (rows.length === 0) return [alertOf(rule, read, [], 0)];
  if (p.eventGroupingSettings.aggregationKind === 'SingleAlert') return [alertOf(rule, read, rows, rows.length)];
  const alerts: Alert[] = [];
  for (let i = 0; i < Math.min(rows.length, MAX_ALERTS_PER_RESULT - 1); i++) alerts.push(alertOf(rule, read, [rows[i]!], 1));
  if (rows.length === MAX_ALERTS_PER_RESULT) alerts.push(alertOf(rule, read, [rows[MAX_ALERTS_PER_RESULT - 1]!], 1));
  if (rows.length > MAX_ALERTS_PER_RESULT) alerts.push(alertOf(rule, read, rows.slice(MAX_ALERTS_PER_RESULT - 1), rows.length - (MAX_ALERTS_PER_RESULT - 1)));
  return alerts;
}

type Reader = (row: readonly unknown[], column: string) => string | undefined;

/** A column's value in a row as text (Log Analytics' form), undefined when absent, null or empty. */
function reader(columns: readonly KqlColumn[]): Reader {
  const index = new Map(columns.map((c, i) => [c.name, i]));
  return (row, column) => {
    const i = index.get(column);
    if (i === undefined) return undefined;
    const value = row[i];
    if (value === null || value === undefined) return undefined;
    const parsed = JSON.parse(formatValue(columns[i]!.type, value)) as unknown;
    const text = typeof parsed === 'string' ? parsed : String(parsed);
    return text === '' ? undefined : text;
  };
}

function alertOf(rule: RuleDefinition, read: Reader, rows: readonly (readonly unknown[])[], resultCount: number): Alert {
  const p = rule.properties;
  const first = rows[0];
  const override = p.alertDetailsOverride;
  const fill = (format: string | undefined, fallback: string) => {
    if (format === undefined || first === undefined) return fallback;
    return format.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, column: string) => read(first, column) ?? '');
  };
  const severityValue = override?.alertSeverityColumnName !== undefined && first !== undefined ? read(first, override.alertSeverityColumnName) : undefined;
  const severity = SEVERITIES.find((s) => s.toLowerCase() === severityValue?.toLowerCase()) ?? p.severity;
  const tacticsValue = override?.alertTacticsColumnName !== undefined && first !== undefined ? read(first, override.alertTacticsColumnName) : undefined;
  const tactics = tacticsValue === undefined ? p.tactics : tacticsFrom(tacticsValue, p.tactics);

  const entities: AlertEntity[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const mapping of p.entityMappings) {
      if (entities.length >= MAX_ENTITIES_PER_ALERT) break;
      const entity: AlertEntity = { Type: ENTITY_TYPE_NAME[mapping.entityType as EntityType] };
      for (const f of mapping.fieldMappings) {
        const value = read(row, f.columnName);
        if (value !== undefined) entity[f.identifier] = value;
      }
      const identifiers = Object.keys(entity).filter((k) => k !== 'Type');
      if (identifiers.length === 0) continue;
      // An Account known only by a built-in name (SYSTEM, ADMINISTRATOR...) is dropped, as in Sentinel.
      if (mapping.entityType === 'Account' && identifiers.length === 1 && entity.Name !== undefined && GENERIC_ACCOUNT_NAMES.has(entity.Name.toUpperCase())) continue;
      const key = JSON.stringify(Object.entries(entity).sort(([a], [b]) => a.localeCompare(b)));
      if (seen.has(key)) continue;
      seen.add(key);
      entities.push(entity);
    }
  }

  // Columns of Sentinel entities (sentinelEntitiesMappings): each value a JSON array of entities.
  for (const row of rows) {
    for (const m of p.sentinelEntitiesMappings) {
      for (const entity of sentinelEntities(read(row, m.columnName))) {
        if (entities.length >= MAX_ENTITIES_PER_ALERT) break;
        const key = JSON.stringify(Object.entries(entity).sort(([a], [b]) => a.localeCompare(b)));
        if (seen.has(key)) continue;
        seen.add(key);
        entities.push(entity);
      }
    }
  }

  const customDetails: Record<string, string[]> = {};
  for (const [key, column] of Object.entries(p.customDetails)) {
    const values = [...new Set(rows.map((r) => read(r, column)).filter((v): v is string => v !== undefined))];
    if (values.length > 0) customDetails[key] = values;
  }

  const times = rows.map((r) => read(r, 'TimeGenerated')).filter((v): v is string => v !== undefined).map((v) => new Date(v)).filter((d) => !Number.isNaN(d.getTime()));
  const ms = times.map((d) => d.getTime());
  return {
    id: randomUUID(),
    displayName: fill(override?.alertDisplayNameFormat, p.displayName),
    description: fill(override?.alertDescriptionFormat, p.description),
    severity,
    tactics,
    techniques: p.techniques,
    subTechniques: p.subTechniques,
    entities,
    customDetails,
    resultCount,
    sourceWorkspaceIds: [...new Set(rows.map((r) => read(r, 'TenantId')).filter((v): v is string => v !== undefined))].sort(),
    startTime: ms.length === 0 ? undefined : new Date(Math.min(...ms)),
    endTime: ms.length === 0 ? undefined : new Date(Math.max(...ms)),
  };
}

/** Tactics from a column: a comma list or a JSON array of Sentinel's tactic names; others are ignored. */
function tacticsFrom(value: string, fallback: readonly string[]): string[] {
  let names: string[];
  try {
    const parsed = JSON.parse(value) as unknown;
    names = Array.isArray(parsed) ? parsed.map(String) : value.split(',');
  } catch {
    names = value.split(',');
  }
  const known = names.map((n) => TACTICS.find((t) => t.toLowerCase() === n.trim().toLowerCase())).filter((t): t is (typeof TACTICS)[number] => t !== undefined);
  return known.length === 0 ? [...fallback] : [...new Set(known)];
}

/** Entities from a column of Sentinel entities: objects with a Type and text identifiers; anything else is skipped. */
function sentinelEntities(text: string | undefined): AlertEntity[] {
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const out: AlertEntity[] = [];
  for (const item of list) {
    if (item === null || typeof item !== 'object' || typeof (item as { Type?: unknown }).Type !== 'string') continue;
    const entity: AlertEntity = { Type: (item as { Type: string }).Type };
    for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
      if (k === 'Type' || k.startsWith('$') || v === null || v === undefined || typeof v === 'object') continue;
      entity[k] = String(v);
    }
    if (Object.keys(entity).length > 1) out.push(entity);
  }
  return out;
}
