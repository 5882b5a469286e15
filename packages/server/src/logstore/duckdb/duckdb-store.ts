// DuckDB log store: one database file per workspace (<data>/workspaces/<workspace id>.duckdb).
// Rows live in schema `data` with only the columns ever written; schema `main` has a view per
// table with the table's full schema, which is what readers query.
// Isolation holds by construction (a query opens only its workspace's file) and offboarding
// a customer deletes one file. One DuckDB instance per file for the life of the process:
// DuckDB allows a single writer per file, and a second instance on the same file in one
// process would not be guarded.
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { AppendBatch, LogStore, QueryResult } from '../log-store.ts';
import { SYSTEM_COLUMNS, type Column, type TableSchema } from '../schema.ts';
import { APPEND, DUCKDB_TYPE, quoteIdent } from './duckdb-types.ts';
import { WriteGate } from './write-gate.ts';

const WORKSPACE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Appends in flight per workspace: while one commits (its write to disk), the next appends. */
const WRITERS = 2;

interface OpenWorkspace {
  instance: DuckDBInstance;
  /** Schema changes, deletes and metadata reads (under the exclusive gate). */
  connection: DuckDBConnection;
  /** Connections for appends, one per concurrent append (shared gate). */
  writers: DuckDBConnection[];
  /** Lower-case table name -> lower-case column names present in storage. */
  tables: Map<string, Set<string>>;
  /** Lower-case table name -> the number of schema columns its view presents. */
  views: Map<string, number>;
  /** Lower-case table name -> column names in storage order (what the appender expects). */
  order: Map<string, string[]>;
  gate: WriteGate;
  lastUsed: number;
}

export interface DuckDbLogStoreOptions {
  /** Each workspace engine's buffer pool. */
  memoryLimit?: string;
  /** An engine unused this long is closed (memory back); the next use reopens it. */
  idleMs?: number;
}

