// The Logs Ingestion API, as @azure/monitor-ingestion calls it:
// POST /dataCollectionRules/{immutableId}/streams/{stream}?api-version=2023-01-01, a JSON array
// (gzip allowed) of at most 1 MB, answered 204 once every row is committed. The caller needs
// the data action Microsoft.Insights/Telemetry/Write on the rule (Monitoring Metrics Publisher).
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';
import { armRoute } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { ApiError } from '../errors.ts';
import { flowsOf, type DataCollectionResource } from '../control/data-collection.ts';
import { decodeBody, parseJsonArray } from '../ingest/read-body.ts';
import { typeRows } from '../ingest/type-rows.ts';
import { withSystemColumns } from '../logstore/schema.ts';

/** Azure's limit for one call, compressed or not. */
export const MAX_INGESTION_BYTES = 1024 * 1024;

export async function registerLogsIngestionRoutes(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(async (scope) => {
    // Bytes in, decoded by the route: the body may be gzip and must be capped after decoding.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_INGESTION_BYTES }, (_req, body, done) => done(null, body));

    const findRule = async (immutableId: string): Promise<DataCollectionResource> => {
      const row = await services.db.selectFrom('data_collection_rules').selectAll().where('immutable_id', '=', immutableId.toLowerCase()).executeTakeFirst();
      if (row === undefined) {
        throw new ApiError('NotFound', `No data collection rule has the immutable id '${immutableId}'. Use the immutableId shown in the rule's properties.`);
      }
      return row;
    };

    armRoute(scope, services, {
      method: 'POST',
      path: '/dataCollectionRules/:immutableId/streams/:stream',
      apiVersions: API_VERSIONS.logsIngestion,
      dataPlane: true,
      summary: 'Send logs through a data collection rule',
      description: 'The Logs Ingestion API: a JSON array of records (gzip allowed, at most 1 MB) for the stream, written to every table the rule sends the stream to. All or nothing: a record that does not fit refuses the call, naming it. The caller needs the data action Microsoft.Insights/Telemetry/Write on the rule (Monitoring Metrics Publisher).',
      documentedBody: { description: "A JSON array of records with the stream's columns (others are dropped). Content-Encoding: gzip is accepted.", jsonSchema: { type: 'array', items: { type: 'object' } } },
      access: async (req) => ({ action: 'Microsoft.Insights/Telemetry/Write', scope: (await findRule(req.params.immutableId!)).id, conditions: { dataAction: true } }),
      handler: async (req) => {
        const rule = await findRule(req.params.immutableId!);
        const stream = req.params.stream!;
        const flows = await flowsOf(services.db, rule, stream);
        if (flows.length === 0) {
          throw new ApiError('InvalidParameter', `The stream '${stream}' is not sent anywhere by data collection rule '${rule.name}'. Check the stream name (case matters) against the rule's dataFlows.`, { target: 'stream' });
        }
        const encoding = req.headers['content-encoding'];
        const body = decodeBody(req.body, Array.isArray(encoding) ? encoding[0] : encoding, MAX_INGESTION_BYTES);
        const input = parseJsonArray(body, 'records');
        const receivedAt = services.now();
        // Type every flow's rows before writing any: a bad row refuses the whole call.
        const writes = [];
        for (const flow of flows) {
          const table = await services.catalog.require(flow.workspace.customer_id, flow.table);
          // Only the stream's declared columns travel; others in the payload are dropped.
          const streamSchema = withSystemColumns(table.name, table.columns.filter((c) => flow.columns.some((s) => s.name.toLowerCase() === c.name.toLowerCase())), table.kind);
          const typed = typeRows(streamSchema, input, { workspaceId: flow.workspace.customer_id, receivedAt, bytes: body.length });
          if (typed.rejected.length > 0) {
            const first = typed.rejected[0]!;
            throw new ApiError('InvalidRequestContent', `${typed.rejected.length} of ${input.length} records do not fit stream '${stream}' -> ${table.name}; the first: ${first.problem}. Nothing of this call was stored.`, { target: first.column ?? `[${first.index}]` });
          }
          writes.push({ workspaceId: flow.workspace.customer_id, table, typed });
        }
        await Promise.all(writes.map((w) => services.ingestor.write(w.workspaceId, w.table, w.typed, `LogsIngestion:${rule.immutable_id}`, body.length / writes.length)));
        return { status: 204 };
      },
    });
  });
}
