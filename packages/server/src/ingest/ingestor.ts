// The write path of every ingestion route: rows for a workspace table are queued, written in
// group commits (many requests, one transaction), and each caller is answered only once its
// rows are committed. Queues are bounded: past the bound the caller gets 429 with Retry-After
// instead of the server growing without limit.
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { LogStore, TypedRow, AppendBatch } from '../logstore/log-store.ts';
import type { TableSchema } from '../logstore/schema.ts';
import { ApiError } from '../errors.ts';

export interface IngestOptions {
  /** Rows a workspace may have waiting before new writes are refused. */
  maxQueuedRows: number;
  /** Rows written in one transaction at most. */
  maxBatchRows: number;
  /** Transactions of one workspace in flight at once (the store's writer connections). */
  maxWritesInFlight: number;
}

export const DEFAULT_INGEST_OPTIONS: IngestOptions = { maxQueuedRows: 500_000, maxBatchRows: 100_000, maxWritesInFlight: 2 };

interface Pending {
  /** _TimeReceived of its rows, in ms: stamped when the rows are taken (see write()). */
  receivedMs: number;
  table: TableSchema;
  rows: TypedRow[];
  constants: TypedRow | undefined;
  source: string;
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Queue {
  /** Taken and not yet committed or failed (queued or being written). */
  open: Set<Pending>;
  pending: Pending[];
  rows: number;
  /** Groups being written now. */
  writing: number;
}

export class Ingestor {
  private readonly queues = new Map<string, Queue>();
  private closing = false;
  private readonly committed: ((workspaceId: string, tables: string[]) => void)[] = [];

  constructor(
    private readonly store: LogStore,
    private readonly db: Db,
    private readonly log: Logger,
    private readonly now: () => Date,
    private readonly options: IngestOptions = DEFAULT_INGEST_OPTIONS,
  ) {}

  /**
   * Resolves when the rows are committed; rejects with 429/503 when they cannot be taken now.
   * Their _TimeReceived is the moment they are taken here, whatever the caller stamped: taking
   * and stamping happen together, which is what makes receivedWatermark() exact.
   */
  write(workspaceId: string, table: TableSchema, typed: { rows: TypedRow[]; constants?: TypedRow }, source: string, bytes: number): Promise<void> {
    const { rows } = typed;
    const receivedMs = this.now().getTime();
    const constants = typed.constants === undefined ? undefined : { ...typed.constants, _TimeReceived: BigInt(receivedMs) * 1000n };
    if (rows.length === 0) return Promise.resolve();
    if (this.closing) {
      return Promise.reject(new ApiError('ServiceUnavailable', 'The server is shutting down and takes no more data; send it again in a moment.', { headers: { 'retry-after': '5' } }));
    }
    let queue = this.queues.get(workspaceId);
    if (queue === undefined) {
      queue = { open: new Set(), pending: [], rows: 0, writing: 0 };
      this.queues.set(workspaceId, queue);
    }
    if (queue.rows + rows.length > this.options.maxQueuedRows && queue.rows > 0) {
      return Promise.reject(new ApiError('TooManyRequests',
        `The workspace has ${queue.rows} rows waiting to be written, the most it queues; nothing of this request was taken. Retry after the interval in Retry-After.`,
        { headers: { 'retry-after': '1' } }));
    }
    return new Promise<void>((resolve, reject) => {
      const pending: Pending = {
        receivedMs, table, rows, constants, source, bytes,
        resolve: () => { queue.open.delete(pending); resolve(); },
        reject: (error: unknown) => { queue.open.delete(pending); reject(error); },
      };
      queue.open.add(pending);
      queue.pending.push(pending);
      queue.rows += rows.length;
      this.drain(workspaceId, queue);
    });
  }

  /**
   * A time such that every row of the workspace received before it is committed (queryable):
   * the _TimeReceived of the oldest rows still in flight, or now when none are. Rows taken
   * later are stamped at or after it. Near-real-time rules read up to here.
   */
  receivedWatermark(workspaceId: string): Date {
    let oldest = this.now().getTime();
    for (const p of this.queues.get(workspaceId)?.open ?? []) oldest = Math.min(oldest, p.receivedMs);
    return new Date(oldest);
  }

  /** Calls `listener` after each commit with the workspace and the tables it wrote to. */
  onCommitted(listener: (workspaceId: string, tables: string[]) => void): void {
    this.committed.push(listener);
  }

  /** Rows waiting in all queues (for status and tests). */
  queuedRows(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.rows;
    return n;
  }

  /**
   * Starts writes while the queue has rows and fewer than `maxWritesInFlight` groups are being
   * written: the store appends the next group while the previous one commits.
   */
  private drain(workspaceId: string, queue: Queue): void {
    while (queue.pending.length > 0 && queue.writing < this.options.maxWritesInFlight) {
      const group: Pending[] = [];
      let rows = 0;
      while (queue.pending.length > 0 && (group.length === 0 || rows + queue.pending[0]!.rows.length <= this.options.maxBatchRows)) {
        const next = queue.pending.shift()!;
        group.push(next);
        rows += next.rows.length;
      }
      queue.writing += 1;
      void this.writeGroup(workspaceId, queue, group, rows);
    }
  }

