// DuckDB log store: one database file per workspace (<data>/workspaces/<workspace id>.duckdb),
// all of them ATTACHed to one DuckDB instance of the process, each as catalog
// workspaceCatalog(id) (`ws_<id without dashes>`), so that one SQL statement can read several
// workspaces (KQL's workspace(), cross-customer hunting). Inside each file, rows live in schema
// `data` with only the columns ever written, and schema `main` has a view per table with the
// table's full schema, which is what readers query: "ws_<id>".main."<Table>".
// DuckDB folds the case of identifiers and Log Analytics does not: columns whose names differ only
// in case are stored, and presented by the view, under the names of ../column-names.ts
// (clientIP_s~c0, clientIp_s~40); readers learn them from storageNames() of the table's schema.
// Offboarding a customer still deletes one file. One instance for the life of the store: DuckDB
// allows a single writer per file, and a second instance on the same file in one process would
// not be guarded.
//
// SQL runs locked down: no file or network access except the workspaces directory (and the
// directories given as `allowedDirectories`), no extension install or load, and the
// configuration locked so that no statement can undo it. Queries must be one SELECT.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance, JSDuckDBValueConverter, StatementType, type DuckDBConnection, type DuckDBResult } from '@duckdb/node-api';
import { workspaceCatalog, type AppendBatch, type LogStore, type QueryRequest, type QueryResult } from '../log-store.ts';
import { SYSTEM_COLUMNS, type Column, type TableSchema } from '../schema.ts';
import { exactColumnName, storageNames } from '../column-names.ts';
import { APPEND, DUCKDB_TYPE, quoteIdent } from './duckdb-types.ts';
import { WriteGate } from './write-gate.ts';

const WORKSPACE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Appends in flight per workspace: while one commits (its write to disk), the next appends. */
const WRITERS = 2;

interface OpenWorkspace {
  /** The catalog the file is attached as, quoted for SQL: "ws_<id>". */
  catalog: string;
  /** Schema changes, deletes and metadata reads (under the exclusive gate). */
  connection: DuckDBConnection;
  /** Connections for appends, one per concurrent append (shared gate). */
  writers: DuckDBConnection[];
  /** Lower-case table name -> its columns present in storage: exact name -> stored name. */
  tables: Map<string, Map<string, string>>;
  /** Lower-case table name -> the schema its view presents (viewSignature()). */
  views: Map<string, string>;
  /** Lower-case table name -> stored column names in storage order (what the appender expects). */
  order: Map<string, string[]>;
  gate: WriteGate;
  lastUsed: number;
}

/** A query on its way: what can stop it (timeout, cancel, the workspace dropped, the store closed). */
interface RunningQuery {
  workspaces: string[];
  connection: DuckDBConnection | undefined;
  /** Why it was stopped; it rejects with this error. */
  stopped: Error | undefined;
  /** Interrupts again until the query has ended (an interrupt before DuckDB starts executing is lost). */
  repeat: NodeJS.Timeout | undefined;
  /** Settles when the query has ended and its connection is closed. */
  done: Promise<void>;
}

export interface DuckDbLogStoreOptions {
  /** The buffer pool of the store's DuckDB instance, shared by every workspace. */
  memoryLimit?: string;
  /** A workspace unused this long is detached (its connections closed); the next use attaches it again. */
  idleMs?: number;
  /** Directories SQL may read besides the workspaces directory (absolute paths). */
  allowedDirectories?: string[];
}

