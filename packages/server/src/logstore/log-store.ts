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

/** A value bound to a `$n` parameter of the SQL. */
export type QueryParam = string | number | bigint | boolean | null;

export interface QueryRequest {
  /**
   * One SELECT statement (anything else is refused). Tables are named with their workspace's
   * catalog: `"<workspaceCatalog(id)>".main."<Table>"`, a view with the table's full schema.
   */
  sql: string;
  /** Every workspace whose storage the SQL reads; each is attached (opened) before it runs and counted in use until it ends. */
  workspaces: string[];
  params?: readonly QueryParam[];
  /** Stop reading after this many rows: the result has the first maxRows and `truncated: 'rows'`. */
  maxRows?: number;
  /** Stop once the rows read exceed about this many bytes (estimate from values): `truncated: 'bytes'`. */
  maxBytes?: number;
  /** Interrupt the query after this long: rejects with an Error whose name is 'QueryTimeout'. */
  timeoutMs?: number;
  /** Lets `cancel(queryId)` interrupt it: rejects with name 'QueryCancelled'. */
  queryId?: string;
}

export interface QueryResult {
  /** DuckDB type names (VARCHAR, BIGINT, TIMESTAMP, JSON...). */
  columns: { name: string; type: string }[];
  /** JS values as DuckDB's node API converts them (bigint for BIGINT, Date for TIMESTAMP...). */
  rows: unknown[][];
  /** Set when the rows stop short of the result: at `maxRows` rows or about `maxBytes` bytes. */
  truncated?: 'rows' | 'bytes';
}

/**
 * The SQL catalog a workspace's storage is attached as: `ws_` and the workspace id without its
 * dashes. Queries name tables `"<catalog>".main."<Table>"`, so that one statement can read
 * several workspaces (KQL's workspace()).
 */
export function workspaceCatalog(workspaceId: string): string {
  return `ws_${workspaceId.toLowerCase().replace(/-/g, '')}`;
}

export interface LogStore {
  /** Appends every batch in one transaction; resolves once it is committed (durable). */
  append(workspaceId: string, batches: AppendBatch[]): Promise<void>;
  /** Runs one SELECT over the workspaces it names, reading its result incrementally. */
  query(request: QueryRequest): Promise<QueryResult>;
  /** Interrupts the running query with this `queryId` (nothing when none); resolves once it has stopped. */
  cancel(queryId: string): Promise<void>;
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
