// Vigil's own file import endpoint, used by `vigil import`: rows a user has already read from a
// Log Analytics export (or raw syslog/CEF lines) are written into one table of a workspace.
// POST .../workspaces/{ws}/tables/{table}/import?api-version=2025-01-01 with a JSON array of row
// objects (gzip allowed), at most 32 MB per call. Whoever may write the table (Owner,
// Contributor, Log Analytics Contributor) may import into it. All or nothing per call: a row
// that does not fit the table refuses the call, naming the row and the column.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { requireWorkspace } from './workspace-routes.ts';
import { workspaceId } from '../control/workspaces.ts';
import { ApiError } from '../errors.ts';
import { decodeBody, parseJsonArray } from '../ingest/read-body.ts';
import { typeRows } from '../ingest/type-rows.ts';

/** The most one import call may carry (after decompression). */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

export async function registerImportRoutes(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(async (scope) => {
    // Bytes in, decoded by the route: the body may be gzip and is capped after decoding.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES }, (_req, body, done) => done(null, body));

    const WS = '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.OperationalInsights/workspaces/:workspaceName';
    const wsIdOf = (req: ArmRequest) => workspaceId(req.params.subscriptionId!, req.params.resourceGroupName!, req.params.workspaceName!);

    armRoute(scope, services, {
      method: 'POST',
      path: `${WS}/tables/:tableName/import`,
      apiVersions: API_VERSIONS.vigilImport,
      summary: 'Import rows into a table',
      description: 'Vigil\'s file import (used by `vigil import`): rows already read from a Log Analytics export, or raw syslog/CEF lines, written into one table. At most 32 MB per call, all or nothing: a row that does not fit refuses the call, naming the row and the column.',
      documentedBody: { description: 'A JSON array of row objects (gzip allowed).', jsonSchema: { type: 'array', items: { type: 'object' } } },
      access: (req) => ({ action: 'Microsoft.OperationalInsights/workspaces/tables/write', scope: `${wsIdOf(req)}/tables/${req.params.tableName!.toLowerCase()}` }),
      handler: async (req) => {
        const w = await requireWorkspace(services, req, wsIdOf(req));
        const table = await services.catalog.require(w.customer_id, req.params.tableName!, 'tableName');
        const encoding = req.headers['content-encoding'];
        const body = decodeBody(req.body, Array.isArray(encoding) ? encoding[0] : encoding, MAX_IMPORT_BYTES);
        const input = parseJsonArray(body, 'row objects');
        const typed = typeRows(table, input, { workspaceId: w.customer_id, receivedAt: services.now(), bytes: body.length });
        if (typed.rejected.length > 0) {
          const first = typed.rejected[0]!;
          throw new ApiError('InvalidRequestContent',
            `${typed.rejected.length} of ${input.length} rows do not fit table '${table.name}'; the first: ${first.problem}. Nothing of this call was stored.`,
            { target: first.column === undefined ? `[${first.index}]` : `[${first.index}].${first.column}` });
        }
        await services.ingestor.write(w.customer_id, table, typed, 'FileImport', body.length);
        return { status: 200, body: typed.unknownColumns.length === 0 ? { rows: typed.rows.length } : { rows: typed.rows.length, ignoredColumns: typed.unknownColumns } };
      },
    });
  });
}
