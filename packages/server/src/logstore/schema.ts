// Log table schemas: the column types Log Analytics has, standard tables from Microsoft's
// table reference, and the columns every row carries.
import { readFileSync } from 'node:fs';

/** Log Analytics column types (lower-case KQL names). */
export const COLUMN_TYPES = ['string', 'int', 'long', 'real', 'bool', 'datetime', 'dynamic', 'guid', 'timespan', 'decimal'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface Column {
  name: string;
  type: ColumnType;
  description?: string;
}

export interface TableSchema {
  name: string;
  columns: Column[];
  /** Standard (Microsoft's) or custom (`_CL`, declared through the tables API). */
  kind: 'standard' | 'custom';
}

/** Type aliases Azure accepts in table and stream declarations. */
const ALIASES: Record<string, ColumnType> = {
  string: 'string', int: 'int', int32: 'int', long: 'long', int64: 'long', real: 'real', double: 'real', float: 'real',
  bool: 'bool', boolean: 'bool', datetime: 'datetime', date: 'datetime', dynamic: 'dynamic', object: 'dynamic', array: 'dynamic',
  guid: 'guid', uuid: 'guid', timespan: 'timespan', time: 'timespan', decimal: 'decimal',
};

export function columnType(name: string): ColumnType | undefined {
  return ALIASES[name.toLowerCase()];
}

/**
 * Columns Log Analytics adds to every row whatever the table: the ingestion time, the table
 * name, the workspace id and the Azure resource. Missing from a standard schema, they are added.
 */
export const SYSTEM_COLUMNS: readonly Column[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'TenantId', type: 'string' },
  { name: 'Type', type: 'string' },
  { name: '_ResourceId', type: 'string' },
  { name: '_TimeReceived', type: 'datetime' },
  { name: '_ItemId', type: 'string' },
  { name: '_BilledSize', type: 'real' },
];

const SYSTEM_NAMES = new Set(SYSTEM_COLUMNS.map((c) => c.name.toLowerCase()));

/** Puts the system columns in (once) and keeps the table's own order otherwise. */
export function withSystemColumns(name: string, columns: Column[], kind: TableSchema['kind']): TableSchema {
  const own = columns.filter((c) => !SYSTEM_NAMES.has(c.name.toLowerCase()));
  return { name, kind, columns: [...SYSTEM_COLUMNS, ...own] };
}

let standard: Map<string, TableSchema> | undefined;

/** Microsoft's standard tables (from ../shared/reference/tables.json, loaded once). */
export function standardTables(): Map<string, TableSchema> {
  if (standard !== undefined) return standard;
  const file = new URL('./standard-tables.json', import.meta.url);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { tables: Record<string, { columns: { name: string; type: string }[] }> };
  standard = new Map();
  for (const [name, t] of Object.entries(doc.tables)) {
    const columns = t.columns.map((c) => ({ name: c.name, type: columnType(c.type) ?? 'string' }));
    standard.set(name.toLowerCase(), withSystemColumns(name, columns, 'standard'));
  }
  return standard;
}

export function findStandardTable(name: string): TableSchema | undefined {
  return standardTables().get(name.toLowerCase());
}

export const CUSTOM_TABLE = /^[A-Za-z][A-Za-z0-9_]{0,59}_CL$/;
export const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,499}$/;
