// Long-running operations, ARM style: the response carries Azure-AsyncOperation (and Location
// for deletes) pointing at /operations/{id}. Vigil finishes the work inside the request, so
// the operation is already Succeeded when the client first polls; the wire contract is the
// same as a slow one, and clients written for Azure poll it unchanged.
import { randomUUID } from 'node:crypto';
import type { Services } from '../services.ts';
import type { ArmRequest } from './arm-route.ts';

export async function completedOperation(services: Services, req: ArmRequest, resourceId: string): Promise<Record<string, string>> {
  const id = randomUUID();
  await services.db.insertInto('operations').values({
    id,
    status: 'Succeeded',
    resource_id: resourceId,
    error: null,
    started_at: services.now().toISOString(),
    directory_id: req.caller.directoryId,
  }).execute();
  const url = `${services.publicUrl}/operations/${id}?api-version=${encodeURIComponent(req.query['api-version'] ?? '')}`;
  return { 'azure-asyncoperation': url, location: url, 'retry-after': '0' };
}
