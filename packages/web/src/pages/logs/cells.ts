// How the results grid and the CSV export show each value, by its column's type (the query
// API's wire format: docs/query-api.md). datetime in UTC, numbers as the server sent them
// (all digits of a long), bool as true/false, dynamic as its JSON text (expandable in the grid).
import type { QueryColumn } from '../../api/query.ts';

const NUMERIC = new Set(['int', 'long', 'real', 'decimal']);
export const isNumeric = (c: QueryColumn) => NUMERIC.has(c.type);

/** 2024-05-01T10:00:00.123Z -> 2024-05-01 10:00:00.123 (the grid's header says UTC). */
export function formatDatetime(value: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d(?:\.\d+)?)Z$/.exec(value);
  return m === null ? value : `${m[1]} ${m[2]}`;
}

/** The text of one cell; null is empty, as Log Analytics shows it. */
export function cellText(column: QueryColumn, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (column.type === 'datetime' && typeof value === 'string') return formatDatetime(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A dynamic value parsed (the wire has its JSON text), or undefined when it is not JSON or a scalar. */
export function dynamicValue(value: unknown): object | undefined {
  if (typeof value === 'object' && value !== null) return value;
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}
