// Messages between the server's main thread and the log store's worker thread.
import type { LogStore } from '../log-store.ts';
import type { DuckDbLogStoreOptions } from '../duckdb/duckdb-store.ts';

export interface StoreRequest {
  id: number;
  method: keyof LogStore;
  args: unknown[];
}

export type StoreResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { name: string; message: string } };

export interface WorkerData {
  dataDir: string;
  options: DuckDbLogStoreOptions;
}
