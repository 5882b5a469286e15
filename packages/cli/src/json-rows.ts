// Typed values -> JSON: how prepared rows travel to the import API.
import type { Typed } from '../../server/src/logstore/coerce.ts';
import type { ColumnType } from '../../server/src/logstore/schema.ts';
import { formatDatetime, formatTimespan } from '../../server/src/query/value-format.ts';

/** A prepared row as JSON values the server types back exactly: datetimes as ISO, big longs as digits. */
export function toJsonRow(row: Record<string, Typed>, types: Map<string, ColumnType>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    const type = types.get(name);
    if (value === null) out[name] = null;
    else if (typeof value === 'bigint') {
      // The query API's forms, which the server reads back exactly (microseconds, 100-ns ticks).
      if (type === 'datetime') out[name] = formatDatetime({ micros: value });
      else if (type === 'timespan') out[name] = formatTimespan(value);
      else out[name] = value.toString();
    } else if (type === 'dynamic' && typeof value === 'string') {
      // prepareRows keeps dynamic values as JSON text; the server wants the value itself.
      try {
        out[name] = JSON.parse(value);
      } catch {
        out[name] = value;
      }
    } else if (typeof value === 'number' && !Number.isFinite(value)) out[name] = String(value); // NaN, Infinity
    else out[name] = value;
  }
  return out;
}
