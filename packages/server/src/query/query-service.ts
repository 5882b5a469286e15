// One Log Analytics query, end to end: resolve the workspaces the caller named (readable ones
// only), compile the KQL against their schemas, check that the SQL reads nothing else, run it
// with the result and time limits, and shape the answer as Log Analytics does.
import { performance } from 'node:perf_hooks';
import type { Services } from '../services.ts';
import type { Caller } from '../access/caller.ts';
import type { CompileEnv, CompiledQuery, WorkspaceDef } from '../../../kql/src/index.ts';
import type { Workspace } from '../control/workspaces.ts';
import { ApiError } from '../errors.ts';
import { parseTimespan, type TimeRange } from './timespan.ts';
import type { QueryPreferences } from './prefer.ts';
import { resolveReadableWorkspace } from './workspace-access.ts';
import { ambiguousWorkspace, fromKqlError, isKqlError, QueryError, workspaceNotFound } from './query-errors.ts';
import { workspaceCatalog, type QueryResult } from './store-gateway.ts';
import { formatRows, formatTimespan } from './value-format.ts';

export interface LogQuery {
  caller: Caller;
  /** The workspace the query runs in, as the path named it (id, name or resource id). */
  home: string;
  /** Where `home` came from, for error messages ('path', 'requests[0].workspace'). */
  homeWhere: string;
  query: string;
  timespan?: string | null | undefined;
  /** More workspaces whose tables every table reference also reads (the body's `workspaces`). */
  workspaces?: string[] | undefined;
  prefer: QueryPreferences;
  /** The store's handle on the query, for cancelling it. */
  queryId: string;
}

export interface LogQueryAnswer {
  /** The response body (tables, and statistics, render or a partial error when they apply). */
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

export async function runLogQuery(services: Services, q: LogQuery): Promise<LogQueryAnswer> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const ctx = { db: services.db, now: services.now };
  const now = services.now();

  const resolve = async (reference: string, where: string): Promise<Workspace> => {
    const r = await resolveReadableWorkspace(ctx, q.caller, reference);
    if (r.kind === 'ambiguous') throw ambiguousWorkspace(reference, r.count, where);
    if (r.kind === 'not-found') throw workspaceNotFound(reference, where);
    return r.workspace;
  };
  const home = await resolve(q.home, q.homeWhere);
  const additional: Workspace[] = [];
  for (const [i, reference] of (q.workspaces ?? []).entries()) {
    const w = await resolve(reference, `workspaces[${i}]`);
    if (w.customer_id !== home.customer_id && !additional.some((a) => a.customer_id === w.customer_id)) additional.push(w);
  }
  const timeRange = q.timespan !== undefined && q.timespan !== null && q.timespan.trim() !== '' ? parseTimespan(q.timespan, now) : undefined;
  const compiled = await compileForCaller(services, { caller: q.caller, home, additional, query: q.query, timeRange, now, waitSeconds: q.prefer.waitSeconds });
  const maxRows = services.config.queryMaxRows;
  const maxBytes = services.config.queryMaxBytes;
  const answer = await runCompiled(services, compiled, { query: q.query, maxRows, maxBytes, timeoutSeconds: q.prefer.waitSeconds, queryId: q.queryId });

  const rows = formatRows(compiled.columns, answer.rows, { maxRows, maxBytes });
  const truncated = answer.truncated ?? rows.truncated;
  const body: Record<string, unknown> = {
    tables: [{ name: 'PrimaryResult', columns: compiled.columns.map((c) => ({ name: c.name, type: c.type })), rows: rows.json }],
  };
  if (q.prefer.includeStatistics) body.statistics = statistics(started, cpuBefore, rows.count, rows.bytes);
  if (q.prefer.includeRender && compiled.render !== undefined) body.render = { visualization: compiled.render.visualization, ...compiled.render.properties };
  if (truncated !== undefined) body.error = partialError(truncated, rows.count, maxRows, maxBytes);
  return { body, headers: q.prefer.applied === undefined ? {} : { 'preference-applied': q.prefer.applied } };
}

