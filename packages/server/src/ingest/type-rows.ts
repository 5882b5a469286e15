// Incoming rows -> typed rows of a table schema, with the columns Log Analytics sets itself.
import type { Column, TableSchema } from '../logstore/schema.ts';
import type { TypedRow } from '../logstore/log-store.ts';
import { CoerceFailure, coerceValue } from '../logstore/coerce.ts';

export interface RowProblem {
  /** 0-based index of the row in what was sent. */
  index: number;
  column?: string;
  problem: string;
}

export interface TypedRows {
  rows: TypedRow[];
  /** The service-set columns, the same for every row (see AppendBatch.constants). */
  constants: TypedRow;
  rejected: RowProblem[];
  /** Columns that were sent but are not in the table (dropped, as Log Analytics drops them). */
  unknownColumns: string[];
}

const SET_BY_SERVICE = new Set(['tenantid', 'type', '_timereceived', '_itemid', '_billedsize', '_resourceid']);

/**
 * Types every row against the schema. A key names the column of its exact name, else the one
 * column equal to it but for case; a key equal but for case to several columns (AzureDiagnostics'
 * clientIP_s and clientIp_s) and exactly none names no column: it is dropped and reported as
 * unknown rather than guessed. A row with a
 * value that cannot take its column's type is rejected whole (never half-loaded); the
 * service-set columns are overwritten whatever the sender put in them.
 */
export function typeRows(
  schema: TableSchema,
  input: readonly unknown[],
  context: { workspaceId: string; receivedAt: Date; bytes: number; resourceId?: string },
): TypedRows {
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  // Case-folded name -> its column, or null when several columns fold to it.
  const byLower = new Map<string, Column | null>();
  for (const c of schema.columns) {
    const key = c.name.toLowerCase();
    byLower.set(key, byLower.has(key) ? null : c);
  }
  // Rows of a call share their keys: resolve each distinct key once (this loop is the hot path
  // of every ingestion route). null marks a key that is not a column, or one the service sets.
  const resolved = new Map<string, Column | null>();
  const resolve = (key: string): Column | null => {
    let column = resolved.get(key);
    if (column === undefined) {
      const found = byName.get(key) ?? byLower.get(key.toLowerCase()) ?? undefined;
      column = found === undefined || SET_BY_SERVICE.has(found.name.toLowerCase()) ? null : found;
      if (found === undefined) unknown.add(key);
      resolved.set(key, column);
    }
    return column;
  };
  const unknown = new Set<string>();
  const rows: TypedRow[] = [];
  const rejected: RowProblem[] = [];
  const receivedMicros = BigInt(context.receivedAt.getTime()) * 1000n;
  const billedPerRow = input.length === 0 ? 0 : context.bytes / input.length;
  const resourceId = context.resourceId ?? null;
  for (let index = 0; index < input.length; index++) {
    const raw = input[index];
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      rejected.push({ index, problem: `row ${index} is not a JSON object of column values` });
      continue;
    }
    const row: TypedRow = {};
    let problem: RowProblem | undefined;
    const record = raw as Record<string, unknown>;
    for (const key in record) {
      const column = resolve(key);
      if (column === null) continue;
      const typed = coerceValue(column.type, record[key]);
      if (typed instanceof CoerceFailure) {
        problem = { index, column: column.name, problem: `row ${index}, column '${column.name}' (${column.type}): ${typed.reason}` };
        break;
      }
      row[column.name] = typed;
    }
    if (problem !== undefined) {
      rejected.push(problem);
      continue;
    }
    row.TimeGenerated ??= receivedMicros;
    rows.push(row);
  }
  // _ItemId, unique per row, is made by the store as it appends.
  const constants: TypedRow = { TenantId: context.workspaceId, Type: schema.name, _TimeReceived: receivedMicros, _BilledSize: billedPerRow, _ResourceId: resourceId };
  return { rows, constants, rejected, unknownColumns: [...unknown] };
}
