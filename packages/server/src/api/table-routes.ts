// Azure Monitor's tables API: PUT/GET/DELETE/list .../workspaces/{ws}/tables/{name}.
// Custom `_CL` tables are declared here with their columns (and enforced on ingestion);
// standard tables take retention settings only.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { armRoute, type ArmRequest } from './arm-route.ts';
import { API_VERSIONS } from './api-versions.ts';
import { requireWorkspace } from './workspace-routes.ts';
import { displayId, workspaceId, type Workspace } from '../control/workspaces.ts';
import { ApiError } from '../errors.ts';
import { COLUMN_NAME, CUSTOM_TABLE, SYSTEM_COLUMNS, columnType, findStandardTable, standardTables, type Column, type TableSchema } from '../logstore/schema.ts';
import type { LogTableTable } from '../db/schema.ts';

const ColumnBody = z.object({ name: z.string(), type: z.string(), description: z.string().optional(), displayName: z.string().optional() }).passthrough();
const TableBody = z.object({
  properties: z.object({
    schema: z.object({ name: z.string().optional(), columns: z.array(ColumnBody).optional(), description: z.string().optional() }).passthrough().optional(),
    retentionInDays: z.number().int().optional(),
    totalRetentionInDays: z.number().int().optional(),
    plan: z.enum(['Analytics', 'Basic']).optional(),
  }).passthrough(),
}).passthrough();

const RETENTION = { min: 4, max: 730 };
const TOTAL_RETENTION_MAX = 4383;
/** Azure's spelling of column types in the tables API. */
const AZURE_TYPE_NAMES: Record<string, string> = { string: 'string', int: 'int', long: 'long', real: 'real', bool: 'boolean', datetime: 'dateTime', dynamic: 'dynamic', guid: 'guid', timespan: 'timespan', decimal: 'decimal' };

