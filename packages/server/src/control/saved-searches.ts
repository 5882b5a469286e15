// Saved searches of a workspace (Microsoft.OperationalInsights/workspaces/savedSearches). One
// with a function alias is a KQL function of the workspace, which queries call by that alias
// (how Sentinel ships its parsers, for example ASIM's _Im_Dns).
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { SavedSearchTable } from '../db/schema.ts';
import type { FunctionDef } from '../../../kql/src/types.ts';
import { ApiError } from '../errors.ts';
import { findStandardTable } from '../logstore/schema.ts';
import { parseFunctionParameters } from '../query/function-parameters.ts';
import type { Workspace } from './workspaces.ts';

export type SavedSearch = SavedSearchTable;

export interface SavedSearchInput {
  category: string;
  displayName: string;
  query: string;
  functionAlias?: string | undefined;
  functionParameters?: string | undefined;
  version?: number | undefined;
  tags?: { name: string; value: string }[] | undefined;
}

/** KQL identifiers: what a query can call without quoting. */
const ALIAS = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export function savedSearchId(workspaceArmId: string, name: string): string {
  return `${workspaceArmId.toLowerCase()}/savedsearches/${name.toLowerCase()}`;
}

export async function getSavedSearch(db: Db, id: string): Promise<SavedSearch | undefined> {
  return db.selectFrom('saved_searches').selectAll().where('id', '=', id.toLowerCase()).executeTakeFirst();
}

export async function listSavedSearches(db: Db, workspace: Workspace): Promise<SavedSearch[]> {
  return db.selectFrom('saved_searches').selectAll().where('workspace_id', '=', workspace.customer_id).orderBy('id').execute();
}

/** Creates or replaces a saved search; every problem is an InvalidParameter naming the field. */
export async function putSavedSearch(
  db: Db, workspace: Workspace, name: string, input: SavedSearchInput, createdBy: string, now: Date,
): Promise<{ row: SavedSearch; created: boolean }> {
  const id = savedSearchId(workspace.id, name);
  const alias = input.functionAlias === undefined || input.functionAlias === '' ? null : input.functionAlias;
  const parameters = input.functionParameters === undefined || input.functionParameters.trim() === '' ? null : input.functionParameters;
  if (alias !== null) await checkAlias(db, workspace, id, alias);
  if (parameters !== null) {
    if (alias === null) {
      throw new ApiError('InvalidParameter', 'properties.functionParameters is set but properties.functionAlias is not: parameters belong to a function. Give the saved search a functionAlias, or remove functionParameters.', { target: 'properties.functionParameters' });
    }
    parseFunctionParameters(parameters);
  }
  if (input.version !== undefined && (!Number.isInteger(input.version) || input.version < 1)) {
    throw new ApiError('InvalidParameter', `properties.version must be a whole number from 1; got ${input.version}.`, { target: 'properties.version' });
  }
  const existing = await getSavedSearch(db, id);
  const stamp = now.toISOString();
  const row: SavedSearch = {
    id,
    workspace_id: workspace.customer_id,
    name: existing?.name ?? name,
    category: input.category,
    display_name: input.displayName,
    query: input.query,
    function_alias: alias,
    function_alias_key: alias?.toLowerCase() ?? null,
    function_parameters: parameters,
    version: input.version ?? existing?.version ?? null,
    tags: JSON.stringify(input.tags ?? []),
    etag: randomUUID(),
    created_at: existing?.created_at ?? stamp,
    created_by: existing?.created_by ?? createdBy,
    updated_at: stamp,
  };
  const { id: _id, workspace_id: _w, name: _n, created_at: _c, created_by: _b, ...changes } = row;
  await db.insertInto('saved_searches').values(row).onConflict((oc) => oc.column('id').doUpdateSet(changes)).execute();
  return { row, created: existing === undefined };
}

export async function deleteSavedSearch(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('saved_searches').where('id', '=', id.toLowerCase()).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

async function checkAlias(db: Db, workspace: Workspace, id: string, alias: string): Promise<void> {
  if (!ALIAS.test(alias)) {
    throw new ApiError('InvalidParameter', `properties.functionAlias '${alias}' is not a function name: use up to 128 letters, digits and _, not starting with a digit (for example _Im_Dns or MyParser).`, { target: 'properties.functionAlias' });
  }
  const other = await db.selectFrom('saved_searches').select(['name', 'function_alias'])
    .where('workspace_id', '=', workspace.customer_id).where('function_alias_key', '=', alias.toLowerCase()).where('id', '!=', id).executeTakeFirst();
  if (other !== undefined) {
    throw new ApiError('InvalidParameter', `properties.functionAlias '${alias}' is already the alias of saved search '${other.name}' in this workspace (aliases are unique, whatever their case). Choose another alias, or change that saved search.`, { target: 'properties.functionAlias' });
  }
  const table = findStandardTable(alias) ?? await db.selectFrom('log_tables').select('name')
    .where('workspace_id', '=', workspace.customer_id).where('id', '=', `${workspace.customer_id}/${alias.toLowerCase()}`).executeTakeFirst();
  if (table !== undefined) {
    throw new ApiError('InvalidParameter', `properties.functionAlias '${alias}' is the name of a table of this workspace: a query could not tell them apart. Choose another alias.`, { target: 'properties.functionAlias' });
  }
}

/** The workspace's functions (saved searches with an alias), as the KQL compiler takes them. */
export async function workspaceFunctions(db: Db, customerId: string): Promise<FunctionDef[]> {
  const rows = await db.selectFrom('saved_searches').select(['function_alias', 'function_parameters', 'query'])
    .where('workspace_id', '=', customerId).where('function_alias', 'is not', null).orderBy('function_alias_key').execute();
  return rows.map((r) => ({ name: r.function_alias!, parameters: r.function_parameters === null ? [] : parseFunctionParameters(r.function_parameters), body: r.query }));
}

export function presentSavedSearch(workspaceDisplayId: string, row: SavedSearch) {
  const properties: Record<string, unknown> = { category: row.category, displayName: row.display_name, query: row.query };
  if (row.function_alias !== null) properties.functionAlias = row.function_alias;
  if (row.function_parameters !== null) properties.functionParameters = row.function_parameters;
  if (row.version !== null) properties.version = row.version;
  properties.tags = JSON.parse(row.tags) as unknown;
  return {
    id: `${workspaceDisplayId}/savedSearches/${row.name}`,
    etag: row.etag,
    name: row.name,
    type: 'Microsoft.OperationalInsights/savedSearches',
    properties,
  };
}
