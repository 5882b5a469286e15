// A DuckDB engine for the compiler's tests: fixture tables in an attached in-memory catalog, the
// same shape the log store gives (catalog "ws_...", schema main, one relation per table).
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { compileQuery, type CompileEnv, type KqlColumn, type WorkspaceDef } from '../src/index.ts';
import { duckdb } from '../src/sql/duckdb.ts';

export interface FixtureTable {
  name: string;
  columns: KqlColumn[];
  /** Rows as SQL literal tuples are awkward: give JS values; datetimes as ISO strings. */
  rows: unknown[][];
}

export interface FixtureWorkspace {
  id: string;
  name: string;
  tenantId: string;
  tables: FixtureTable[];
  functions?: WorkspaceDef['functions'];
}

export const catalogOf = (id: string) => `ws_${id.replace(/-/g, '')}`;

function sqlValue(v: unknown, type: KqlColumn['type']): string {
  if (v === null || v === undefined) return 'NULL';
  switch (type) {
    case 'string': case 'guid': return duckdb.str(String(v));
    case 'datetime': return `CAST(${duckdb.str(String(v))} AS TIMESTAMP)`;
    case 'dynamic': return `CAST(${duckdb.str(typeof v === 'string' ? v : JSON.stringify(v))} AS JSON)`;
    case 'bool': return v ? 'TRUE' : 'FALSE';
    default: return String(v);
  }
}

export class FixtureEngine {
  private constructor(private readonly connection: DuckDBConnection, readonly workspaces: WorkspaceDef[]) {}

  static async create(workspaces: FixtureWorkspace[]): Promise<FixtureEngine> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    const defs: WorkspaceDef[] = [];
    for (const ws of workspaces) {
      const catalog = catalogOf(ws.id);
      await connection.run(`ATTACH ':memory:' AS ${duckdb.ident(catalog)}`);
      for (const t of ws.tables) {
        const cols = t.columns.map((c) => `${duckdb.ident(c.name)} ${duckdb.sqlType(c.type)}`).join(', ');
        await connection.run(`CREATE TABLE ${duckdb.ident(catalog)}.main.${duckdb.ident(t.name)} (${cols})`);
        if (t.rows.length > 0) {
          const values = t.rows.map((r) => `(${r.map((v, i) => sqlValue(v, t.columns[i]!.type)).join(', ')})`).join(', ');
          await connection.run(`INSERT INTO ${duckdb.ident(catalog)}.main.${duckdb.ident(t.name)} VALUES ${values}`);
        }
      }
      defs.push({ id: ws.id, name: ws.name, resourceId: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/${ws.name}`,
        tenantId: ws.tenantId, tables: ws.tables.map((t) => ({ name: t.name, columns: t.columns, stored: true })), functions: ws.functions ?? [] });
    }
    return new FixtureEngine(connection, defs);
  }

  env(overrides: Partial<CompileEnv> = {}): CompileEnv {
    const [home] = this.workspaces;
    return {
      home: home!,
      resolveWorkspace: async (ref) => this.workspaces.find((w) => w.name === ref || w.id === ref || w.resourceId.toLowerCase() === ref.toLowerCase()),
      catalogOf,
      now: new Date('2024-01-15T12:00:00Z'),
      ...overrides,
    };
  }

  async sql(sql: string): Promise<unknown[][]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowsJS() as unknown[][];
  }

  /** Compiles and runs; rows with values in Log Analytics' JSON forms (see toWire). */
  async run(kql: string, overrides: Partial<CompileEnv> = {}): Promise<{ sql: string; columns: KqlColumn[]; rows: unknown[][] }> {
    const compiled = await compileQuery(kql, this.env(overrides));
    const rows = await this.sql(compiled.sql);
    return { sql: compiled.sql, columns: compiled.columns, rows: rows.map((r) => r.map((v, i) => toWire(v, compiled.columns[i]!.type))) };
  }
}

/** A result value as the query API would send it (JSON-friendly). */
export function toWire(v: unknown, type: KqlColumn['type']): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'datetime': return v instanceof Date ? v.toISOString() : String(v);
    case 'long': case 'timespan': return typeof v === 'bigint' ? Number(v) : v;
    case 'int': case 'real': case 'decimal': return typeof v === 'bigint' ? Number(v) : v;
    case 'dynamic': return typeof v === 'string' ? JSON.parse(v) : v;
    default: return v;
  }
}
