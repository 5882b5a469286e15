// A workspace as the KQL compiler sees it: its tables (Microsoft's standard ones and its own
// custom `_CL` tables, each marked with whether storage holds it yet) and its functions (saved
// searches with an alias). Built once per workspace and cached; dropped when any of it changes:
// the tables API and the Data Collector API (catalog changes), saved searches, and the first
// commit of a table to storage (the ingestor and the Usage job report those).
import type { Db } from '../db/database.ts';
import type { LogStore } from '../logstore/log-store.ts';
import { standardTables } from '../logstore/schema.ts';
import { customSchema } from '../logstore/table-catalog.ts';
import { storageNames } from '../logstore/column-names.ts';
import type { KqlColumn, TableDef, WorkspaceDef } from '../../../kql/src/types.ts';
import { displayId, type Workspace } from '../control/workspaces.ts';
import { workspaceFunctions } from '../control/saved-searches.ts';

interface Entry {
  def: Promise<WorkspaceDef>;
  /** Lower-case names of the tables storage held when `def` was built. */
  stored: Promise<Set<string>>;
}

let standardDefs: Omit<TableDef, 'stored'>[] | undefined;

/** Microsoft's tables, columns reduced to what the compiler reads; built once, shared. */
function standardTableDefs(): Omit<TableDef, 'stored'>[] {
  standardDefs ??= [...standardTables().values()].map((t) => tableDef(t.name, t.columns.map((c) => ({ name: c.name, type: c.type }))));
  return standardDefs;
}

/**
 * A table as the compiler reads it: columns differing only in case are presented by the log
 * store under other names (logstore/column-names.ts), which the compiler is told.
 */
function tableDef(name: string, columns: KqlColumn[]): Omit<TableDef, 'stored'> {
  const renamed = storageNames(columns.map((c) => c.name));
  return renamed.size === 0 ? { name, columns } : { name, columns, storedAs: Object.fromEntries(renamed) };
}

export class WorkspaceSchemas {
  private readonly cache = new Map<string, Entry>();

  constructor(private readonly db: Db, private readonly store: () => Pick<LogStore, 'tables'>) {}

  /** The workspace's schema (cached). */
  get(workspace: Workspace): Promise<WorkspaceDef> {
    let entry = this.cache.get(workspace.customer_id);
    if (entry === undefined) {
      const stored = this.storedTables(workspace.customer_id);
      entry = { stored, def: this.build(workspace, stored) };
      this.cache.set(workspace.customer_id, entry);
      // A failed build is not kept: the next query tries again.
      entry.def.catch(() => { if (this.cache.get(workspace.customer_id) === entry) this.cache.delete(workspace.customer_id); });
    }
    return entry.def;
  }

  /** Tables or functions of the workspace changed. */
  invalidate(customerId: string): void {
    this.cache.delete(customerId);
  }

  /** Rows of these tables were committed: a table storage did not hold before makes the schema stale. */
  tablesStored(customerId: string, tables: readonly string[]): void {
    const entry = this.cache.get(customerId);
    if (entry === undefined) return;
    void entry.stored.then((known) => {
      if (tables.some((t) => !known.has(t.toLowerCase())) && this.cache.get(customerId) === entry) this.cache.delete(customerId);
    }, () => undefined);
  }

  private async storedTables(customerId: string): Promise<Set<string>> {
    return new Set((await this.store().tables(customerId)).map((t) => t.name.toLowerCase()));
  }

  private async build(w: Workspace, storedPromise: Promise<Set<string>>): Promise<WorkspaceDef> {
    const [stored, customRows, functions, resourceId, subscription] = await Promise.all([
      storedPromise,
      this.db.selectFrom('log_tables').select(['name', 'columns']).where('workspace_id', '=', w.customer_id).where('kind', '=', 'custom').execute(),
      workspaceFunctions(this.db, w.customer_id),
      displayId(this.db, w),
      this.db.selectFrom('subscriptions').select('directory_id').where('id', '=', w.subscription_id).executeTakeFirstOrThrow(),
    ]);
    const tables: TableDef[] = standardTableDefs().map((t) => ({ ...t, stored: stored.has(t.name.toLowerCase()) }));
    for (const row of customRows) {
      const schema = customSchema(row);
      tables.push({ ...tableDef(schema.name, schema.columns.map((c) => ({ name: c.name, type: c.type }))), stored: stored.has(schema.name.toLowerCase()) });
    }
    return { id: w.customer_id, name: w.name, resourceId, tenantId: subscription.directory_id, tables, functions };
  }
}
