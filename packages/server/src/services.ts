// What every route and command is handed: the database, keys, configuration, clock, logger.
import type { Logger } from 'pino';
import type { Db } from './db/database.ts';
import type { VigilConfig } from './config.ts';
import type { SigningKeys } from './identity/signing-keys.ts';
import type { AuthorizationCodes } from './identity/authorization-codes.ts';
import type { LogStore } from './logstore/log-store.ts';
import type { TableCatalog } from './logstore/table-catalog.ts';
import type { Ingestor } from './ingest/ingestor.ts';
import type { SyslogReceivers } from './ingest/syslog-receiver.ts';
import type { WorkspaceSchemas } from './query/workspace-schema.ts';
import type { CompileQuery } from './query/compiler.ts';
import type { QueryStore } from './query/store-gateway.ts';

export interface Services {
  db: Db;
  config: VigilConfig;
  /** Per-workspace log tables (DuckDB). */
  logStore: LogStore;
  catalog: TableCatalog;
  /** Workspaces as the KQL compiler sees them (tables, functions), cached per workspace. */
  schemas: WorkspaceSchemas;
  /** The KQL compiler (packages/kql); tests may put a stand-in here. */
  compileQuery: CompileQuery;
  /** The log store as the query API uses it (limits, time limit, cancel). */
  queryStore: QueryStore;
  ingestor: Ingestor;
  /** The receivers of Syslog and CEF connectors. */
  receivers: SyslogReceivers;
  keys: SigningKeys;
  /** Codes of the interactive sign-in, between the login page and the token exchange. */
  codes: AuthorizationCodes;
  log: Logger;
  /** The clock; tests move it to expire just-in-time activations and tokens. */
  now: () => Date;
  /** Base URL clients reach us at (no trailing slash): issuers and nextLinks are built from it. */
  publicUrl: string;
  /** Items per page in ARM lists. */
  pageSize: number;
}
