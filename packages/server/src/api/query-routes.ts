// The Log Analytics query API (data plane, api.loganalytics.io), as LogsQueryClient calls it:
//   POST|GET /v1/workspaces/{workspaceId}/query            {query, timespan?, workspaces?}
//   POST|GET /v1/subscriptions/.../workspaces/{name}/query  (resource-centric)
//   POST     /v1/$batch                                     {requests: [{id, body, workspace, ...}]}
// Each also without the /v1 prefix (what @azure/monitor-query-logs sends when its endpoint is
// the server's root). Every route goes through armRoute (authenticate; 'per-item' because which
// workspaces may be read is decided per workspace named, by authorize(), in query/).
// Errors are in Log Analytics' shape, with the request's correlationId.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest, type ArmResult } from './arm-route.ts';
import { toApiError, wwwAuthenticate } from './error-edge.ts';
import { ApiError } from '../errors.ts';
import { workspaceId } from '../control/workspaces.ts';
import { parsePrefer, type QueryPreferences } from '../query/prefer.ts';
import { runLogQuery, type LogQueryAnswer } from '../query/query-service.ts';
import { QueryError, queryErrorBody } from '../query/query-errors.ts';
import { RawJson, toJson } from '../query/value-format.ts';

/** Queries in one $batch at most. */
export const MAX_BATCH_REQUESTS = 100;

const QueryBody = z.object({
  query: z.string().min(1, 'the KQL query to run is required'),
  timespan: z.string().nullish(),
  workspaces: z.array(z.string().min(1)).max(100, 'at most 100 workspaces per query').nullish(),
}).passthrough();

const BatchBody = z.object({
  requests: z.array(z.object({
    id: z.union([z.string(), z.number()]).transform(String),
    headers: z.record(z.string(), z.string()).nullish(),
    body: z.unknown(),
    method: z.string().nullish(),
    path: z.string().nullish(),
    workspace: z.string().min(1, 'the workspace to query is required'),
  }).passthrough()).min(1, 'at least one request is required').max(MAX_BATCH_REQUESTS, `at most ${MAX_BATCH_REQUESTS} requests per batch`),
}).passthrough();

type QueryInput = z.infer<typeof QueryBody>;

export async function registerQueryRoutes(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(async (scope) => {
    scope.setErrorHandler((error, request, reply) => {
      const apiError = toApiError(error);
      for (const [k, v] of Object.entries(apiError.headers)) void reply.header(k, v);
      if (apiError.status >= 500) request.log.error({ err: error }, 'query request failed');
      if (apiError.status === 401) void reply.header('www-authenticate', wwwAuthenticate(services, apiError));
      const correlationId = String(reply.getHeader('x-ms-correlation-request-id') ?? randomUUID());
      return reply.code(apiError.status).type('application/json; charset=utf-8').send(queryErrorBody(apiError, correlationId));
    });

    for (const prefix of ['/v1', '']) {
      const byId = `${prefix}/workspaces/:workspaceId/query`;
      const byResource = `${prefix}/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.OperationalInsights/workspaces/:workspaceName/query`;
      const homeById = (req: ArmRequest) => req.params.workspaceId!;
      const homeByResource = (req: ArmRequest) => workspaceId(req.params.subscriptionId!, req.params.resourceGroupName!, req.params.workspaceName!);
      // For the API reference (GET /openapi.json, docs/api.md).
      const alias = prefix === '' ? ' Also served without /v1 (what @azure/monitor-query-logs calls when its endpoint is this server\'s root).' : '';
      for (const [path, home] of [[byId, homeById], [byResource, homeByResource]] as const) {
        const target = path === byId ? 'a workspace by its id (customerId)' : 'a workspace by its resource id';
        armRoute(scope, services, {
          method: 'POST', path, apiVersions: 'none', dataPlane: true, access: 'per-item',
          summary: 'Run a KQL query',
          description: `Runs KQL over ${target}, and the other workspaces listed in \`workspaces\` (names, ids or resource ids, across directories). Each workspace is authorized on its own: one the caller may not read answers WorkspaceNotFoundError, as if it did not exist. Header \`Prefer: wait=<seconds>\` sets the time limit.${alias}`,
          documentedBody: { description: 'The query, an ISO 8601 timespan (or start/end) and more workspaces.', schema: QueryBody },
          handler: (req) => single(services, req, home(req), readQuery(req.body, 'body')),
        });
        armRoute(scope, services, {
          method: 'GET', path, apiVersions: 'none', dataPlane: true, access: 'per-item',
          summary: 'Run a KQL query (query string)',
          description: `The same as POST, with \`query\`, \`timespan\` and \`workspaces\` (comma-separated) in the query string.${alias}`,
          handler: (req) => single(services, req, home(req), readQuery({
            query: req.query.query,
            timespan: req.query.timespan,
            workspaces: req.query.workspaces?.split(',').map((s) => s.trim()).filter((s) => s !== ''),
          }, 'query string')),
        });
      }
      armRoute(scope, services, {
        method: 'POST', path: `${prefix}/$batch`, apiVersions: 'none', dataPlane: true, access: 'per-item',
        summary: 'Run several queries in one call',
        description: `Up to ${MAX_BATCH_REQUESTS} queries, each on its own workspace, answered in the order asked; each answer has its own status (one refused query does not fail the others).${alias}`,
        documentedBody: { description: 'The queries: each with an id, the workspace and the body of a single query.', schema: BatchBody },
        handler: (req) => batch(services, req),
      });
    }
    // Anything else under /v1 is a path Log Analytics does not have.
    scope.all('/v1/*', async (request) => {
      throw new QueryError('PathNotFoundError', `The requested path does not exist: ${request.method} ${request.url.split('?')[0]}. The query API serves POST /v1/workspaces/{workspaceId}/query, the resource-centric /v1/subscriptions/.../workspaces/{name}/query and POST /v1/$batch.`);
    });
  });
}

