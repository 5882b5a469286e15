// The Logs page's calls: the Log Analytics query API (POST /v1/<workspace's ARM id>/query, the
// resource-centric form, with the session's token), the workspace's tables (their columns are
// the editor's schema) and saved searches (ARM). Query errors keep Log Analytics' detail: the
// innermost code (KS..., VQ...) and the line and column of the problem in the query text.
import { activeSession } from '../auth/session.ts';
import { ApiError, armList, armRequest, sessionExpired } from './arm-client.ts';

export interface QueryColumn { name: string; type: string }
export interface QueryTable { name: string; columns: QueryColumn[]; rows: unknown[][] }
/** The query's final `| render`, as the server gives it with `Prefer: include-render=true`. */
export interface RenderSpec { visualization: string; [property: string]: unknown }

export interface QueryAnswer {
  tables: QueryTable[];
  render?: RenderSpec;
  /** Seconds the server spent, from `include-statistics=true`. */
  executionTime?: number;
  /** A partial answer (rows beyond the limits left out): the server's explanation. */
  partialError?: string;
}

/** A refused query: the server's message and code, and where in the text the problem is. */
export class QueryError extends ApiError {
  constructor(status: number, code: string, message: string, readonly innerCode?: string, readonly line?: number, readonly column?: number) {
    super(status, code, message);
  }
}

interface LaError { code?: string; message?: string; line?: number; pos?: number; innererror?: LaError; details?: LaError[] }

/** Log Analytics' error body, down to its innermost error (the compiler's code and position). */
function queryErrorOf(status: number, body: { error?: LaError } | undefined, fallback: string): QueryError {
  const top = body?.error;
  if (top === undefined) return new QueryError(status, `HTTP${status}`, fallback);
  let inner: LaError | undefined = top.innererror;
  let deepest: LaError = top;
  let line: number | undefined;
  let column: number | undefined;
  while (inner !== undefined) {
    deepest = inner;
    if (inner.line !== undefined) line = inner.line;
    if (inner.pos !== undefined) column = inner.pos;
    inner = inner.innererror;
  }
  const innerCode = deepest === top ? undefined : deepest.code;
  return new QueryError(status, top.code ?? `HTTP${status}`, top.message ?? fallback, innerCode, line, column);
}

/** The query API's time limit asked for (Log Analytics' longest, 10 minutes): Cancel ends it sooner. */
const WAIT_SECONDS = 600;

export async function runQuery(workspaceId: string, query: string, timespan: string | undefined, signal: AbortSignal): Promise<QueryAnswer> {
  const session = activeSession();
  if (session === undefined) throw sessionExpired('Your sign-in has ended. Sign in again to continue.');
  let response: Response;
  try {
    response = await fetch(new URL(`/v1${workspaceId}/query`, location.origin), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${session.accessToken}`, accept: 'application/json', 'content-type': 'application/json',
        prefer: `wait=${WAIT_SECONDS}, include-render=true, include-statistics=true`,
      },
      body: JSON.stringify(timespan === undefined ? { query } : { query, timespan }),
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw new ApiError(0, 'Cancelled', 'The query was cancelled.');
    throw new ApiError(0, 'NetworkError', `The server could not be reached (${(error as Error).message}). Check your connection and try again.`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = queryErrorOf(response.status, body as { error?: LaError }, `The query failed with HTTP ${response.status} ${response.statusText}.`);
    if (response.status === 401) throw sessionExpired(error.message);
    throw error;
  }
  const answer = body as { tables?: QueryTable[]; render?: RenderSpec; statistics?: { query?: { executionTime?: number } }; error?: LaError };
  const details = answer.error?.details?.map((d) => d.message).filter((m) => m !== undefined) ?? [];
  return {
    tables: answer.tables ?? [],
    ...(answer.render !== undefined ? { render: answer.render } : {}),
    ...(answer.statistics?.query?.executionTime !== undefined ? { executionTime: answer.statistics.query.executionTime } : {}),
    ...(answer.error !== undefined ? { partialError: [answer.error.message, ...details].join(' ') } : {}),
  };
}

export interface WorkspaceTable { name: string; columns: QueryColumn[] }
interface ArmTable { name: string; properties?: { schema?: { columns?: { name: string; type: string }[]; standardColumns?: { name: string; type: string }[] } } }

/** The tables API spells types as Azure does (dateTime, boolean); KQL's names are lower case. */
const KQL_TYPE: Record<string, string> = { datetime: 'datetime', boolean: 'bool', bool: 'bool' };
const kqlType = (azure: string) => KQL_TYPE[azure.toLowerCase()] ?? azure.toLowerCase();

/** A workspace's tables and their columns (GET .../tables): the schema the editor offers. */
export async function listTables(workspaceId: string): Promise<WorkspaceTable[]> {
  const tables = await armList<ArmTable>(`${workspaceId}/tables?api-version=2022-10-01`);
  return tables.map((t) => ({
    name: t.name,
    columns: [...(t.properties?.schema?.standardColumns ?? []), ...(t.properties?.schema?.columns ?? [])].map((c) => ({ name: c.name, type: kqlType(c.type) })),
  }));
}

export interface SavedSearch {
  id: string;
  /** The last segment of its id. */
  name: string;
  etag?: string;
  properties: { category: string; displayName: string; query: string; functionAlias?: string; functionParameters?: string };
}

const SAVED_API = 'api-version=2020-08-01';

export function listSavedSearches(workspaceId: string): Promise<SavedSearch[]> {
  return armList<SavedSearch>(`${workspaceId}/savedSearches?${SAVED_API}`);
}

export function saveSearch(workspaceId: string, name: string, search: { category: string; displayName: string; query: string }): Promise<SavedSearch> {
  return armRequest('PUT', `${workspaceId}/savedSearches/${encodeURIComponent(name)}?${SAVED_API}`, { properties: search });
}

export function deleteSavedSearch(workspaceId: string, name: string): Promise<void> {
  return armRequest('DELETE', `${workspaceId}/savedSearches/${encodeURIComponent(name)}?${SAVED_API}`);
}
