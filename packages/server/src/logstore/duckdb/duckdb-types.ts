// Log Analytics column types as DuckDB stores them, and how each typed value is appended.
import { DuckDBTimestampValue, type DuckDBAppender } from '@duckdb/node-api';
import type { ColumnType } from '../schema.ts';
import type { Typed } from '../coerce.ts';

export const DUCKDB_TYPE: Record<ColumnType, string> = {
  string: 'VARCHAR',
  int: 'INTEGER',
  long: 'BIGINT',
  real: 'DOUBLE',
  decimal: 'DOUBLE',
  bool: 'BOOLEAN',
  // UTC, microseconds (Kusto keeps 100 ns; the last digit is dropped on the way in).
  datetime: 'TIMESTAMP',
  dynamic: 'JSON',
  guid: 'UUID',
  // 100-ns ticks, as Kusto counts a timespan.
  timespan: 'BIGINT',
};

export type AppendFn = (appender: DuckDBAppender, value: Exclude<Typed, null>) => void;

export const APPEND: Record<ColumnType, AppendFn> = {
  string: (a, v) => a.appendVarchar(String(v)),
  int: (a, v) => a.appendInteger(Number(v)),
  long: (a, v) => a.appendBigInt(typeof v === 'bigint' ? v : BigInt(v as number)),
  real: (a, v) => a.appendDouble(Number(v)),
  decimal: (a, v) => a.appendDouble(Number(v)),
  bool: (a, v) => a.appendBoolean(Boolean(v)),
  datetime: (a, v) => a.appendTimestamp(new DuckDBTimestampValue(typeof v === 'bigint' ? v : BigInt(v as number))),
  dynamic: (a, v) => a.appendVarchar(String(v)),
  guid: (a, v) => a.appendVarchar(String(v)),
  timespan: (a, v) => a.appendBigInt(typeof v === 'bigint' ? v : BigInt(v as number)),
};

/** "Name" with embedded quotes doubled: identifiers never reach SQL unquoted. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
