// DuckDB log store: one database file per workspace (<data>/workspaces/<workspace id>.duckdb).
// Isolation holds by construction (a query opens only its workspace's file) and offboarding
// a customer deletes one file. One DuckDB instance per file for the life of the process:
// DuckDB allows a single writer per file, and a second instance on the same file in one
// process would not be guarded.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { AppendBatch, LogStore, QueryResult } from '../log-store.ts';
import type { TableSchema } from '../schema.ts';
import { APPEND, DUCKDB_TYPE, quoteIdent } from './duckdb-types.ts';

const WORKSPACE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface OpenWorkspace {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  /** Lower-case table name -> lower-case column names present in storage. */
  tables: Map<string, Set<string>>;
  /** Lower-case table name -> column names in storage order (what the appender expects). */
  order: Map<string, string[]>;
  /** Serialises writes and schema changes on this workspace's connection. */
  tail: Promise<unknown>;
}

export class DuckDbLogStore implements LogStore {
  private readonly open = new Map<string, Promise<OpenWorkspace>>();
  private closed = false;

  constructor(private readonly dataDir: string) {
    mkdirSync(this.dir(), { recursive: true });
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
        const instance = await DuckDBInstance.create(this.file(workspaceId));
        const connection = await instance.connect();
        const tables = new Map<string, Set<string>>();
        const reader = await connection.runAndReadAll(
          "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'");
        for (const [table, column] of reader.getRows() as [string, string][]) {
          const key = table.toLowerCase();
          if (!tables.has(key)) tables.set(key, new Set());
          tables.get(key)!.add(column.toLowerCase());
        }
        return { instance, connection, tables, order: new Map(), tail: Promise.resolve() };
      })();
      this.open.set(workspaceId, ws);
      ws.catch(() => this.open.delete(workspaceId));
    }
    return ws;
  }

  /** Runs `fn` after every earlier write of the workspace: one writer at a time per file. */
  private async exclusive<T>(workspaceId: string, fn: (ws: OpenWorkspace) => Promise<T>): Promise<T> {
    const ws = await this.workspace(workspaceId);
    const run = ws.tail.then(() => fn(ws));
    ws.tail = run.catch(() => undefined);
    return run;
  }

  private async ensureTable(ws: OpenWorkspace, table: TableSchema): Promise<void> {
    const key = table.name.toLowerCase();
    const existing = ws.tables.get(key);
    if (existing === undefined) {
      const columns = table.columns.map((c) => `${quoteIdent(c.name)} ${DUCKDB_TYPE[c.type]}`).join(', ');
      await ws.connection.run(`CREATE TABLE IF NOT EXISTS ${quoteIdent(table.name)} (${columns})`);
      ws.tables.set(key, new Set(table.columns.map((c) => c.name.toLowerCase())));
      ws.order.delete(key);
      return;
    }
    // Custom tables gain columns over time (tables API, Data Collector API): add what is new.
    for (const c of table.columns) {
      if (!existing.has(c.name.toLowerCase())) {
        await ws.connection.run(`ALTER TABLE ${quoteIdent(table.name)} ADD COLUMN ${quoteIdent(c.name)} ${DUCKDB_TYPE[c.type]}`);
        existing.add(c.name.toLowerCase());
        ws.order.delete(key);
      }
    }
  }

  async append(workspaceId: string, batches: AppendBatch[]): Promise<void> {
    if (batches.every((b) => b.rows.length === 0)) return;
    await this.exclusive(workspaceId, async (ws) => {
      for (const b of batches) await this.ensureTable(ws, b.table);
      await ws.connection.run('BEGIN TRANSACTION');
      try {
        for (const { table, rows } of batches) {
          if (rows.length === 0) continue;
          // Appender columns follow storage order, which may differ from the schema's after ALTERs.
          const order = await this.storageColumns(ws, table.name);
          const types = order.map((name) => table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase()));
          const appender = await ws.connection.createAppender(table.name);
          try {
            for (const row of rows) {
              for (let i = 0; i < order.length; i++) {
                const column = types[i];
                const value = column === undefined ? null : row[column.name];
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
        await ws.connection.run('COMMIT');
      } catch (error) {
        await ws.connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  private async storageColumns(ws: OpenWorkspace, table: string): Promise<string[]> {
    const key = table.toLowerCase();
    const cached = ws.order.get(key);
    if (cached !== undefined) return cached;
    const reader = await ws.connection.runAndReadAll(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND lower(table_name) = lower($1) ORDER BY ordinal_position", [table]);
    const names = (reader.getRows() as [string][]).map((r) => r[0]);
    ws.order.set(key, names);
    return names;
  }

  async query(workspaceId: string, sql: string, params: readonly (string | number | bigint | boolean | null)[] = []): Promise<QueryResult> {
    const ws = await this.workspace(workspaceId);
    const reader = await ws.connection.runAndReadAll(sql, [...params]);
    return {
      columns: reader.columnNames().map((name, i) => ({ name, type: reader.columnType(i).toString() })),
      rows: reader.getRowsJS() as unknown[][],
    };
  }

  async purge(workspaceId: string, table: string, beforeMicros: bigint): Promise<number> {
    return this.exclusive(workspaceId, async (ws) => {
      if (!ws.tables.has(table.toLowerCase())) return 0;
      const result = await ws.connection.run(
        `DELETE FROM ${quoteIdent(table)} WHERE "TimeGenerated" < make_timestamp($1::BIGINT)`, [beforeMicros]);
      return Number(result.rowsChanged);
    });
  }

  async tables(workspaceId: string): Promise<{ name: string; rows: number }[]> {
    const ws = await this.workspace(workspaceId);
    const reader = await ws.connection.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name");
    const out = [];
    for (const [name] of reader.getRows() as [string][]) {
      const count = await ws.connection.runAndReadAll(`SELECT count(*) FROM ${quoteIdent(name)}`);
      out.push({ name, rows: Number((count.getRows()[0] as [bigint])[0]) });
    }
    return out;
  }

  async dropTable(workspaceId: string, table: string): Promise<void> {
    await this.exclusive(workspaceId, async (ws) => {
      await ws.connection.run(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
      ws.tables.delete(table.toLowerCase());
      ws.order.delete(table.toLowerCase());
    });
  }

  async dropWorkspace(workspaceId: string): Promise<void> {
    const pending = this.open.get(workspaceId);
    if (pending !== undefined) {
      const ws = await pending;
      await ws.tail;
      ws.connection.closeSync();
      ws.instance.closeSync();
      this.open.delete(workspaceId);
    }
    rmSync(this.file(workspaceId), { force: true });
    rmSync(`${this.file(workspaceId)}.wal`, { force: true });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.open.values()) {
      try {
        const ws = await pending;
        await ws.tail;
        ws.connection.closeSync();
        ws.instance.closeSync();
      } catch { /* a workspace that failed to open has nothing to close */ }
    }
    this.open.clear();
  }
}
