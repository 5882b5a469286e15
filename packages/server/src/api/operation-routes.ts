// GET /operations/{id}: the status of a long-running operation, readable by the directory
// whose principal started it.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';
import { armRoute } from './arm-route.ts';
import { ALL_API_VERSIONS } from './api-versions.ts';
import { ApiError } from '../errors.ts';

export function registerOperationRoutes(app: FastifyInstance, services: Services): void {
  armRoute(app, services, {
    method: 'GET',
    path: '/operations/:operationId',
    apiVersions: ALL_API_VERSIONS,
    access: 'per-item',
    handler: async (req) => {
      const op = await services.db.selectFrom('operations').selectAll().where('id', '=', req.params.operationId!.toLowerCase()).executeTakeFirst();
      if (op === undefined || op.directory_id !== req.caller.directoryId) {
        throw new ApiError('OperationNotFound', `The operation '${req.params.operationId}' was not found. Operation ids come from the Azure-AsyncOperation header of the request that started them.`);
      }
      const body: Record<string, unknown> = { id: `/operations/${op.id}`, name: op.id, status: op.status, startTime: op.started_at, endTime: op.started_at };
      if (op.error !== null) body.error = JSON.parse(op.error);
      return { status: 200, body };
    },
  });
}
