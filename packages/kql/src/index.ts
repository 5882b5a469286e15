// The KQL compiler's public face: KQL text + the schemas it may read -> SQL for the engine.
// Stages (each callable and printable on its own, see docs/ARCHITECTURE.md):
//   syntax/  Microsoft's parser and analyser (typed tree)
//   plan/    our dialect-neutral logical plan, and named rewrites over it
//   sql/     SQL text for a dialect (DuckDB today)
import type { KqlDiagnostic } from './diagnostics.ts';
import type { KqlColumn, WorkspaceDef } from './types.ts';

export type { KqlColumn, KqlType, TableDef, FunctionDef, FunctionParameter, WorkspaceDef } from './types.ts';
export { KqlError, type KqlDiagnostic, type KqlErrorKind } from './diagnostics.ts';

/** The column a time range restricts. */
export type TimeColumn = 'TimeGenerated' | '_TimeReceived';

export interface CompileEnv {
  /** The workspace the query runs in: unqualified table and function names resolve here. */
  home: WorkspaceDef;
  /**
   * Resolves `workspace("...")` (name, workspace id or resource id) among the workspaces the
   * caller may read. Returns undefined both when it does not exist and when the caller may
   * not read it, so that the error leaks nothing.
   */
  resolveWorkspace(reference: string): Promise<WorkspaceDef | undefined>;
  /** More workspaces whose tables are unioned into every table reference (the API's `workspaces`). */
  additional?: WorkspaceDef[];
  /**
   * Restricts the TimeGenerated of every table read (the query API's `timespan`), or with
   * `column: '_TimeReceived'` the time rows were ingested (near-real-time rules run over what
   * arrived since their last run).
   */
  timeRange?: { start?: Date; end?: Date; column?: TimeColumn };
  /** What `now()` returns: fixed once per query, as Kusto does. Defaults to the compile time. */
  now?: Date;
  /** The SQL catalog (attached database) holding a workspace's storage. */
  catalogOf(workspaceId: string): string;
  /**
   * The directory `externaldata` may read files from, chosen by an administrator. Without it
   * externaldata is refused; URLs always are (the compiler never reaches the network).
   */
  externalData?: { directory: string };
  /**
   * Runs a read-only query the compiler writes to learn a schema that depends on the data
   * (`evaluate bag_unpack` or `pivot` without an output schema), and returns its rows. The
   * compiler then writes the schema into the query and compiles it again. Without it such
   * queries are refused with a hint to give the schema.
   */
  discover?(sql: string, workspaces: string[]): Promise<unknown[][]>;
}

export interface RenderSpec {
  visualization: string;
  properties: Record<string, unknown>;
}

export interface CompiledQuery {
  sql: string;
  /** The result's columns with their KQL types, in order. */
  columns: KqlColumn[];
  /** Ids of every workspace whose storage the SQL reads. */
  workspaces: string[];
  /** `| render ...` at the end of the query, returned as metadata. */
  render?: RenderSpec;
  /**
   * What the query ran without, as Kusto's query status warnings: inputs of `union isfuzzy=true`
   * that failed to resolve (code VQ050), with their position in the query's text.
   */
  warnings?: KqlDiagnostic[];
}

export { compileQuery, analyzeQuery, planQuery, sqlOf, warmUp } from './compile.ts';
export { printPlan } from './plan/print.ts';
export { printSyntax } from './syntax/print.ts';
