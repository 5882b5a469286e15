// What the query API needs from the log store: one SELECT over the storage of the workspaces it
// names, with row and byte limits, a time limit (an error named QueryTimeout) and cancellation
// by query id (QueryCancelled). It is the LogStore's own query contract; this seam exists so
// that tests can stand in for the store on the query path alone.
import type { LogStore } from '../logstore/log-store.ts';

export { workspaceCatalog } from '../logstore/log-store.ts';
export type { QueryRequest, QueryResult } from '../logstore/log-store.ts';

export type QueryStore = Pick<LogStore, 'query' | 'cancel'>;

/** The store the query API uses: `store()` read at each call (so that it may be swapped). */
export function logStoreGateway(store: () => LogStore): QueryStore {
  return {
    query: (request) => store().query(request),
    cancel: (queryId) => store().cancel(queryId),
  };
}
