// The HTTP Data Collector API's rules: SharedKey signatures over the workspace key, and
// Log Analytics' column naming, where each field gets a suffix for the type of its value
// (_s string, _d number, _b bool, _t datetime, _g guid) and the table <Log-Type>_CL grows
// the columns it meets.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Column, ColumnType } from '../logstore/schema.ts';
import { parseDatetime } from '../logstore/coerce.ts';

export const LOG_TYPE = /^[A-Za-z0-9_]{1,100}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The string Azure signs: verb, length, content type, x-ms-date and resource, one per line. */
export function stringToSign(contentLength: number, contentType: string, date: string): string {
  return `POST\n${contentLength}\n${contentType}\nx-ms-date:${date}\n/api/logs`;
}

export function sign(key: string, contentLength: number, contentType: string, date: string): string {
  return createHmac('sha256', Buffer.from(key, 'base64')).update(stringToSign(contentLength, contentType, date), 'utf8').digest('base64');
}

export function signatureMatches(keys: readonly string[], signature: string, contentLength: number, contentType: string, date: string): boolean {
  const given = Buffer.from(signature, 'base64');
  return keys.some((key) => {
    const expected = Buffer.from(sign(key, contentLength, contentType, date), 'base64');
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

/** The column a field's value goes to: name + suffix of the value's type. */
export function suffixedColumn(field: string, value: unknown): Column | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return { name: `${field}_b`, type: 'bool' };
  if (typeof value === 'number') return { name: `${field}_d`, type: 'real' };
  if (typeof value === 'string') {
    if (GUID.test(value)) return { name: `${field}_g`, type: 'guid' };
    if (ISO_DATETIME.test(value) && parseDatetime(value) !== undefined) return { name: `${field}_t`, type: 'datetime' };
    return { name: `${field}_s`, type: 'string' };
  }
  // Objects and arrays are stored as their JSON text in a string column, as Log Analytics does.
  return { name: `${field}_s`, type: 'string' };
}

/**
 * Rows of suffixed column values, the columns they need, and TimeGenerated from the field
 * named by the time-generated-field header when there is one.
 */
export function toSuffixedRows(records: Record<string, unknown>[], timeField: string | undefined): { rows: Record<string, unknown>[]; columns: Map<string, ColumnType> } {
  const columns = new Map<string, ColumnType>();
  const rows = records.map((record) => {
    const row: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(record)) {
      if (timeField !== undefined && field === timeField) row.TimeGenerated = value;
      const column = suffixedColumn(field.replace(/[^A-Za-z0-9_]/g, '_'), value);
      if (column === undefined) continue;
      columns.set(column.name, column.type);
      row[column.name] = typeof value === 'object' ? JSON.stringify(value) : value;
    }
    return row;
  });
  return { rows, columns };
}