export class DuckDbLogStore implements LogStore {
  private readonly engine: Promise<DuckDBInstance>;
  private readonly open = new Map<string, Promise<OpenWorkspace>>();
  /** The workspaces of `open` that have finished attaching. */
  private readonly ready = new Map<string, OpenWorkspace>();
  /** Detaches on their way (idle close): attaching the workspace again waits for them. */
  private readonly detaching = new Map<string, Promise<void>>();
  /**
   * Operations per workspace, counted from the moment they are called (before any await), so
   * that a workspace with work on its way is never detached as idle.
   */
  private readonly inUse = new Map<string, number>();
  /** Queries running now (each on a connection of its own). */
  private readonly running = new Set<RunningQuery>();
  private readonly byQueryId = new Map<string, RunningQuery>();
  private closed = false;
  private readonly idleMs: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly dataDir: string, options: DuckDbLogStoreOptions = {}) {
    mkdirSync(this.dir(), { recursive: true });
    // Memory grows with every workspace in use (its connections, its catalog): workspaces left
    // idle are detached so that hundreds of customers fit one process.
    this.idleMs = options.idleMs ?? 10 * 60_000;
    this.engine = this.createEngine(options.memoryLimit ?? '1GB', options.allowedDirectories ?? []);
    this.engine.catch(() => undefined); // reported by every operation that awaits it
    this.sweeper = setInterval(() => this.closeIdle(), Math.min(this.idleMs, 60_000));
    this.sweeper.unref();
  }

  private async createEngine(memoryLimit: string, extraDirectories: string[]): Promise<DuckDBInstance> {
    const temp = join(resolve(this.dataDir), 'duckdb-temp');
    // One buffer pool for all workspaces: many workspaces in one process must not each take
    // DuckDB's default of 80% of the machine's memory. Checkpoints (folding a file's write-ahead
    // log into it) at 256 MB instead of DuckDB's 16 MB: under sustained ingestion they were the
    // largest cost and the p99 (measured: 80k -> 105-116k events/s, p99 900 -> 290-355 ms); the
    // price is a longer log replay after a crash. Spills go under the data directory (an
    // in-memory main database would otherwise spill to `.tmp` in the working directory).
    const instance = await DuckDBInstance.create(':memory:', { memory_limit: memoryLimit, checkpoint_threshold: '256MB', temp_directory: temp });
    const connection = await instance.connect();
    try {
      // Locked down before any workspace is attached: SQL reaches no file outside these
      // directories (DuckDB adds its temp directory) and no network, installs and loads no
      // extension (json, icu and parquet are built in), and cannot change any of it back.
      const directories = [this.dir(), ...extraDirectories].map((d) => `${resolve(d).replace(/\/+$/, '')}/`);
      await connection.run(`SET allowed_directories = [${directories.map(sqlString).join(', ')}]`);
      await connection.run('SET enable_external_access = false');
      await connection.run('SET autoinstall_known_extensions = false');
      await connection.run('SET autoload_known_extensions = false');
      await connection.run('SET lock_configuration = true');
    } catch (error) {
      instance.closeSync();
      throw error;
    } finally {
      connection.closeSync();
    }
    return instance;
  }

  /** Detaches the workspaces unused for longer than the idle time; returns how many. */
  closeIdle(now = Date.now()): number {
    let closed = 0;
    for (const [id, ws] of this.ready) {
      if ((this.inUse.get(id) ?? 0) === 0 && now - ws.lastUsed >= this.idleMs) {
        // Synchronous from the check to taking it out of the maps: no operation can start on it
        // in between, and the next one attaches it again once this detach has finished.
        this.ready.delete(id);
        this.open.delete(id);
        const detached: Promise<void> = this.detach(ws)
          .catch(() => undefined) // still attached: the next ATTACH IF NOT EXISTS takes it as it is
          .finally(() => { if (this.detaching.get(id) === detached) this.detaching.delete(id); });
        this.detaching.set(id, detached);
        closed += 1;
      }
    }
    return closed;
  }

  /** Workspaces attached now. */
  openWorkspaces(): number {
    return this.ready.size;
  }

  private acquire(workspaceId: string): void {
    this.inUse.set(workspaceId, (this.inUse.get(workspaceId) ?? 0) + 1);
  }

  private release(workspaceId: string): void {
    const left = (this.inUse.get(workspaceId) ?? 1) - 1;
    if (left === 0) this.inUse.delete(workspaceId);
    else this.inUse.set(workspaceId, left);
    const ws = this.ready.get(workspaceId);
    if (ws !== undefined) ws.lastUsed = Date.now();
  }

  /** Runs `fn` on the workspace, attaching it if needed. */
  private async use<T>(workspaceId: string, fn: (ws: OpenWorkspace) => Promise<T>): Promise<T> {
    this.acquire(workspaceId);
    try {
      return await fn(await this.workspace(workspaceId));
    } finally {
      this.release(workspaceId);
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
    if (this.closed) return Promise.reject(new Error('the log store is closed'));
    let ws = this.open.get(workspaceId);
    if (ws === undefined) {
      const file = this.file(workspaceId);
      const catalog = quoteIdent(workspaceCatalog(workspaceId));
      const detaching = this.detaching.get(workspaceId);
      ws = (async () => {
        const instance = await this.engine;
        if (detaching !== undefined) await detaching;
        const connection = await instance.connect();
        try {
          await connection.run(`ATTACH IF NOT EXISTS ${sqlString(resolve(file))} AS ${catalog}`);
          await connection.run(`CREATE SCHEMA IF NOT EXISTS ${catalog}.data`);
          const tables = new Map<string, Map<string, string>>();
          const reader = await connection.runAndReadAll(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = $1 AND schema_name = 'data'", [workspaceCatalog(workspaceId)]);
          for (const [table, column] of reader.getRows() as [string, string][]) {
            const key = table.toLowerCase();
            if (!tables.has(key)) tables.set(key, new Map());
            tables.get(key)!.set(exactColumnName(column), column);
          }
          const writers = await Promise.all(Array.from({ length: WRITERS }, () => instance.connect()));
          const opened: OpenWorkspace = { catalog, connection, writers, tables, views: new Map(), order: new Map(), gate: new WriteGate(WRITERS), lastUsed: Date.now() };
          this.ready.set(workspaceId, opened);
          return opened;
        } catch (error) {
          connection.closeSync();
          throw error;
        }
      })();
      this.open.set(workspaceId, ws);
      ws.catch(() => { if (this.open.get(workspaceId) === ws) this.open.delete(workspaceId); });
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
    const data = `${ws.catalog}.data.${quoteIdent(table.name)}`;
    const existing = ws.tables.get(key);
    // Stored names follow clashes among the schema's columns and those storage holds already
    // (a column a custom table's schema no longer names keeps its data, and its name).
    const renamed = storageNames([...table.columns.map((c) => c.name), ...(existing?.keys() ?? [])]);
    const storedName = (name: string) => renamed.get(name) ?? name;
    if (existing === undefined) {
      const defs = columns.map((c) => `${quoteIdent(storedName(c.name))} ${DUCKDB_TYPE[c.type]}`).join(', ');
      await ws.connection.run(`CREATE TABLE IF NOT EXISTS ${data} (${defs})`);
      ws.tables.set(key, new Map(columns.map((c) => [c.name, storedName(c.name)])));
      ws.order.delete(key);
      await this.refreshView(ws, table);
      return;
    }
    let changed = false;
    // A column stored as itself that now clashes (a custom table gained a column differing only
    // in case) takes its clash name first: the new column could not be added beside it.
    for (const [name, stored] of existing) {
      const wanted = storedName(name);
      if (wanted === stored) continue;
      await ws.connection.run(`ALTER TABLE ${data} RENAME COLUMN ${quoteIdent(stored)} TO ${quoteIdent(wanted)}`);
      existing.set(name, wanted);
      changed = true;
    }
    for (const c of columns) {
      if (!existing.has(c.name)) {
        await ws.connection.run(`ALTER TABLE ${data} ADD COLUMN ${quoteIdent(storedName(c.name))} ${DUCKDB_TYPE[c.type]}`);
        existing.set(c.name, storedName(c.name));
        changed = true;
      }
    }
    if (changed) ws.order.delete(key);
    if (changed || ws.views.get(key) !== viewSignature(table)) await this.refreshView(ws, table);
  }

  /**
   * The view readers query: "ws_<id>".main."<Table>" presents every column of the table's
   * schema, in schema order, with NULL typed for the columns never written, each under the name
   * storageNames() of the schema gives it (what readers are told). Its body names
   * `data."<Table>"` without a catalog, which DuckDB resolves in the view's own catalog: the file
   * does not depend on the name it is attached as.
   */
  private async refreshView(ws: OpenWorkspace, table: TableSchema): Promise<void> {
    const stored = ws.tables.get(table.name.toLowerCase()) ?? new Map<string, string>();
    const presented = storageNames(table.columns.map((c) => c.name));
    const list = table.columns.map((c) => {
      const as = quoteIdent(presented.get(c.name) ?? c.name);
      const from = stored.get(c.name);
      if (from === undefined) return `CAST(NULL AS ${DUCKDB_TYPE[c.type]}) AS ${as}`;
      return quoteIdent(from) === as ? as : `${quoteIdent(from)} AS ${as}`;
    }).join(', ');
    await ws.connection.run(`CREATE OR REPLACE VIEW ${ws.catalog}.main.${quoteIdent(table.name)} AS SELECT ${list} FROM data.${quoteIdent(table.name)}`);
    ws.views.set(table.name.toLowerCase(), viewSignature(table));
  }

  /** The columns of `table` present in the workspace's storage (exact names), in storage order (none when absent). */
  async tableColumns(workspaceId: string, table: string): Promise<string[]> {
    return this.exclusive(workspaceId, async (ws) => (ws.tables.has(table.toLowerCase()) ? (await this.storageColumns(ws, table)).map(exactColumnName) : []));
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
    const catalog = unquoted(ws.catalog);
    await ws.gate.run(false, async () => {
      const connection = ws.writers.pop()!;
      try {
        await connection.run('BEGIN TRANSACTION');
        try {
          for (const { table, rows, constants } of batches) {
            if (rows.length === 0) continue;
            // Appender columns follow storage order, which may differ from the schema's after ALTERs.
            const order = await this.storageColumns(ws, table.name, connection);
            // Matched by exact name: a column differing only in case is another column.
            const byName = new Map(table.columns.map((c) => [c.name, c]));
            const types = order.map((stored) => byName.get(exactColumnName(stored)));
            const fixed = types.map((c) => (c === undefined ? undefined : constants?.[c.name]));
            const itemId = types.findIndex((c) => c?.name === '_ItemId');
            const appender = await connection.createAppender(table.name, 'data', catalog);
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
    if (existing === undefined || ws.views.get(key) !== viewSignature(table)) return true;
    return columns.some((c) => !existing.has(c.name));
  }

  /** Storage order of a table's columns (stored names), cached; read through `connection`, which the caller holds. */
  private async storageColumns(ws: OpenWorkspace, table: string, connection: DuckDBConnection = ws.connection): Promise<string[]> {
    const key = table.toLowerCase();
    const cached = ws.order.get(key);
    if (cached !== undefined) return cached;
    // pragma_table_info reads this one table's catalog entry; duckdb_columns() would open a
    // transaction on every attached workspace, inside the caller's append transaction.
    const reader = await connection.runAndReadAll(
      `SELECT name FROM pragma_table_info(${sqlString(`${ws.catalog}.data.${quoteIdent(table)}`)}) ORDER BY cid`);
    const names = (reader.getRows() as [string][]).map((r) => r[0]);
    ws.order.set(key, names);
    return names;
  }

  /**
   * Runs one SELECT on a connection of its own (a writer's may be inside a transaction, where a
   * query would see uncommitted rows or abort the write on error), reading the result a chunk
   * at a time so that a row or byte cap stops DuckDB early instead of materialising everything.
   * The workspaces it names are attached first (only those with a file: a query creates none)
   * and stay attached until it ends.
   */
  async query(request: QueryRequest): Promise<QueryResult> {
    if (this.closed) throw new Error('the log store is closed');
    const workspaces = [...new Set(request.workspaces)];
    for (const id of workspaces) this.file(id); // refuses what is not a workspace id, before anything is counted
    if (request.queryId !== undefined && this.byQueryId.has(request.queryId)) {
      throw new Error(`a query with id ${request.queryId} is already running`);
    }
    // Counted in use and registered synchronously: from here on, an idle close leaves these
    // workspaces attached, and cancel(queryId) finds the query.
    for (const id of workspaces) this.acquire(id);
    let settle!: () => void;
    const q: RunningQuery = { workspaces, connection: undefined, stopped: undefined, repeat: undefined, done: new Promise((r) => { settle = r; }) };
    this.running.add(q);
    if (request.queryId !== undefined) this.byQueryId.set(request.queryId, q);
    const timer = request.timeoutMs === undefined ? undefined
      : setTimeout(() => this.stop(q, named('QueryTimeout', `the query ran longer than ${request.timeoutMs} ms`)), request.timeoutMs);
    try {
      const instance = await this.engine;
      for (const id of workspaces) {
        if (this.open.has(id) || existsSync(this.file(id))) await this.workspace(id);
        if (q.stopped !== undefined) throw q.stopped;
      }
      return await this.run(instance, q, request);
    } catch (error) {
      throw q.stopped ?? error;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      if (q.repeat !== undefined) clearInterval(q.repeat);
      this.running.delete(q);
      if (request.queryId !== undefined && this.byQueryId.get(request.queryId) === q) this.byQueryId.delete(request.queryId);
      for (const id of workspaces) this.release(id);
      settle();
    }
  }

  private async run(instance: DuckDBInstance, q: RunningQuery, request: QueryRequest): Promise<QueryResult> {
    const connection = await instance.connect();
    q.connection = connection;
    let result: DuckDBResult | undefined;
    let exhausted = false;
    try {
      if (q.stopped !== undefined) throw q.stopped;
      const statements = await connection.extractStatements(request.sql);
      if (statements.count !== 1) throw new Error(`a query is one SELECT statement (this SQL has ${statements.count})`);
      const prepared = await statements.prepare(0);
      if (prepared.statementType !== StatementType.SELECT) throw new Error(`a query is one SELECT statement (this one is ${StatementType[prepared.statementType]})`);
      if (request.params !== undefined && request.params.length > 0) prepared.bind([...request.params]);
      if (q.stopped !== undefined) throw q.stopped;
      result = await prepared.stream();
      const columns = result.columnNames().map((name, i) => ({ name, type: result!.columnType(i).toString() }));
      const rows: unknown[][] = [];
      let bytes = 0;
      let truncated: QueryResult['truncated'];
      reading: for (;;) {
        if (q.stopped !== undefined) throw q.stopped;
        const chunk = await result.fetchChunk();
        if (q.stopped !== undefined) throw q.stopped;
        if (chunk === null || chunk.rowCount === 0) {
          exhausted = true;
          break;
        }
        const count = chunk.rowCount;
        for (let i = 0; i < count; i++) {
          if (request.maxRows !== undefined && rows.length >= request.maxRows) {
            truncated = 'rows';
            break reading;
          }
          const row = chunk.convertRowValues(i, JSDuckDBValueConverter) as unknown[];
          if (request.maxBytes !== undefined) {
            bytes += approximateBytes(row);
            if (bytes > request.maxBytes) {
              truncated = 'bytes';
              break reading;
            }
          }
          rows.push(row);
        }
      }
      return truncated === undefined ? { columns, rows } : { columns, rows, truncated };
    } finally {
      q.connection = undefined; // no interrupt from here on
      // A result read only in part keeps its transaction (and what it pins) until the next
      // statement on its connection ends it; closing the connection alone does not.
      if (result !== undefined && !exhausted) await connection.run('SELECT 1').catch(() => undefined);
      connection.closeSync();
    }
  }

  /** Interrupts a running query; it rejects with `error`. */
  private stop(q: RunningQuery, error: Error): void {
    if (q.stopped !== undefined) return;
    q.stopped = error;
    q.connection?.interrupt();
    // An interrupt that arrives before DuckDB starts executing is reset by the start: repeat
    // it until the query has ended (it also stops between chunks, on the flag above).
    q.repeat = setInterval(() => q.connection?.interrupt(), 25);
  }

  async cancel(queryId: string): Promise<void> {
    const q = this.byQueryId.get(queryId);
    if (q === undefined) return;
    this.stop(q, named('QueryCancelled', `query ${queryId} was cancelled`));
    await q.done;
  }

  async purge(workspaceId: string, table: string, beforeMicros: bigint): Promise<number> {
    return this.exclusive(workspaceId, async (ws) => {
      const stored = ws.tables.get(table.toLowerCase());
      if (stored === undefined) return 0;
      const time = stored.get('TimeGenerated');
      if (time === undefined) throw new Error(`table ${table} has no TimeGenerated column in storage: cannot purge by time`);
      const result = await ws.connection.run(
        `DELETE FROM ${ws.catalog}.data.${quoteIdent(table)} WHERE ${quoteIdent(time)} < make_timestamp($1::BIGINT)`, [beforeMicros]);
      return Number(result.rowsChanged);
    });
  }

  async tables(workspaceId: string): Promise<{ name: string; rows: number }[]> {
    return this.exclusive(workspaceId, (ws) => this.listTables(ws));
  }

  private async listTables(ws: OpenWorkspace): Promise<{ name: string; rows: number }[]> {
    const reader = await ws.connection.runAndReadAll(
      "SELECT table_name FROM duckdb_tables() WHERE database_name = $1 AND schema_name = 'data' ORDER BY table_name", [unquoted(ws.catalog)]);
    const out = [];
    for (const [name] of reader.getRows() as [string][]) {
      const count = await ws.connection.runAndReadAll(`SELECT count(*) FROM ${ws.catalog}.data.${quoteIdent(name)}`);
      out.push({ name, rows: Number((count.getRows()[0] as [bigint])[0]) });
    }
    return out;
  }

  async dropTable(workspaceId: string, table: string): Promise<void> {
    await this.exclusive(workspaceId, async (ws) => {
      await ws.connection.run(`DROP VIEW IF EXISTS ${ws.catalog}.main.${quoteIdent(table)}`);
      await ws.connection.run(`DROP TABLE IF EXISTS ${ws.catalog}.data.${quoteIdent(table)}`);
      ws.tables.delete(table.toLowerCase());
      ws.views.delete(table.toLowerCase());
      ws.order.delete(table.toLowerCase());
    });
  }

  async dropWorkspace(workspaceId: string): Promise<void> {
    const file = this.file(workspaceId);
    // Queries reading it stop first: the file is about to go.
    const readers = [...this.running].filter((q) => q.workspaces.includes(workspaceId));
    for (const q of readers) this.stop(q, named('QueryCancelled', `workspace ${workspaceId} was removed`));
    await Promise.all(readers.map((q) => q.done));
    const pending = this.open.get(workspaceId);
    if (pending !== undefined) {
      const ws = await pending.catch(() => undefined);
      if (ws !== undefined) await ws.gate.run(true, () => this.detach(ws));
      if (this.open.get(workspaceId) === pending) this.open.delete(workspaceId);
      if (this.ready.get(workspaceId) === ws) this.ready.delete(workspaceId);
    }
    await this.detaching.get(workspaceId);
    rmSync(file, { force: true });
    rmSync(`${file}.wal`, { force: true });
  }

  /** Closes the workspace's connections and detaches its file. */
  private async detach(ws: OpenWorkspace): Promise<void> {
    for (const w of ws.writers) w.closeSync();
    try {
      await ws.connection.run(`DETACH DATABASE IF EXISTS ${ws.catalog}`);
    } finally {
      ws.connection.closeSync();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    const queries = [...this.running];
    for (const q of queries) this.stop(q, new Error('the log store is closed'));
    await Promise.all(queries.map((q) => q.done));
    for (const pending of this.open.values()) {
      const ws = await pending.catch(() => undefined); // a workspace that failed to attach has nothing to close
      if (ws !== undefined) await ws.gate.run(true, () => this.detach(ws)).catch(() => undefined);
    }
    this.open.clear();
    this.ready.clear();
    await Promise.all(this.detaching.values());
    const instance = await this.engine.catch(() => undefined);
    instance?.closeSync();
  }
}

/** An Error with a name callers test (QueryTimeout, QueryCancelled). */
function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** A SQL string literal. */
function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** "ws_x" -> ws_x (catalog names never contain quotes). */
function unquoted(identifier: string): string {
  return identifier.slice(1, -1);
}

/** About how many bytes a value takes (its text, 8 for numbers and times), for `maxBytes`. */
function approximateBytes(value: unknown): number {
  switch (typeof value) {
    case 'string': return value.length + 2;
    case 'number': case 'bigint': return 8;
    case 'boolean': return 1;
    case 'object': {
      if (value === null) return 1;
      if (value instanceof Date) return 8;
      if (ArrayBuffer.isView(value)) return value.byteLength;
      let total = 2;
      if (Array.isArray(value)) for (const v of value) total += approximateBytes(v);
      else for (const [k, v] of Object.entries(value)) total += k.length + approximateBytes(v);
      return total;
    }
    default: return 1;
  }
}

/** What a table's view presents: its schema's column names in order (a view of another schema is refreshed). */
function viewSignature(table: TableSchema): string {
  let signature = '';
  for (const c of table.columns) signature += `${c.name}\u0000`;
  return signature;
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