export interface CompileRequest {
  caller: Caller;
  home: Workspace;
  /** More workspaces every table reference also reads (the query API's `workspaces`). */
  additional?: Workspace[];
  query: string;
  timeRange?: TimeRange | undefined;
  now: Date;
  /** The time limit of schema discovery (evaluate bag_unpack), in seconds. */
  waitSeconds: number;
  /** Filled with every workspace the query names (home, additional, workspace()), stored or not. */
  reached?: Set<string>;
}

/**
 * Compiles a query in `home` with the caller's reach: workspace() resolves among the workspaces
 * the caller may read, and the compiled SQL is checked to read nothing else. Analytics rules
 * compile through here too, with the reach of the principal they run as.
 */
export async function compileForCaller(services: Services, r: CompileRequest): Promise<CompiledQuery> {
  const ctx = { db: services.db, now: services.now };
  const additional = r.additional ?? [];
  // Everything the compiled SQL may read: what was named, plus what workspace() resolves to.
  const readable = r.reached ?? new Set<string>();
  readable.add(r.home.customer_id);
  for (const w of additional) readable.add(w.customer_id);
  const env: CompileEnv = {
    home: await services.schemas.get(r.home),
    additional: await Promise.all(additional.map((w) => services.schemas.get(w))),
    now: r.now,
    catalogOf: workspaceCatalog,
    ...(services.config.externalDataDirectory !== undefined ? { externalData: { directory: services.config.externalDataDirectory } } : {}),
    resolveWorkspace: async (reference: string): Promise<WorkspaceDef | undefined> => {
      const found = await resolveReadableWorkspace(ctx, r.caller, reference);
      if (found.kind === 'ambiguous') throw ambiguousWorkspace(reference, found.count, 'workspace() in the query');
      if (found.kind === 'not-found') return undefined;
      readable.add(found.workspace.customer_id);
      return services.schemas.get(found.workspace);
    },
    // evaluate bag_unpack / pivot without a schema: the compiler asks the data for the columns,
    // through the same store and the same check that it reads only what the caller may read.
    discover: async (sql: string, workspaces: string[]): Promise<unknown[][]> => {
      if (workspaces.some((id) => !readable.has(id))) {
        throw new ApiError('InternalServerError', 'The query was refused before it ran: its schema discovery would read storage it was not given. This is a bug in Vigil.');
      }
      const found = await services.queryStore.query({ sql, workspaces, maxRows: 10_000, timeoutMs: r.waitSeconds * 1000 });
      return found.rows;
    },
  };
  if (r.timeRange !== undefined) env.timeRange = r.timeRange;

  let compiled: CompiledQuery;
  try {
    compiled = await services.compileQuery(r.query, env);
  } catch (error) {
    if (isKqlError(error)) throw fromKqlError(error, r.query);
    throw error;
  }
  // The compiler is trusted to read only what it was given, and checked anyway: a query never
  // touches a workspace the caller may not read.
  const foreign = compiled.workspaces.filter((id) => !readable.has(id));
  if (foreign.length > 0) {
    services.log.error({ query: r.query, workspaces: compiled.workspaces, readable: [...readable] }, 'the compiled query reads workspaces it was not given; refused');
    throw new ApiError('InternalServerError', 'The query was refused before it ran: its compiled form would read storage it was not given. This is a bug in Vigil; it was logged with the request id.');
  }
  return compiled;
}

