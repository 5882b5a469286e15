// The table a file loads into, as the server has it: standard tables are known here (only their
// retention is asked for), custom ones are asked for, or created from the file's columns.
import { customSchemaFromFile } from '../../server/src/ingest/file-import/prepare-rows.ts';
import type { ExportFile } from '../../server/src/ingest/file-import/read-export.ts';
import { CUSTOM_TABLE, SYSTEM_COLUMNS, columnType, findStandardTable, type TableSchema, withSystemColumns } from '../../server/src/logstore/schema.ts';
import { ARM_API, errorCode, errorMessage, type Api } from './api-client.ts';

export interface Target {
  schema: TableSchema;
  created?: string;
  /** How long the table keeps rows (its total retention), when the server said. */
  retentionDays?: number;
}

/** What resolveTable found: the table, or why the file cannot load into it (the server refused, or no such table). */
export type TableLookup = Target | { refused: string } | { problem: string };

/** The schema of the target table: standard ones are known here; custom ones are asked for, or created. */
export async function resolveTable(
  api: Api,
  workspacePath: string,
  name: string,
  file: ExportFile | undefined,
  targets: Map<string, TableLookup>,
): Promise<TableLookup> {
  const key = name.toLowerCase();
  const known = targets.get(key);
  if (known !== undefined) return known;
  let result: TableLookup;
  const standard = findStandardTable(name);
  const path = `${workspacePath}/tables/${encodeURIComponent(name)}?api-version=${ARM_API}`;
  if (standard !== undefined) {
    // Microsoft's columns are known here; the server is asked only how long the table keeps rows.
    const got = await api.call('GET', path);
    result = got.status === 200 ? withRetention({ schema: standard }, got.body) : { schema: standard };
  } else if (!CUSTOM_TABLE.test(name)) result = { problem: `'${name}' is neither a standard table nor a custom table name (<letters, digits, _>_CL); give the table with --table` };
  else {
    const got = await api.call('GET', path);
    if (got.status === 200) result = withRetention({ schema: fromAzureTable(name, got.body) }, got.body);
    else if (got.status === 404 && file !== undefined) {
      const schema = customSchemaFromFile(name, file);
      const columns = schema.columns
        .filter((c) => c.name === 'TimeGenerated' || !SYSTEM_COLUMNS.some((s) => s.name === c.name))
        .map((c) => ({ name: c.name, type: c.type === 'datetime' ? 'dateTime' : c.type }));
      const put = await api.call('PUT', path, { properties: { schema: { name, columns } } });
      if (put.status === 200 || put.status === 201) result = withRetention({ schema: fromAzureTable(name, put.body), created: name }, put.body);
      else if (put.status === 400) result = { problem: `the custom table ${name} could not be created: ${errorMessage(put.body)}` };
      else result = { refused: `${put.status} ${errorCode(put.body)}: ${errorMessage(put.body)}` };
    } else result = { refused: `${got.status} ${errorCode(got.body)}: ${errorMessage(got.body)}` };
  }
  targets.set(key, result);
  return result;
}

function withRetention(target: Target, body: unknown): Target {
  const days = (body as { properties?: { totalRetentionInDays?: unknown } } | undefined)?.properties?.totalRetentionInDays;
  if (typeof days === 'number' && days > 0) target.retentionDays = days;
  return target;
}

/** A table as the tables API presents it -> a schema (Azure's type names back to ours). */
function fromAzureTable(name: string, body: unknown): TableSchema {
  const schema = (body as { name?: string; properties?: { schema?: { columns?: { name: string; type: string }[] } } }).properties?.schema;
  const columns = (schema?.columns ?? []).map((c) => ({ name: c.name, type: columnType(c.type) ?? 'string' }));
  return withSystemColumns((body as { name?: string }).name ?? name, columns, 'custom');
}
