// The editor's schema for monaco-kusto: one database per Sentinel workspace of the selection
// (named as `workspace("name")` names it), the chosen workspace in context, each with its
// tables' columns (the tables API) and its saved functions (saved searches with an alias).
import type { Database, EngineSchema } from '@kusto/monaco-kusto';
import type { SavedSearch, WorkspaceTable } from '../../api/query.ts';

export interface WorkspaceSchema { name: string; tables: WorkspaceTable[]; functions: SavedSearch[] }

function database(w: WorkspaceSchema, version: number): Database {
  return {
    name: w.name,
    tables: w.tables.map((t) => ({ name: t.name, columns: t.columns.map((c) => ({ name: c.name, type: c.type })) })),
    functions: w.functions.filter((f) => f.properties.functionAlias !== undefined && f.properties.functionParameters === undefined).map((f) => ({
      name: f.properties.functionAlias!, body: `{ ${f.properties.query} }`, inputParameters: [], docstring: f.properties.displayName,
    })),
    entityGroups: [],
    majorVersion: version,
    minorVersion: 0,
  };
}

export function engineSchema(current: WorkspaceSchema, others: WorkspaceSchema[], version: number): EngineSchema {
  const inContext = database(current, version);
  return {
    clusterType: 'Engine',
    cluster: { connectionString: 'https://vigil', databases: [inContext, ...others.filter((o) => o.name !== current.name).map((o) => database(o, version))] },
    database: inContext,
  };
}