/** Runs a compiled query with the result and time limits; errors in Log Analytics' shape. */
export async function runCompiled(
  services: Services, compiled: CompiledQuery,
  limits: { query: string; maxRows: number; maxBytes?: number; timeoutSeconds: number; queryId?: string },
): Promise<QueryResult> {
  let answer: QueryResult;
  try {
    answer = await services.queryStore.query({
      sql: compiled.sql,
      workspaces: compiled.workspaces,
      maxRows: limits.maxRows,
      ...(limits.maxBytes !== undefined ? { maxBytes: limits.maxBytes } : {}),
      timeoutMs: limits.timeoutSeconds * 1000,
      ...(limits.queryId !== undefined ? { queryId: limits.queryId } : {}),
    });
  } catch (error) {
    throw storeError(error, limits.timeoutSeconds, services.config.externalDataDirectory);
  }
  if (answer.columns.length !== compiled.columns.length) {
    services.log.error({ query: limits.query, sql: compiled.sql, expected: compiled.columns, got: answer.columns }, 'the engine returned other columns than the compiler declared');
    throw new ApiError('InternalServerError', 'The query ran but its result did not have the columns the compiler declared. This is a bug in Vigil; it was logged with the request id.');
  }
  return answer;
}

function storeError(error: unknown, waitSeconds: number, externalDirectory: string | undefined): unknown {
  const name = (error as Error | undefined)?.name;
  if (name === 'QueryTimeout') {
    return new QueryError('GatewayTimeout', `The query did not finish within its time limit of ${waitSeconds} seconds and was stopped. Narrow it (a shorter timespan, a filter early in the query) or ask for more time with the header 'Prefer: wait=<seconds>'.`,
      { code: 'QueryTimeout', message: `timed out after ${waitSeconds} s` });
  }
  if (name === 'QueryCancelled' || error instanceof ApiError) return error;
  const message = (error as Error | undefined)?.message ?? String(error);
  // externaldata naming a file the directory does not hold: said without the server's paths.
  const missing = externalDirectory !== undefined ? /No files found that match the pattern "([^"]+)"/.exec(message) : null;
  if (missing !== null && missing[1]!.startsWith(`${externalDirectory}/`)) {
    const file = missing[1]!.slice(externalDirectory!.length + 1);
    return new QueryError('BadArgumentError', `externaldata: the external data directory holds no file ${file}. An address is read from its mirror there (<host>/<path>); ask an administrator to place the file.`,
      { code: 'ExternalDataNotFound', message: `no file ${file}` }, { target: 'query', cause: error });
  }
  // The engine refused the statement at run time (a conversion that fails on some row, for example).
  return new QueryError('BadArgumentError', `The query failed while running: ${message}`, { code: 'EngineError', message }, { target: 'query', cause: error });
}

function partialError(truncated: 'rows' | 'bytes', kept: number, maxRows: number, maxBytes: number) {
  const why = truncated === 'rows'
    ? `Query result set has exceeded the internal record count limit ${maxRows} records`
    : `Query result set has exceeded the internal data size limit ${maxBytes} bytes`;
  return {
    code: 'PartialError',
    message: 'There were some errors when processing your query.',
    details: [{
      code: 'EngineError',
      message: `${why}; the result was truncated to its first ${kept} rows. Narrow the query (a shorter timespan, filters, project fewer columns, summarize) to get all of it.`,
      innererror: { code: 'E_QUERY_RESULT_SET_TOO_LARGE', message: why },
    }],
  };
}

/**
 * The statistics Log Analytics returns with `include-statistics=true`, from what Vigil can
 * measure: wall time, the process's CPU time while the query ran (the store runs on a thread of
 * this process, so other work in the process is included), and the result's size.
 */
function statistics(started: number, cpuBefore: NodeJS.CpuUsage, rows: number, bytes: number) {
  const cpu = process.cpuUsage(cpuBefore);
  const ticks = (micros: number) => formatTimespan(BigInt(Math.round(micros)) * 10n);
  return {
    query: {
      executionTime: Math.round(performance.now() - started) / 1000,
      resourceUsage: {
        cpu: { user: ticks(cpu.user), kernel: ticks(cpu.system), 'total cpu': ticks(cpu.user + cpu.system) },
        memory: { peak_per_node: process.memoryUsage().rss },
      },
      datasetStatistics: [{ tableRowCount: rows, tableSize: bytes }],
    },
  };
}