export class DuckDbLogStore implements LogStore {
  private readonly open = new Map<string, Promise<OpenWorkspace>>();
  /** The engines of `open` that have finished opening. */
  private readonly ready = new Map<string, OpenWorkspace>();
  /**
   * Operations per workspace, counted from the moment they are called (before any await), so
   * that an engine with work on its way is never closed as idle.
   */
  private readonly inUse = new Map<string, number>();
  private closed = false;
  private readonly memoryLimit: string;
  private readonly idleMs: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly dataDir: string, options: DuckDbLogStoreOptions = {}) {
    mkdirSync(this.dir(), { recursive: true });
    this.memoryLimit = options.memoryLimit ?? '256MB';
    // Memory grows with every workspace written or queried (each engine has its own buffer
    // pool): engines left idle are closed so that hundreds of customers fit one process.
    this.idleMs = options.idleMs ?? 10 * 60_000;
    this.sweeper = setInterval(() => this.closeIdle(), Math.min(this.idleMs, 60_000));
    this.sweeper.unref();
  }

  /** Closes the engines unused for longer than the idle time; returns how many. */
  closeIdle(now = Date.now()): number {
    let closed = 0;
    for (const [id, ws] of this.ready) {
      if ((this.inUse.get(id) ?? 0) === 0 && now - ws.lastUsed >= this.idleMs) {
        // Synchronous from the check to the close: no operation can start on it in between.
        this.ready.delete(id);
        this.open.delete(id);
        this.closeWorkspace(ws);
        closed += 1;
      }
    }
    return closed;
  }

  /** Engines open now. */
  openWorkspaces(): number {
    return this.ready.size;
  }

  /** Runs `fn` on the workspace's engine, opening it if needed. */
  private async use<T>(workspaceId: string, fn: (ws: OpenWorkspace) => Promise<T>): Promise<T> {
    this.inUse.set(workspaceId, (this.inUse.get(workspaceId) ?? 0) + 1);
    let ws: OpenWorkspace | undefined;
    try {
      ws = await this.workspace(workspaceId);
      return await fn(ws);
    } finally {
      const left = (this.inUse.get(workspaceId) ?? 1) - 1;
      if (left === 0) this.inUse.delete(workspaceId);
      else this.inUse.set(workspaceId, left);
      if (ws !== undefined) ws.lastUsed = Date.now();
    }
  }

  private dir(): string {
    return join(this.dataDir, 'workspaces');
  }

  private file(workspaceId: string): string {
    if (!WORKSPACE_ID.test(workspaceId)) throw new Error(`not a workspace id: ${workspaceId}`);
    return join(this.dir(), `${workspaceId}.duckdb`);
  }

  private workspace(workspaceId: string): Promise<OpenWorkspace> {
    if (this.closed) throw new Error('the log store is closed');
    let ws = this.open.get(workspaceId);
    if (ws === undefined) {
      ws = (async () => {
        // Each workspace's engine gets a bounded buffer pool: many workspaces in one process must
        // not each take DuckDB's default of 80% of the machine's memory. Checkpoints (folding the
        // write-ahead log into the file) at 256 MB instead of DuckDB's 16 MB: under sustained
        // ingestion they were the largest cost and the p99 (measured: 80k -> 105-116k events/s,
        // p99 900 -> 290-355 ms); the price is a longer log replay after a crash.
        const instance = await DuckDBInstance.create(this.file(workspaceId), { memory_limit: this.memoryLimit, checkpoint_threshold: '256MB' });
        const connection = await instance.connect();
        await connection.run('CREATE SCHEMA IF NOT EXISTS data');
        const tables = new Map<string, Set<string>>();
        const reader = await connection.runAndReadAll(
          "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'data'");
        for (const [table, column] of reader.getRows() as [string, string][]) {
          const key = table.toLowerCase();
          if (!tables.has(key)) tables.set(key, new Set());
          tables.get(key)!.add(column.toLowerCase());
        }
        const writers = await Promise.all(Array.from({ length: WRITERS }, () => instance.connect()));
        const opened: OpenWorkspace = { instance, connection, writers, tables, views: new Map(), order: new Map(), gate: new WriteGate(WRITERS), lastUsed: Date.now() };
        this.ready.set(workspaceId, opened);
        return opened;
      })();
      this.open.set(workspaceId, ws);
      ws.catch(() => this.open.delete(workspaceId));
    }
    return ws;
  }

  /** Runs `fn` with no append in flight on the workspace (schema changes, deletes, metadata). */
  private async exclusive<T>(workspaceId: string, fn: (ws: OpenWorkspace) => Promise<T>): Promise<T> {
    return this.use(workspaceId, (ws) => ws.gate.run(true, () => fn(ws)));
  }

  /**
   * Makes sure the table exists in storage with at least `columns`. Storage holds only the
   * columns that were ever written: a standard table such as SecurityEvent declares 228
   * columns, a typical row fills 15, and DuckDB pays for every column on every insert (about
   * 20 times slower for the full width, measured). The logical schema stays the catalog's;
   * `tableColumns()` tells readers which columns exist physically.
   */
  private async ensureColumns(ws: OpenWorkspace, table: TableSchema, columns: readonly Column[]): Promise<void> {
    const key = table.name.toLowerCase();
    const existing = ws.tables.get(key);
    if (existing === undefined) {
      const defs = columns.map((c) => `${quoteIdent(c.name)} ${DUCKDB_TYPE[c.type]}`).join(', ');
      await ws.connection.run(`CREATE TABLE IF NOT EXISTS data.${quoteIdent(table.name)} (${defs})`);
      ws.tables.set(key, new Set(columns.map((c) => c.name.toLowerCase())));
      ws.order.delete(key);
      await this.refreshView(ws, table);
      return;
    }
    let changed = false;
    for (const c of columns) {
      if (!existing.has(c.name.toLowerCase())) {
        await ws.connection.run(`ALTER TABLE data.${quoteIdent(table.name)} ADD COLUMN ${quoteIdent(c.name)} ${DUCKDB_TYPE[c.type]}`);
        existing.add(c.name.toLowerCase());
        ws.order.delete(key);
        changed = true;
      }
    }
    const viewed = ws.views.get(key);
    if (changed || viewed === undefined || viewed !== table.columns.length) await this.refreshView(ws, table);
  }

  /**
   * The view readers query: main."<Table>" presents every column of the table's schema, in
   * schema order, with NULL typed for the columns never written.
   */
  private async refreshView(ws: OpenWorkspace, table: TableSchema): Promise<void> {
    const physical = ws.tables.get(table.name.toLowerCase()) ?? new Set<string>();
    const list = table.columns.map((c) => physical.has(c.name.toLowerCase())
      ? quoteIdent(c.name)
      : `CAST(NULL AS ${DUCKDB_TYPE[c.type]}) AS ${quoteIdent(c.name)}`).join(', ');
    await ws.connection.run(`CREATE OR REPLACE VIEW main.${quoteIdent(table.name)} AS SELECT ${list} FROM data.${quoteIdent(table.name)}`);
    ws.views.set(table.name.toLowerCase(), table.columns.length);
  }

  /** The columns of `table` present in the workspace's storage, in storage order (none when absent). */
  async tableColumns(workspaceId: string, table: string): Promise<string[]> {
    return this.exclusive(workspaceId, async (ws) => (ws.tables.has(table.toLowerCase()) ? this.storageColumns(ws, table) : []));
  }

  async append(workspaceId: string, batches: AppendBatch[]): Promise<void> {
    if (batches.every((b) => b.rows.length === 0)) return;
    await this.use(workspaceId, (ws) => this.appendTo(ws, batches));
  }

  private async appendTo(ws: OpenWorkspace, batches: AppendBatch[]): Promise<void> {
    const needed = batches.map((b) => ({ table: b.table, columns: writtenColumns(b) }));
    // Schema changes first, alone; most batches need none and go straight to appending.
    if (needed.some((n) => this.needsSchemaChange(ws, n.table, n.columns))) {
      await ws.gate.run(true, async () => {
        for (const n of needed) await this.ensureColumns(ws, n.table, n.columns);
      });
    }
    await ws.gate.run(false, async () => {
      const connection = ws.writers.pop()!;
      try {
        await connection.run('BEGIN TRANSACTION');
        try {
          for (const { table, rows, constants } of batches) {
            if (rows.length === 0) continue;
            // Appender columns follow storage order, which may differ from the schema's after ALTERs.
            const order = await this.storageColumns(ws, table.name, connection);
            const types = order.map((name) => table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase()));
            const fixed = types.map((c) => (c === undefined ? undefined : constants?.[c.name]));
            const itemId = types.findIndex((c) => c?.name === '_ItemId');
            const appender = await connection.createAppender(table.name, 'data');
            try {
              for (const row of rows) {
                for (let i = 0; i < order.length; i++) {
                  const column = types[i];
                  let value = fixed[i] ?? (column === undefined ? null : row[column.name]);
                  if ((value === null || value === undefined) && i === itemId) value = randomUUID();
                  if (value === null || value === undefined || column === undefined) appender.appendNull();
                  else APPEND[column.type](appender, value);
                }
                appender.endRow();
              }
              appender.flushSync();
            } finally {
              appender.closeSync();
            }
          }
          await connection.run('COMMIT');
        } catch (error) {
          await connection.run('ROLLBACK').catch(() => undefined);
          throw error;
        }
      } finally {
        ws.writers.push(connection);
      }
    });
  }

  private needsSchemaChange(ws: OpenWorkspace, table: TableSchema, columns: readonly Column[]): boolean {
    const key = table.name.toLowerCase();
    const existing = ws.tables.get(key);
    if (existing === undefined || ws.views.get(key) !== table.columns.length) return true;
    return columns.some((c) => !existing.has(c.name.toLowerCase()));
  }

  /** Storage order of a table's columns, cached; read through `connection`, which the caller holds. */
  private async storageColumns(ws: OpenWorkspace, table: string, connection: DuckDBConnection = ws.connection): Promise<string[]> {
    const key = table.toLowerCase();
    const cached = ws.order.get(key);
    if (cached !== undefined) return cached;
    const reader = await connection.runAndReadAll(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = 'data' AND lower(table_name) = lower($1) ORDER BY ordinal_position", [table]);
    const names = (reader.getRows() as [string][]).map((r) => r[0]);
    ws.order.set(key, names);
    return names;
  }

  /**
   * Each query runs on a connection of its own: the write connection may be inside a
   * transaction, and a query there would see uncommitted rows (or abort the write on error).
   */
  async query(workspaceId: string, sql: string, params: readonly (string | number | bigint | boolean | null)[] = []): Promise<QueryResult> {
    return this.use(workspaceId, async (ws) => {
      const connection = await ws.instance.connect();
      try {
        const reader = await connection.runAndReadAll(sql, [...params]);
        return {
          columns: reader.columnNames().map((name, i) => ({ name, type: reader.columnType(i).toString() })),
          rows: reader.getRowsJS() as unknown[][],
        };
      } finally {
        connection.closeSync();
      }
    });
  }

  async purge(workspaceId: string, table: string, beforeMicros: bigint): Promise<number> {
    return this.exclusive(workspaceId, async (ws) => {
      if (!ws.tables.has(table.toLowerCase())) return 0;
      const result = await ws.connection.run(
        `DELETE FROM data.${quoteIdent(table)} WHERE "TimeGenerated" < make_timestamp($1::BIGINT)`, [beforeMicros]);
      return Number(result.rowsChanged);
    });
  }

  async tables(workspaceId: string): Promise<{ name: string; rows: number }[]> {
    return this.exclusive(workspaceId, (ws) => this.listTables(ws));
  }

  private async listTables(ws: OpenWorkspace): Promise<{ name: string; rows: number }[]> {
    const reader = await ws.connection.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'data' ORDER BY table_name");
    const out = [];
    for (const [name] of reader.getRows() as [string][]) {
      const count = await ws.connection.runAndReadAll(`SELECT count(*) FROM data.${quoteIdent(name)}`);
      out.push({ name, rows: Number((count.getRows()[0] as [bigint])[0]) });
    }
    return out;
  }

  async dropTable(workspaceId: string, table: string): Promise<void> {
    await this.exclusive(workspaceId, async (ws) => {
      await ws.connection.run(`DROP VIEW IF EXISTS main.${quoteIdent(table)}`);
      await ws.connection.run(`DROP TABLE IF EXISTS data.${quoteIdent(table)}`);
      ws.tables.delete(table.toLowerCase());
      ws.views.delete(table.toLowerCase());
      ws.order.delete(table.toLowerCase());
    });
  }

  async dropWorkspace(workspaceId: string): Promise<void> {
    const pending = this.open.get(workspaceId);
    if (pending !== undefined) {
      const ws = await pending;
      await ws.gate.run(true, async () => this.closeWorkspace(ws));
      this.open.delete(workspaceId);
      this.ready.delete(workspaceId);
    }
    rmSync(this.file(workspaceId), { force: true });
    rmSync(`${this.file(workspaceId)}.wal`, { force: true });
  }

  private closeWorkspace(ws: OpenWorkspace): void {
    for (const w of ws.writers) w.closeSync();
    ws.connection.closeSync();
    ws.instance.closeSync();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    for (const pending of this.open.values()) {
      try {
        const ws = await pending;
        await ws.gate.run(true, async () => this.closeWorkspace(ws));
      } catch { /* a workspace that failed to open has nothing to close */ }
    }
    this.open.clear();
    this.ready.clear();
  }
}

/** The schema's columns that some row of the batch (or its constants) fills, plus the system columns. */
function writtenColumns(batch: AppendBatch): Column[] {
  // Rows of a batch mostly share their shape: look at each distinct set of keys once.
  const filled = new Set<string>(Object.keys(batch.constants ?? {}));
  let previousKeys = -1;
  for (const row of batch.rows) {
    let keys = 0;
    for (const k in row) {
      keys++;
      if (!filled.has(k) && row[k] !== null && row[k] !== undefined) filled.add(k);
    }
    if (keys === previousKeys && filled.size >= keys) continue;
    previousKeys = keys;
  }
  return batch.table.columns.filter((c) => filled.has(c.name) || SYSTEM_COLUMNS.some((s) => s.name === c.name));
}
