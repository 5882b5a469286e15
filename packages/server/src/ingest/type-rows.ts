// Incoming rows -> typed rows of a table schema, with the columns Log Analytics sets itself.
import { randomUUID } from 'node:crypto';
import type { TableSchema } from '../logstore/schema.ts';
import type { TypedRow } from '../logstore/log-store.ts';
import { coerce } from '../logstore/coerce.ts';

export interface RowProblem {
  /** 0-based index of the row in what was sent. */
  index: number;
  column?: string;
  problem: string;
}

export interface TypedRows {
  rows: TypedRow[];
  rejected: RowProblem[];
  /** Columns that were sent but are not in the table (dropped, as Log Analytics drops them). */
  unknownColumns: string[];
}

const SET_BY_SERVICE = new Set(['tenantid', 'type', '_timereceived', '_itemid', '_billedsize', '_resourceid']);

/**
 * Types every row against the schema. Column names match case-insensitively. A row with a
 * value that cannot take its column's type is rejected whole (never half-loaded); the
 * service-set columns are overwritten whatever the sender put in them.
 */
export function typeRows(
  schema: TableSchema,
  input: readonly unknown[],
  context: { workspaceId: string; receivedAt: Date; bytes: number; resourceId?: string },
): TypedRows {
  const byLower = new Map(schema.columns.map((c) => [c.name.toLowerCase(), c]));
  const unknown = new Set<string>();
  const rows: TypedRow[] = [];
  const rejected: RowProblem[] = [];
  const receivedMicros = BigInt(context.receivedAt.getTime()) * 1000n;
  const billedPerRow = input.length === 0 ? 0 : context.bytes / input.length;
  input.forEach((raw, index) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      rejected.push({ index, problem: `row ${index} is not a JSON object of column values` });
      return;
    }
    const row: TypedRow = {};
    let problem: RowProblem | undefined;
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      const column = byLower.get(key.toLowerCase());
      if (column === undefined) {
        unknown.add(key);
        continue;
      }
      if (SET_BY_SERVICE.has(column.name.toLowerCase())) continue;
      const typed = coerce(column.type, value);
      if (!typed.ok) {
        problem = { index, column: column.name, problem: `row ${index}, column '${column.name}' (${column.type}): ${typed.reason}` };
        break;
      }
      row[column.name] = typed.value;
    }
    if (problem !== undefined) {
      rejected.push(problem);
      return;
    }
    row.TimeGenerated ??= receivedMicros;
    row.TenantId = context.workspaceId;
    row.Type = schema.name;
    row._TimeReceived = receivedMicros;
    row._ItemId = randomUUID();
    row._BilledSize = billedPerRow;
    row._ResourceId = context.resourceId ?? null;
    rows.push(row);
  });
  return { rows, rejected, unknownColumns: [...unknown] };
}
