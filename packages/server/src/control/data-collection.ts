// Data collection endpoints and rules (Microsoft.Insights), the configuration of the Logs
// Ingestion API: a rule declares input streams and routes them (dataFlows) to tables of
// workspaces (destinations). Every reference is checked when the rule is written, so that
// ingestion never meets a rule that cannot be applied.
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import type { DataCollectionResourceTable } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { canonicalId } from '../arm/resource-id.ts';
import { columnType, findStandardTable, type ColumnType, type TableSchema } from '../logstore/schema.ts';
import type { TableCatalog } from '../logstore/table-catalog.ts';
import { getWorkspace, type Workspace } from './workspaces.ts';

export type DataCollectionResource = DataCollectionResourceTable;

const StreamColumn = z.object({ name: z.string().min(1), type: z.string() }).passthrough();
export const DcrProperties = z.object({
  description: z.string().optional(),
  dataCollectionEndpointId: z.string().optional(),
  streamDeclarations: z.record(z.string(), z.object({ columns: z.array(StreamColumn).min(1) }).passthrough()).default({}),
  destinations: z.object({
    logAnalytics: z.array(z.object({ workspaceResourceId: z.string(), name: z.string().min(1) }).passthrough()).default([]),
  }).passthrough(),
  dataFlows: z.array(z.object({
    streams: z.array(z.string()).min(1),
    destinations: z.array(z.string()).min(1),
    transformKql: z.string().optional(),
    outputStream: z.string().optional(),
  }).passthrough()).min(1),
  dataSources: z.unknown().optional(),
}).passthrough();
export type DcrInput = z.infer<typeof DcrProperties>;

export interface StreamColumnDef { name: string; type: ColumnType }

/** A checked route of one input stream to one table of one workspace. */
export interface ResolvedFlow {
  stream: string;
  workspace: Workspace;
  table: string;
  columns: StreamColumnDef[];
}

export function newImmutableId(prefix: 'dcr' | 'dce'): string {
  return `${prefix}-${randomBytes(16).toString('hex')}`;
}

/** The table a flow writes to: its outputStream, or the stream's own name for Custom-<Table>_CL. */
function outputTable(stream: string, outputStream: string | undefined, where: string): string {
  const target = outputStream ?? stream;
  const m = /^(Custom|Microsoft)-(.+)$/.exec(target);
  if (m === null) throw new ApiError('InvalidParameter', `${where}: '${target}' is not an output stream; write Custom-<Table>_CL or Microsoft-<StandardTable>.`, { target: where });
  return m[2]!;
}

/**
 * Checks a rule: streams declared with known types, destinations that are existing
 * workspaces, flows whose streams and destinations are declared, output tables that exist
 * with the stream's columns in the same types, and no transformation other than `source`.
 * Returns the workspaces the rule writes to, for the caller to authorize.
 */
export async function checkDataCollectionRule(db: Db, catalog: TableCatalog, p: DcrInput): Promise<{ workspaces: Workspace[]; properties: DcrInput }> {
  for (const [name, decl] of Object.entries(p.streamDeclarations)) {
    if (!name.startsWith('Custom-')) {
      throw new ApiError('InvalidParameter', `properties.streamDeclarations: '${name}' must start with 'Custom-' (Microsoft- streams are built in).`, { target: `properties.streamDeclarations.${name}` });
    }
    decl.columns.forEach((c, i) => {
      if (columnType(c.type) === undefined) {
        throw new ApiError('InvalidParameter', `properties.streamDeclarations.${name}.columns[${i}]: type '${c.type}' is not one of string, int, long, real, boolean, datetime, dynamic.`, { target: `properties.streamDeclarations.${name}.columns[${i}].type` });
      }
    });
  }
  const destinations = new Map<string, Workspace>();
  for (const [i, d] of p.destinations.logAnalytics.entries()) {
    const w = await getWorkspace(db, d.workspaceResourceId);
    if (w === undefined) {
      throw new ApiError('InvalidParameter', `properties.destinations.logAnalytics[${i}].workspaceResourceId '${d.workspaceResourceId}' is not an existing workspace.`, { target: `properties.destinations.logAnalytics[${i}].workspaceResourceId` });
    }
    destinations.set(d.name, w);
  }
  for (const [i, flow] of p.dataFlows.entries()) {
    const where = `properties.dataFlows[${i}]`;
    if (flow.transformKql !== undefined && flow.transformKql.trim() !== 'source') {
      throw new ApiError('InvalidParameter', `${where}.transformKql: KQL transformations run once Vigil's KQL engine lands; until then only 'source' (no transformation) is accepted, and a rule with a transformation is refused rather than ignored.`, { target: `${where}.transformKql` });
    }
    for (const d of flow.destinations) {
      if (!destinations.has(d)) throw new ApiError('InvalidParameter', `${where}.destinations: '${d}' is not declared in properties.destinations.logAnalytics.`, { target: `${where}.destinations` });
    }
    for (const stream of flow.streams) {
      const columns = streamColumns(p, stream, `${where}.streams`);
      const table = outputTable(stream, flow.outputStream, `${where}.outputStream`);
      for (const d of flow.destinations) {
        const w = destinations.get(d)!;
        const schema = await catalog.require(w.customer_id, table, `${where}.outputStream`);
        checkColumnsFit(columns, schema, `${where} (${stream} -> ${schema.name})`);
      }
    }
  }
  return { workspaces: [...new Set(destinations.values())], properties: p };
}

