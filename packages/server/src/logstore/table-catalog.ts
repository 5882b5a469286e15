// Which tables a workspace has and their schemas: Microsoft's standard tables for every
// workspace, plus the custom `_CL` tables declared for it through the tables API (or created
// by the Data Collector API). Schemas are cached per workspace and dropped on every change.
import type { Db } from '../db/database.ts';
import type { LogTableTable } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { findStandardTable, withSystemColumns, type Column, type TableSchema } from './schema.ts';

export class TableCatalog {
  private readonly cache = new Map<string, Map<string, TableSchema>>();

  constructor(private readonly db: Db) {}

  /** The schema of `table` in the workspace, or undefined when there is no such table. */
  async find(workspaceId: string, table: string): Promise<TableSchema | undefined> {
    const custom = await this.customTables(workspaceId);
    return custom.get(table.toLowerCase()) ?? findStandardTable(table);
  }

  async require(workspaceId: string, table: string, where = 'table'): Promise<TableSchema> {
    const schema = await this.find(workspaceId, table);
    if (schema === undefined) {
      throw new ApiError('InvalidParameter', table.endsWith('_CL')
        ? `The custom table '${table}' does not exist in this workspace. Create it first: PUT .../workspaces/{workspace}/tables/${table} with its columns.`
        : `'${table}' is not a table of this workspace: neither a standard table nor a custom table (custom table names end in _CL).`, { target: where });
    }
    return schema;
  }

  invalidate(workspaceId: string): void {
    this.cache.delete(workspaceId);
  }

  private async customTables(workspaceId: string): Promise<Map<string, TableSchema>> {
    let tables = this.cache.get(workspaceId);
    if (tables === undefined) {
      const rows = await this.db.selectFrom('log_tables').selectAll().where('workspace_id', '=', workspaceId).where('kind', '=', 'custom').execute();
      tables = new Map(rows.map((r) => [r.name.toLowerCase(), customSchema(r)]));
      this.cache.set(workspaceId, tables);
    }
    return tables;
  }
}

export function customSchema(row: Pick<LogTableTable, 'name' | 'columns'>): TableSchema {
  return withSystemColumns(row.name, JSON.parse(row.columns) as Column[], 'custom');
}
