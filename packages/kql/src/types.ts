// The scalar types of KQL as Log Analytics returns them, and the schemas a query is compiled
// against. Pure data: nothing here knows about tenants, HTTP or the engine underneath.

export const KQL_TYPES = ['bool', 'datetime', 'dynamic', 'guid', 'int', 'long', 'real', 'decimal', 'string', 'timespan'] as const;
export type KqlType = (typeof KQL_TYPES)[number];

export interface KqlColumn {
  name: string;
  type: KqlType;
}

export interface TableDef {
  name: string;
  columns: KqlColumn[];
  /**
   * Whether the table exists in storage. A table of the schema with no rows yet (a standard
   * table nobody sent to) reads as empty, with its columns typed.
   */
  stored: boolean;
  /**
   * Columns that storage presents under another name: column name -> the name to read. A store
   * whose identifiers ignore case cannot present two columns differing only in case under their
   * own names (AzureDiagnostics' clientIP_s and clientIp_s); KQL names stay exact everywhere else.
   */
  storedAs?: Readonly<Record<string, string>>;
}

export interface FunctionParameter {
  name: string;
  /** A scalar type, or a tabular parameter (`T:(*)` or with columns). */
  type: KqlType | { columns: KqlColumn[] | '*' };
  /** KQL text of the default value, if the parameter is optional. */
  defaultValue?: string;
}

/** A saved function (Sentinel's parsers): `functionAlias(params) { body }`. */
export interface FunctionDef {
  name: string;
  parameters: FunctionParameter[];
  body: string;
}

/** One workspace as the compiler sees it. */
export interface WorkspaceDef {
  /** The workspace id (customerId, a GUID): how storage names it. */
  id: string;
  /** The workspace's name (ARM resource name). */
  name: string;
  /** The ARM resource id. */
  resourceId: string;
  /** Directory (tenant) the workspace belongs to. */
  tenantId: string;
  tables: TableDef[];
  functions: FunctionDef[];
}