function streamColumns(p: DcrInput, stream: string, where: string): StreamColumnDef[] {
  if (stream.startsWith('Custom-')) {
    const decl = p.streamDeclarations[stream];
    if (decl === undefined) throw new ApiError('InvalidParameter', `${where}: stream '${stream}' is not declared in properties.streamDeclarations.`, { target: where });
    return decl.columns.map((c) => ({ name: c.name, type: columnType(c.type)! }));
  }
  const standard = /^Microsoft-(.+)$/.exec(stream);
  const schema = standard === null ? undefined : findStandardTable(standard[1]!);
  if (schema === undefined) throw new ApiError('InvalidParameter', `${where}: '${stream}' is neither a declared Custom- stream nor a Microsoft-<StandardTable> stream.`, { target: where });
  return schema.columns.map((c) => ({ name: c.name, type: c.type }));
}

function checkColumnsFit(columns: StreamColumnDef[], table: TableSchema, where: string): void {
  for (const c of columns) {
    // Its own column first: a table may have columns differing only in case (AzureDiagnostics).
    const target = table.columns.find((t) => t.name === c.name) ?? table.columns.find((t) => t.name.toLowerCase() === c.name.toLowerCase());
    if (target === undefined) {
      throw new ApiError('InvalidParameter', `${where}: column '${c.name}' of the stream is not in table '${table.name}'. Add it to the table (PUT .../tables/${table.name}) or drop it from the stream.`, { target: where });
    }
    if (target.type !== c.type && !(target.type === 'string')) {
      throw new ApiError('InvalidParameter', `${where}: column '${c.name}' is ${c.type} in the stream but ${target.type} in table '${table.name}'.`, { target: where });
    }
  }
}

/** The flows of `stream` in a stored rule, resolved to workspaces and tables. */
export async function flowsOf(db: Db, rule: DataCollectionResource, stream: string): Promise<ResolvedFlow[]> {
  const p = JSON.parse(rule.properties) as DcrInput;
  const destinations = new Map(p.destinations.logAnalytics.map((d) => [d.name, d.workspaceResourceId]));
  const out: ResolvedFlow[] = [];
  for (const flow of p.dataFlows) {
    if (!flow.streams.includes(stream)) continue;
    const columns = streamColumns(p, stream, 'stream');
    for (const d of flow.destinations) {
      const w = await getWorkspace(db, destinations.get(d)!);
      if (w === undefined) continue; // the workspace was deleted after the rule was written
      out.push({ stream, workspace: w, table: outputTable(stream, flow.outputStream, 'outputStream'), columns });
    }
  }
  return out;
}

export function dataCollectionId(subscriptionId: string, resourceGroup: string, kind: 'dataCollectionRules' | 'dataCollectionEndpoints', name: string): string {
  return canonicalId(`/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Insights/${kind}/${name}`);
}

export function newEtag(): string {
  return randomUUID();
}
