// What Sentinel checks against a rule's query when the rule is saved: every column the rule's
// settings name (entity mappings, custom details, the alert details override and the
// {{Column}} placeholders of its formats) is a column of the query's results. Column names are
// matched exactly, as KQL does; a name differing only in case is offered as the likely fix.
import { ApiError, type ErrorDetail } from '../errors.ts';
import type { RuleDefinition } from './rule-model.ts';

export interface ResultColumn {
  name: string;
  type: string;
}

/** Sentinel takes up to three {{Column}} placeholders in an alert's name format. */
export const MAX_NAME_PLACEHOLDERS = 3;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The column names `{{Column}}` placeholders of a format name, in order, without repeats. */
export function placeholders(format: string): string[] {
  return [...new Set([...format.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/**
 * Throws InvalidRequestContent when a column the rule names is not among `columns` (the query's
 * results), naming each field at fault (`properties.entityMappings[0].fieldMappings[1].columnName`)
 * and the columns the query does output.
 */
export function checkRuleColumns(definition: RuleDefinition, columns: readonly ResultColumn[]): void {
  const names = new Set(columns.map((c) => c.name));
  const problems: { target: string; message: string }[] = [];
  const need = (target: string, column: string, role: string) => {
    if (names.has(column)) return;
    const sameButCase = columns.find((c) => c.name.toLowerCase() === column.toLowerCase());
    problems.push({
      target,
      message: `column '${column}' (${role}) is not among the query's result columns${sameButCase !== undefined ? ` (names are case-sensitive: did you mean '${sameButCase.name}'?)` : ''}`,
    });
  };

  const p = definition.properties;
  p.entityMappings.forEach((mapping, i) => mapping.fieldMappings.forEach((field, j) => {
    need(`properties.entityMappings[${i}].fieldMappings[${j}].columnName`, field.columnName, `the ${mapping.entityType} entity's ${field.identifier}`);
  }));
  for (const [key, column] of Object.entries(p.customDetails)) need(`properties.customDetails.${key}`, column, `custom detail ${key}`);
  p.sentinelEntitiesMappings.forEach((m, i) => need(`properties.sentinelEntitiesMappings[${i}].columnName`, m.columnName, 'Sentinel entities'));
  const override = p.alertDetailsOverride;
  if (override !== null) {
    if (override.alertTacticsColumnName !== undefined) need('properties.alertDetailsOverride.alertTacticsColumnName', override.alertTacticsColumnName, "the alert's tactics");
    if (override.alertSeverityColumnName !== undefined) need('properties.alertDetailsOverride.alertSeverityColumnName', override.alertSeverityColumnName, "the alert's severity");
    for (const key of ['alertDisplayNameFormat', 'alertDescriptionFormat'] as const) {
      const format = override[key];
      if (format === undefined) continue;
      const target = `properties.alertDetailsOverride.${key}`;
      const used = placeholders(format);
      if (key === 'alertDisplayNameFormat' && used.length > MAX_NAME_PLACEHOLDERS) {
        problems.push({ target, message: `the alert name format uses ${used.length} columns (${used.map((c) => `{{${c}}}`).join(', ')}); it takes at most ${MAX_NAME_PLACEHOLDERS}. Put the others in the description format` });
      }
      for (const column of used) need(target, column, `placeholder {{${column}}}`);
    }
  }
  if (problems.length === 0) return;

  const outputs = columns.length === 0 ? 'none' : columns.map((c) => `${c.name} (${c.type})`).join(', ');
  const details: ErrorDetail[] = problems.map((x) => ({ code: 'InvalidRequestContent', target: x.target, message: `${x.target}: ${x.message}` }));
  throw new ApiError(
    'InvalidRequestContent',
    `The rule names columns its query does not output: ${details.map((d) => d.message).join('; ')}. The query outputs: ${outputs}. Name one of these, or project or extend the column in the query.`,
    { target: details[0]!.target, details },
  );
}
