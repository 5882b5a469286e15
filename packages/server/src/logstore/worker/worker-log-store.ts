// The LogStore on a worker thread: the same interface, each call a message to the thread that
// owns the DuckDB instance. Rows cross by structured clone (about 2 ms for 2,000 rows, measured),
// a tenth of what appending them costs.
import { Worker } from 'node:worker_threads';
import type { AppendBatch, LogStore, QueryRequest, QueryResult } from '../log-store.ts';
import type { DuckDbLogStoreOptions } from '../duckdb/duckdb-store.ts';
import type { StoreRequest, StoreResponse, WorkerData } from './protocol.ts';

export class WorkerLogStore implements LogStore {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failed: Error | undefined;

  constructor(dataDir: string, options: DuckDbLogStoreOptions = {}) {
    const data: WorkerData = { dataDir, options };
    this.worker = new Worker(new URL('./store-worker-entry.mjs', import.meta.url), { workerData: data });
    this.worker.on('message', (response: StoreResponse) => {
      const waiter = this.pending.get(response.id);
      if (waiter === undefined) return;
      this.pending.delete(response.id);
      if (response.ok) waiter.resolve(response.result);
      else waiter.reject(Object.assign(new Error(response.error.message), { name: response.error.name }));
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the log store thread stopped (exit code ${code})`)));
  }

  private fail(error: Error): void {
    this.failed ??= error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  private call<T>(method: StoreRequest['method'], ...args: unknown[]): Promise<T> {
    if (this.failed !== undefined) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, args } satisfies StoreRequest);
    });
  }

  append(workspaceId: string, batches: AppendBatch[]): Promise<void> {
    return this.call('append', workspaceId, batches);
  }

  query(request: QueryRequest): Promise<QueryResult> {
    return this.call('query', request);
  }

  /** Sent at once: the store's thread reads messages while queries run (DuckDB works off its event loop). */
  cancel(queryId: string): Promise<void> {
    return this.call('cancel', queryId);
  }

  purge(workspaceId: string, table: string, beforeMicros: bigint): Promise<number> {
    return this.call('purge', workspaceId, table, beforeMicros);
  }

  dropTable(workspaceId: string, table: string): Promise<void> {
    return this.call('dropTable', workspaceId, table);
  }

  tableColumns(workspaceId: string, table: string): Promise<string[]> {
    return this.call('tableColumns', workspaceId, table);
  }

  tables(workspaceId: string): Promise<{ name: string; rows: number }[]> {
    return this.call('tables', workspaceId);
  }

  dropWorkspace(workspaceId: string): Promise<void> {
    return this.call('dropWorkspace', workspaceId);
  }

  async close(): Promise<void> {
    if (this.failed === undefined) await this.call('close');
    this.failed = new Error('the log store is closed');
    await this.worker.terminate();
  }
}