export function registerTableRoutes(app: FastifyInstance, services: Services): void {
  const WS = '/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.OperationalInsights/workspaces/:workspaceName';
  const wsIdOf = (req: ArmRequest) => workspaceId(req.params.subscriptionId!, req.params.resourceGroupName!, req.params.workspaceName!);
  const tableScope = (req: ArmRequest) => `${wsIdOf(req)}/tables/${req.params.tableName!.toLowerCase()}`;
  const rowOf = async (w: Workspace, name: string) =>
    services.db.selectFrom('log_tables').selectAll().where('id', '=', `${w.customer_id}/${name.toLowerCase()}`).executeTakeFirst();

  armRoute(app, services, {
    method: 'PUT',
    path: `${WS}/tables/:tableName`,
    apiVersions: API_VERSIONS.operationalInsights,
    body: TableBody,
    access: (req) => ({ action: 'Microsoft.OperationalInsights/workspaces/tables/write', scope: tableScope(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const name = req.params.tableName!;
      const p = req.body.properties;
      checkRetention(p.retentionInDays, p.totalRetentionInDays);
      const existing = await rowOf(w, name);
      const standard = findStandardTable(name);
      const stamp = services.now().toISOString();
      let row: LogTableTable;
      if (standard !== undefined) {
        if (p.schema?.columns !== undefined) {
          throw new ApiError('InvalidParameter', `'${standard.name}' is a standard table: its columns are Microsoft's and cannot be changed here. Set only retentionInDays, totalRetentionInDays or plan.`, { target: 'properties.schema.columns' });
        }
        row = {
          id: `${w.customer_id}/${name.toLowerCase()}`, workspace_id: w.customer_id, name: standard.name, kind: 'standard', columns: '[]',
          retention_days: p.retentionInDays ?? existing?.retention_days ?? null, total_retention_days: p.totalRetentionInDays ?? existing?.total_retention_days ?? null,
          plan: p.plan ?? existing?.plan ?? 'Analytics', etag: randomUUID(), created_at: existing?.created_at ?? stamp, updated_at: stamp,
        };
      } else {
        const columns = checkCustomTable(name, p.schema, existing === undefined ? undefined : (JSON.parse(existing.columns) as Column[]));
        row = {
          id: `${w.customer_id}/${name.toLowerCase()}`, workspace_id: w.customer_id, name: existing?.name ?? name, kind: 'custom', columns: JSON.stringify(columns),
          retention_days: p.retentionInDays ?? existing?.retention_days ?? null, total_retention_days: p.totalRetentionInDays ?? existing?.total_retention_days ?? null,
          plan: p.plan ?? existing?.plan ?? 'Analytics', etag: randomUUID(), created_at: existing?.created_at ?? stamp, updated_at: stamp,
        };
      }
      await services.db.insertInto('log_tables').values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet({ columns: row.columns, retention_days: row.retention_days, total_retention_days: row.total_retention_days, plan: row.plan, etag: row.etag, updated_at: row.updated_at }))
        .execute();
      services.catalog.invalidate(w.customer_id);
      services.schemas.invalidate(w.customer_id);
      return { status: existing === undefined ? 201 : 200, body: await present(services, w, (await services.catalog.find(w.customer_id, name))!, row) };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: `${WS}/tables/:tableName`,
    apiVersions: API_VERSIONS.operationalInsights,
    access: (req) => ({ action: 'Microsoft.OperationalInsights/workspaces/tables/read', scope: tableScope(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const schema = await services.catalog.find(w.customer_id, req.params.tableName!);
      if (schema === undefined) throw new ApiError('ResourceNotFound', `Table '${req.params.tableName}' does not exist in workspace '${w.name}'.`);
      return { status: 200, body: await present(services, w, schema, await rowOf(w, schema.name)) };
    },
  });

  armRoute(app, services, {
    method: 'DELETE',
    path: `${WS}/tables/:tableName`,
    apiVersions: API_VERSIONS.operationalInsights,
    access: (req) => ({ action: 'Microsoft.OperationalInsights/workspaces/tables/delete', scope: tableScope(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const name = req.params.tableName!;
      if (findStandardTable(name) !== undefined) {
        throw new ApiError('InvalidParameter', `'${name}' is a standard table and cannot be deleted. Lower its retention instead.`, { target: 'tableName' });
      }
      const existing = await rowOf(w, name);
      if (existing === undefined) return { status: 204 };
      // Data first: a table that is gone from the catalog must not keep rows behind.
      await services.logStore.dropTable(w.customer_id, existing.name);
      await services.db.deleteFrom('log_tables').where('id', '=', existing.id).execute();
      services.catalog.invalidate(w.customer_id);
      services.schemas.invalidate(w.customer_id);
      return { status: 200 };
    },
  });

  armRoute(app, services, {
    method: 'GET',
    path: `${WS}/tables`,
    apiVersions: API_VERSIONS.operationalInsights,
    access: (req) => ({ action: 'Microsoft.OperationalInsights/workspaces/tables/read', scope: wsIdOf(req) }),
    handler: async (req) => {
      const w = await requireWorkspace(services, req, wsIdOf(req));
      const rows = await services.db.selectFrom('log_tables').selectAll().where('workspace_id', '=', w.customer_id).execute();
      const byName = new Map(rows.map((r) => [r.name.toLowerCase(), r]));
      const schemas: TableSchema[] = [...standardTables().values()];
      for (const r of rows) if (r.kind === 'custom') schemas.push((await services.catalog.find(w.customer_id, r.name))!);
      schemas.sort((a, b) => a.name.localeCompare(b.name));
      const value = await Promise.all(schemas.map((s) => present(services, w, s, byName.get(s.name.toLowerCase()))));
      return { status: 200, body: { value } };
    },
  });
}

function checkRetention(retention: number | undefined, total: number | undefined): void {
  if (retention !== undefined && retention !== -1 && (retention < RETENTION.min || retention > RETENTION.max)) {
    throw new ApiError('InvalidParameter', `properties.retentionInDays must be from ${RETENTION.min} to ${RETENTION.max} days (or -1 for the workspace's default); got ${retention}.`, { target: 'properties.retentionInDays' });
  }
  if (total !== undefined && total !== -1 && (total < (retention ?? RETENTION.min) || total > TOTAL_RETENTION_MAX)) {
    throw new ApiError('InvalidParameter', `properties.totalRetentionInDays must be at least retentionInDays and at most ${TOTAL_RETENTION_MAX} days; got ${total}.`, { target: 'properties.totalRetentionInDays' });
  }
}

/** A custom table's columns, checked; existing columns keep their types, none are removed. */
function checkCustomTable(name: string, schema: { name?: string; columns?: { name: string; type: string; description?: string }[] } | undefined, existing: Column[] | undefined): Column[] {
  if (!CUSTOM_TABLE.test(name)) {
    throw new ApiError('InvalidParameter', `'${name}' is neither a standard table nor a valid custom table name: custom tables are named <letters, digits, _>_CL, at most 63 characters (for example MyFirewall_CL).`, { target: 'tableName' });
  }
  if (schema?.name !== undefined && schema.name.toLowerCase() !== name.toLowerCase()) {
    throw new ApiError('InvalidParameter', `properties.schema.name '${schema.name}' differs from the table name '${name}' in the path.`, { target: 'properties.schema.name' });
  }
  if (schema?.columns === undefined) {
    if (existing !== undefined) return existing;
    throw new ApiError('InvalidParameter', `A new custom table needs properties.schema.columns, including TimeGenerated of type dateTime.`, { target: 'properties.schema.columns' });
  }
  // Column names are case-sensitive, as KQL's are: A_s and a_s are two columns (the log store
  // keeps them apart, logstore/column-names.ts). An existing column named again with another
  // case is that column (its name kept) when each side has only that one of the folded name.
  const seen = new Set<string>();
  const named = new Set(schema.columns.map((c) => c.name));
  const foldedCount = new Map<string, number>();
  for (const c of schema.columns) foldedCount.set(c.name.toLowerCase(), (foldedCount.get(c.name.toLowerCase()) ?? 0) + 1);
  const kept = new Set<string>();
  const columns: Column[] = [];
  let hasTime = false;
  for (const [i, c] of schema.columns.entries()) {
    const where = `properties.schema.columns[${i}]`;
    if (!COLUMN_NAME.test(c.name)) throw new ApiError('InvalidParameter', `${where}.name '${c.name}' is not a valid column name: start with a letter or _, then letters, digits or _.`, { target: `${where}.name` });
    const lower = c.name.toLowerCase();
    if (seen.has(c.name)) throw new ApiError('InvalidParameter', `${where}.name '${c.name}' is declared twice.`, { target: `${where}.name` });
    seen.add(c.name);
    const type = columnType(c.type);
    if (type === undefined) throw new ApiError('InvalidParameter', `${where}.type '${c.type}' is not a column type. Use one of string, int, long, real, boolean, dateTime, guid, dynamic.`, { target: `${where}.type` });
    if (lower === 'timegenerated') {
      if (type !== 'datetime') throw new ApiError('InvalidParameter', `${where}: TimeGenerated must be of type dateTime.`, { target: `${where}.type` });
      hasTime = true;
      for (const e of existing ?? []) if (e.name.toLowerCase() === lower) kept.add(e.name);
      continue;
    }
    if (SYSTEM_COLUMNS.some((s) => s.name.toLowerCase() === lower)) {
      throw new ApiError('InvalidParameter', `${where}.name '${c.name}' is a column Log Analytics sets itself; remove it from the schema.`, { target: `${where}.name` });
    }
    const folded = existing?.filter((e) => e.name.toLowerCase() === lower && !named.has(e.name)) ?? [];
    const before = existing?.find((e) => e.name === c.name) ?? (folded.length === 1 && foldedCount.get(lower) === 1 ? folded[0] : undefined);
    if (before !== undefined) kept.add(before.name);
    if (before !== undefined && before.type !== type) {
      throw new ApiError('InvalidParameter', `${where}: column '${c.name}' is ${before.type} and cannot change to ${type}; add a new column instead.`, { target: `${where}.type` });
    }
    columns.push(c.description === undefined ? { name: before?.name ?? c.name, type } : { name: before?.name ?? c.name, type, description: c.description });
  }
  if (!hasTime) throw new ApiError('InvalidParameter', 'properties.schema.columns must include TimeGenerated of type dateTime.', { target: 'properties.schema.columns' });
  const dropped = (existing ?? []).filter((e) => !kept.has(e.name));
  if (dropped.length > 0) {
    throw new ApiError('InvalidParameter', `Columns cannot be removed from a custom table (their data stays): ${dropped.map((d) => d.name).join(', ')} missing from properties.schema.columns.`, { target: 'properties.schema.columns' });
  }
  return columns;
}

async function present(services: Services, w: Workspace, schema: TableSchema, row: LogTableTable | undefined) {
  const own = schema.columns.filter((c) => !SYSTEM_COLUMNS.some((s) => s.name === c.name));
  const retention = row?.retention_days ?? -1;
  const total = row?.total_retention_days ?? -1;
  const effectiveRetention = retention === -1 ? w.retention_days : retention;
  const effectiveTotal = total === -1 ? effectiveRetention : total;
  return {
    id: `${await displayId(services.db, w)}/tables/${schema.name}`,
    name: schema.name,
    type: 'Microsoft.OperationalInsights/workspaces/tables',
    properties: {
      retentionInDays: effectiveRetention,
      totalRetentionInDays: effectiveTotal,
      archiveRetentionInDays: effectiveTotal - effectiveRetention,
      retentionInDaysAsDefault: retention === -1,
      totalRetentionInDaysAsDefault: total === -1,
      plan: row?.plan ?? 'Analytics',
      provisioningState: 'Succeeded',
      schema: {
        name: schema.name,
        tableType: schema.kind === 'custom' ? 'CustomLog' : 'Microsoft',
        columns: (schema.kind === 'custom' ? own : []).map((c) => ({ name: c.name, type: AZURE_TYPE_NAMES[c.type], ...(c.description ? { description: c.description } : {}) })),
        standardColumns: (schema.kind === 'custom' ? SYSTEM_COLUMNS : schema.columns).map((c) => ({ name: c.name, type: AZURE_TYPE_NAMES[c.type] })),
      },
    },
  };
}
