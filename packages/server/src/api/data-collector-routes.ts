// The HTTP Data Collector API (POST /api/logs), which many integrations still use. Its
// credential is the workspace's shared key: a signed request can write only into the workspace
// the key belongs to, into the custom table <Log-Type>_CL, which it creates and extends.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../services.ts';
import { ApiError } from '../errors.ts';
import { getWorkspaceByCustomerId, type Workspace } from '../control/workspaces.ts';
import { decodeBody } from '../ingest/read-body.ts';
import { LOG_TYPE, signatureMatches, toSuffixedRows } from '../ingest/data-collector.ts';
import { typeRows } from '../ingest/type-rows.ts';
import type { Column, ColumnType } from '../logstore/schema.ts';
import { API_VERSIONS } from './api-versions.ts';

/** Azure's limit for one post. */
export const MAX_COLLECTOR_BYTES = 30 * 1024 * 1024;
/** How far x-ms-date may be from the server's clock: an old signed request cannot be replayed later. */
const CLOCK_SKEW_MS = 15 * 60_000;

/** Azure answers this API with {Error, Message}. */
function fail(reply: FastifyReply, status: number, error: string, message: string) {
  return reply.code(status).send({ Error: error, Message: message });
}

export async function registerDataCollectorRoutes(app: FastifyInstance, services: Services): Promise<void> {
  // Schema changes of a workspace's tables happen one at a time.
  const schemaLocks = new Map<string, Promise<unknown>>();
  const withLock = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const run = (schemaLocks.get(key) ?? Promise.resolve()).then(fn);
    schemaLocks.set(key, run.catch(() => undefined));
    return run;
  };

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_COLLECTOR_BYTES }, (_req, body, done) => done(null, body));
    scope.post('/api/logs', async (request: FastifyRequest, reply: FastifyReply) => {
      const query = request.query as Record<string, string | undefined>;
      if (query['api-version'] === undefined || !(API_VERSIONS.dataCollector as readonly string[]).includes(query['api-version'])) {
        return fail(reply, 400, 'InvalidApiVersion', `api-version must be one of ${API_VERSIONS.dataCollector.join(', ')}.`);
      }
      const header = (name: string) => { const v = request.headers[name]; return Array.isArray(v) ? v[0] : v; };
      const auth = /^SharedKey ([0-9a-fA-F-]{36}):(\S+)$/.exec(header('authorization') ?? '');
      if (auth === null) return fail(reply, 403, 'MissingApiKey', "The Authorization header must be 'SharedKey <workspace id>:<signature>'.");
      const workspace = await getWorkspaceByCustomerId(services.db, auth[1]!);
      const date = header('x-ms-date');
      const contentType = (header('content-type') ?? '').split(';')[0]!.trim();
      const body = request.body as Buffer | undefined ?? Buffer.alloc(0);
      const keys = workspace === undefined ? [] : [workspace.primary_shared_key, workspace.secondary_shared_key].filter((k): k is string => k !== null);
      if (date === undefined || !signatureMatches(keys, auth[2]!, body.length, contentType, date)) {
        return fail(reply, 403, 'InvalidAuthorization', 'An invalid scheme was specified, or the signature does not match: sign POST, the content length, the content type, x-ms-date and /api/logs with the workspace key (see the HTTP Data Collector API reference).');
      }
      const sent = Date.parse(date);
      if (Number.isNaN(sent) || Math.abs(services.now().getTime() - sent) > CLOCK_SKEW_MS) {
        return fail(reply, 403, 'InvalidAuthorization', `x-ms-date '${date}' is not within 15 minutes of the server's time (${services.now().toUTCString()}); sign requests with the current time.`);
      }
      const logType = header('log-type');
      if (logType === undefined || !LOG_TYPE.test(logType)) {
        return fail(reply, 400, 'InvalidLogType', 'The Log-Type header must be 1-100 letters, digits or underscores; records go to the table <Log-Type>_CL.');
      }
      let records: unknown;
      try {
        records = JSON.parse(decodeBody(body, header('content-encoding'), MAX_COLLECTOR_BYTES).toString('utf8'));
      } catch (error) {
        return fail(reply, 400, 'InvalidJson', error instanceof ApiError ? error.message : `The body is not valid JSON: ${(error as Error).message}. Nothing was stored.`);
      }
      const list = Array.isArray(records) ? records : [records];
      if (!list.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r))) {
        return fail(reply, 400, 'InvalidDataFormat', 'The body must be a JSON object or an array of JSON objects. Nothing was stored.');
      }
      const tableName = `${logType}_CL`;
      const { rows, columns } = toSuffixedRows(list as Record<string, unknown>[], header('time-generated-field'));
      try {
        const schema = await withLock(workspace!.customer_id, () => extendTable(services, workspace!, tableName, columns));
        const typed = typeRows(schema, rows, { workspaceId: workspace!.customer_id, receivedAt: services.now(), bytes: body.length, resourceId: header('x-ms-azureresourceid') });
        if (typed.rejected.length > 0) return fail(reply, 400, 'InvalidDataFormat', `${typed.rejected[0]!.problem}. Nothing was stored.`);
        await services.ingestor.write(workspace!.customer_id, schema, typed, 'HttpDataCollector', body.length);
      } catch (error) {
        if (error instanceof ApiError) {
          for (const [k, v] of Object.entries(error.headers)) void reply.header(k, v);
          return fail(reply, error.status, error.code, error.message);
        }
        throw error;
      }
      return reply.code(200).send();
    });
  });
}

/** Creates <Log-Type>_CL or adds the columns it lacks, as the Data Collector API does. */
async function extendTable(services: Services, w: Workspace, table: string, needed: Map<string, ColumnType>) {
  const id = `${w.customer_id}/${table.toLowerCase()}`;
  const existing = await services.db.selectFrom('log_tables').selectAll().where('id', '=', id).executeTakeFirst();
  const columns: Column[] = existing === undefined ? [] : (JSON.parse(existing.columns) as Column[]);
  let changed = existing === undefined;
  for (const [name, type] of needed) {
    if (name === 'TimeGenerated' || columns.some((c) => c.name.toLowerCase() === name.toLowerCase())) continue;
    columns.push({ name, type });
    changed = true;
  }
  if (changed) {
    const stamp = services.now().toISOString();
    await services.db.insertInto('log_tables')
      .values({ id, workspace_id: w.customer_id, name: existing?.name ?? table, kind: 'custom', columns: JSON.stringify(columns), retention_days: null, total_retention_days: null, plan: 'Analytics', etag: randomUUID(), created_at: stamp, updated_at: stamp })
      .onConflict((oc) => oc.column('id').doUpdateSet({ columns: JSON.stringify(columns), etag: randomUUID(), updated_at: stamp }))
      .execute();
    services.catalog.invalidate(w.customer_id);
    services.schemas.invalidate(w.customer_id);
  }
  return (await services.catalog.find(w.customer_id, table))!;
}
