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

/** A table as the reference files declare it: documented columns, types as the docs write them. */
export interface DeclaredTable {
  columns: { name: string; type: string }[];
}

/**
 * tables-supplement.json: what Log Analytics has and the reference lacks. `columns` entries
 * append to a reference table, `tables` entries add a table; each names its source.
 */
export interface SchemaSupplement {
  columns: { table: string; source: string; columns: { name: string; type: string }[] }[];
  tables: ({ name: string; source: string } & DeclaredTable)[];
}

/** The supplement contradicts the reference or itself (see mergeSupplement). */
export class SchemaSupplementError extends Error {
  override name = 'SchemaSupplementError';
}

/**
 * The reference tables with the supplement merged in, the reference left as it was. Refuses an
 * entry naming a table or column the reference (or an earlier entry) already has, column names
 * compared without case as DuckDB folds them: when a newer reference closes a gap the entry is
 * deleted, rather than kept beside it and drifting from it. A supplement type must be one
 * Log Analytics has.
 */
export function mergeSupplement(reference: Record<string, DeclaredTable>, supplement: SchemaSupplement): Record<string, DeclaredTable> {
  const merged = new Map<string, { name: string; columns: DeclaredTable['columns'] }>();
  for (const [name, t] of Object.entries(reference)) merged.set(name.toLowerCase(), { name, columns: [...t.columns] });
  const typed = (where: string, columns: { name: string; type: string }[]) => columns.map((c) => {
    if (columnType(c.type) === undefined) throw new SchemaSupplementError(`${where}: column ${c.name} has type '${c.type}', which Log Analytics does not have`);
    return { name: c.name, type: c.type };
  });
  for (const t of supplement.tables) {
    const key = t.name.toLowerCase();
    if (merged.has(key)) throw new SchemaSupplementError(`table ${t.name}: the reference already has ${merged.get(key)!.name}; delete the supplement's table`);
    const seen = new Set<string>();
    for (const c of t.columns) {
      if (seen.has(c.name.toLowerCase())) throw new SchemaSupplementError(`table ${t.name}: column ${c.name} is declared twice`);
      seen.add(c.name.toLowerCase());
    }
    merged.set(key, { name: t.name, columns: typed(`table ${t.name}`, t.columns) });
  }
  for (const entry of supplement.columns) {
    const table = merged.get(entry.table.toLowerCase());
    if (table === undefined) throw new SchemaSupplementError(`columns of ${entry.table}: no such table in the reference or the supplement`);
    const have = new Map(table.columns.map((c) => [c.name.toLowerCase(), c.name]));
    for (const c of typed(`columns of ${entry.table}`, entry.columns)) {
      const existing = have.get(c.name.toLowerCase());
      if (existing !== undefined) throw new SchemaSupplementError(`columns of ${entry.table}: ${table.name} already has ${existing}; delete ${c.name} from the supplement`);
      have.set(c.name.toLowerCase(), c.name);
      table.columns.push(c);
    }
  }
  return Object.fromEntries([...merged.values()].map((t) => [t.name, { columns: t.columns }]));
}

let standard: Map<string, TableSchema> | undefined;

/**
 * Microsoft's standard tables: the reference (standard-tables.json, from
 * ../shared/reference/tables.json) with tables-supplement.json merged in, loaded once.
 */
export function standardTables(): Map<string, TableSchema> {
  if (standard !== undefined) return standard;
  const read = (name: string) => JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8'));
  const reference = (read('./standard-tables.json') as { tables: Record<string, DeclaredTable> }).tables;
  const tables = mergeSupplement(reference, read('./tables-supplement.json') as SchemaSupplement);
  standard = new Map();
  for (const [name, t] of Object.entries(tables)) {
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