function readQuery(input: unknown, where: string): QueryInput {
  const parsed = QueryBody.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  throw new QueryError('BadArgumentError', `The request had some invalid properties (${where}): ${problems.join('; ')}.`,
    { code: 'InvalidRequest', message: problems.join('; ') }, { target: parsed.error.issues[0]?.path.join('.') || '(body)' });
}

function preferOf(services: Services, header: string | string[] | undefined): QueryPreferences {
  return parsePrefer(header, { defaultSeconds: services.config.queryTimeoutSeconds, maxSeconds: services.config.queryMaxTimeoutSeconds });
}

async function single(services: Services, req: ArmRequest, home: string, input: QueryInput): Promise<ArmResult> {
  const answer = await whileConnected<never>(services, req, (queryId) => runLogQuery(services, {
    caller: req.caller, home, homeWhere: 'path', query: input.query, timespan: input.timespan, workspaces: input.workspaces ?? undefined,
    prefer: preferOf(services, req.headers.prefer), queryId,
  }), 1);
  return { status: 200, body: toJson(answer[0]!.body), headers: { ...answer[0]!.headers, 'content-type': 'application/json; charset=utf-8' } };
}

async function batch(services: Services, req: ArmRequest): Promise<ArmResult> {
  const parsed = BatchBody.safeParse(req.body ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    throw new QueryError('BadArgumentError', `The batch request had some invalid properties: ${problems.join('; ')}.`,
      { code: 'InvalidRequest', message: problems.join('; ') }, { target: parsed.error.issues[0]?.path.join('.') || '(body)' });
  }
  const requests = parsed.data.requests;
  const responses = await whileConnected(services, req, (queryId, i) => {
    const r = requests[i]!;
    const where = `requests[${i}]`;
    return (async () => {
      if (r.path !== undefined && r.path !== null && r.path.replace(/\/+$/, '').toLowerCase() !== '/query') {
        throw new QueryError('PathNotFoundError', `${where}.path '${r.path}' does not exist: batch requests query a workspace at path '/query'.`, undefined, { target: `${where}.path` });
      }
      if (r.method !== undefined && r.method !== null && !['POST', 'GET'].includes(r.method.toUpperCase())) {
        throw new QueryError('BadArgumentError', `${where}.method '${r.method}' is not supported: use POST.`, undefined, { target: `${where}.method` });
      }
      const input = readQuery(r.body, `${where}.body`);
      const prefer = Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === 'prefer')?.[1];
      return runLogQuery(services, {
        caller: req.caller, home: r.workspace, homeWhere: `${where}.workspace`, query: input.query, timespan: input.timespan,
        workspaces: input.workspaces ?? undefined, prefer: preferOf(services, prefer), queryId,
      });
    })();
  }, requests.length, (error) => error);
  // In the order of the requests: @azure/monitor-query-logs pairs responses with queries by position.
  const out = responses.map((r, i) => {
    const id = requests[i]!.id;
    if (!(r instanceof Error)) {
      const headers = Object.keys(r.headers).length > 0 ? { headers: r.headers } : {};
      return { id, status: 200, ...headers, body: new RawJson(toJson(r.body)) };
    }
    const apiError = toApiError(r);
    if (apiError.status >= 500) services.log.error({ err: r }, 'a batch query failed');
    return { id, status: apiError.status, body: queryErrorBody(apiError, req.correlationId) };
  });
  return { status: 200, body: toJson({ responses: out }), headers: { 'content-type': 'application/json; charset=utf-8' } };
}

/**
 * Runs `count` queries, each with a query id of its own; if the client goes away before the
 * answer, every one still running is cancelled in the store. `onError` turns a failure into a
 * value (batch answers carry each query's error); without it the first failure is thrown.
 */
async function whileConnected<T>(
  services: Services, req: ArmRequest, run: (queryId: string, index: number) => Promise<LogQueryAnswer>, count: number, onError?: (error: Error) => T,
): Promise<(LogQueryAnswer | T)[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const pending = new Set(ids);
  const socket = req.raw.raw.socket;
  const onClose = () => {
    for (const id of pending) void Promise.resolve(services.queryStore.cancel(id)).catch((error: unknown) => services.log.warn({ err: error }, 'cancelling a query failed'));
  };
  socket.once('close', onClose);
  try {
    return await Promise.all(ids.map(async (id, i) => {
      try {
        return await run(id, i);
      } catch (error) {
        if (onError === undefined) throw error;
        return onError(error instanceof Error ? error : new ApiError('InternalServerError', String(error)));
      } finally {
        pending.delete(id);
      }
    }));
  } finally {
    socket.removeListener('close', onClose);
  }
}