  private async writeGroup(workspaceId: string, queue: Queue, group: Pending[], rows: number): Promise<void> {
    try {
      await this.store.append(workspaceId, mergeByTable(group));
      if (this.committed.length > 0) {
        const tables = [...new Set(group.map((p) => p.table.name))];
        for (const listener of this.committed) listener(workspaceId, tables);
      }
      for (const p of group) p.resolve();
      await this.account(workspaceId, group).catch((error: unknown) => this.log.error({ err: error }, 'usage accounting failed'));
    } catch (error) {
      this.log.error({ err: error, workspaceId, rows }, 'log store write failed');
      const failure = new ApiError('ServiceUnavailable', 'The log store could not commit the rows; nothing of this request was stored. Send it again.', { headers: { 'retry-after': '1' }, cause: error });
      for (const p of group) p.reject(failure);
    } finally {
      queue.rows -= rows;
      queue.writing -= 1;
      this.drain(workspaceId, queue);
    }
  }

  /** Usage per table and hour, and per-source statistics for connector status. */
  private async account(workspaceId: string, group: Pending[]): Promise<void> {
    const now = this.now();
    const hour = now.toISOString().slice(0, 13) + ':00:00Z';
    const day = now.toISOString().slice(0, 10);
    const usage = new Map<string, { rows: number; bytes: number }>();
    const sources = new Map<string, { events: number; bytes: number }>();
    for (const p of group) {
      const u = usage.get(p.table.name) ?? { rows: 0, bytes: 0 };
      u.rows += p.rows.length;
      u.bytes += p.bytes;
      usage.set(p.table.name, u);
      const s = sources.get(p.source) ?? { events: 0, bytes: 0 };
      s.events += p.rows.length;
      s.bytes += p.bytes;
      sources.set(p.source, s);
    }
    for (const [table, u] of usage) {
      await this.db.insertInto('usage_hourly').values({ workspace_id: workspaceId, table_name: table, hour, rows: u.rows, bytes: Math.round(u.bytes), materialized_at: null })
        .onConflict((oc) => oc.columns(['workspace_id', 'table_name', 'hour']).doUpdateSet((eb) => ({
          rows: eb('usage_hourly.rows', '+', u.rows),
          bytes: eb('usage_hourly.bytes', '+', Math.round(u.bytes)),
        }))).execute();
    }
    for (const [source, s] of sources) {
      await recordSourceStats(this.db, workspaceId, source, day, { events: s.events, bytes: Math.round(s.bytes), dropped: 0, lastEventAt: now.toISOString() });
    }
  }

  /** Stops taking writes and waits for what is queued to be committed. */
  async close(): Promise<void> {
    this.closing = true;
    while ([...this.queues.values()].some((q) => q.writing > 0 || q.pending.length > 0)) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

export async function recordSourceStats(db: Db, workspaceId: string, source: string, day: string, s: { events: number; bytes: number; dropped: number; lastEventAt: string | null }): Promise<void> {
  await db.insertInto('ingestion_stats')
    .values({ workspace_id: workspaceId, source, day, events: s.events, bytes: s.bytes, dropped: s.dropped, last_event_at: s.lastEventAt })
    .onConflict((oc) => oc.columns(['workspace_id', 'source', 'day']).doUpdateSet((eb) => ({
      events: eb('ingestion_stats.events', '+', s.events),
      bytes: eb('ingestion_stats.bytes', '+', s.bytes),
      dropped: eb('ingestion_stats.dropped', '+', s.dropped),
      last_event_at: s.lastEventAt ?? eb.ref('ingestion_stats.last_event_at'),
    }))).execute();
}

/** One batch per table and set of constants: calls of one table from one source merge. */
function mergeByTable(group: Pending[]): AppendBatch[] {
  const merged = new Map<string, AppendBatch>();
  for (const p of group) {
    const key = `${p.table.name.toLowerCase()}\u0000${constantsKey(p.constants)}`;
    const batch = merged.get(key);
    if (batch === undefined) {
      const fresh: AppendBatch = { table: p.table, rows: [...p.rows] };
      if (p.constants !== undefined) fresh.constants = p.constants;
      merged.set(key, fresh);
    } else {
      // The newest schema of a table wins (a custom table may have gained columns meanwhile).
      if (p.table.columns.length > batch.table.columns.length) batch.table = p.table;
      for (const r of p.rows) batch.rows.push(r);
    }
  }
  return [...merged.values()];
}

function constantsKey(constants: TypedRow | undefined): string {
  if (constants === undefined) return '';
  return Object.entries(constants).map(([k, v]) => `${k}=${String(v)}`).join('\u0000');
}
