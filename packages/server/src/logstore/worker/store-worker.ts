// The log store's thread: it owns the DuckDB instance of the process and runs the appends,
// so that writing rows (one native call per value) does not compete with HTTP, TLS, parsing
// and typing on the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { DuckDbLogStore } from '../duckdb/duckdb-store.ts';
import type { StoreRequest, StoreResponse, WorkerData } from './protocol.ts';

const { dataDir, options } = workerData as WorkerData;
const store = new DuckDbLogStore(dataDir, options);
const port = parentPort!;

port.on('message', (request: StoreRequest) => {
  const fn = store[request.method] as (...args: unknown[]) => Promise<unknown>;
  fn.apply(store, request.args).then(
    (result) => port.postMessage({ id: request.id, ok: true, result } satisfies StoreResponse),
    (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ id: request.id, ok: false, error: { name: e.name, message: e.message } } satisfies StoreResponse);
    },
  );
});
