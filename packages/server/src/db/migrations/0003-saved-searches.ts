// Saved searches of a workspace (Microsoft.OperationalInsights/workspaces/savedSearches); those
// with a function alias are the workspace's KQL functions (Sentinel's parsers).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('saved_searches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.customer_id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('function_alias', 'text')
    .addColumn('function_alias_key', 'text')
    .addColumn('function_parameters', 'text')
    .addColumn('version', 'integer')
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('saved_searches_workspace').on('saved_searches').column('workspace_id').execute();
  // One function per alias in a workspace (NULLs, searches without an alias, do not collide).
  await db.schema.createIndex('saved_searches_alias').on('saved_searches').columns(['workspace_id', 'function_alias_key']).unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('saved_searches').ifExists().execute();
}
