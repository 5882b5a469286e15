// The log store: per-workspace tables of log rows. Callers (ingestion, the query API, rules)
// see only this interface; DuckDB is today's engine (duckdb/), ClickHouse can follow.
import type { TableSchema } from './schema.ts';
import type { Typed } from './coerce.ts';

/** A row keyed by column name (exact schema case), values already coerced to the column types. */
export type TypedRow = Record<string, Typed>;

export interface AppendBatch {
  table: TableSchema;
  rows: TypedRow[];
  /**
   * Values of every row of the batch (the columns the service sets: TenantId, Type,
   * _TimeReceived...). Sent once rather than in each row: rows cross to the store's thread by
   * structured clone, where repeated values cost as much as distinct ones.
   */
  constants?: TypedRow;
}

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

export interface LogStore {
  /** Appends every batch in one transaction; resolves once it is committed (durable). */
  append(workspaceId: string, batches: AppendBatch[]): Promise<void>;
  /** Runs read-only SQL against one workspace's database. */
  query(workspaceId: string, sql: string, params?: readonly (string | number | bigint | boolean | null)[]): Promise<QueryResult>;
  /** Deletes rows of `table` whose TimeGenerated is older than `beforeMicros`; returns how many. */
  purge(workspaceId: string, table: string, beforeMicros: bigint): Promise<number>;
  /** Columns of a table that exist in storage (a subset of its schema: only those ever written). */
  tableColumns(workspaceId: string, table: string): Promise<string[]>;
  /** Tables that exist in the workspace's storage, with their row counts. */
  tables(workspaceId: string): Promise<{ name: string; rows: number }[]>;
  /** Drops a table and its rows. */
  dropTable(workspaceId: string, table: string): Promise<void>;
  /** Removes the workspace's storage entirely (offboarding). */
  dropWorkspace(workspaceId: string): Promise<void>;
  close(): Promise<void>;
}
