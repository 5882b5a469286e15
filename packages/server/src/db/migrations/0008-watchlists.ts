// Sentinel watchlists (Microsoft.SecurityInsights/watchlists) and their items; and the outbox of
// Watchlist table rows (one per change of an item), appended to the workspace's log store after
// the change commits here, so a stop between the two loses no row.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('watchlists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.customer_id').onDelete('cascade'))
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('watchlist_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('source_type', 'text')
    .addColumn('description', 'text')
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('default_duration', 'text')
    .addColumn('items_search_key', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text')
    .addColumn('number_of_lines_to_skip', 'integer', (c) => c.notNull())
    .addColumn('columns', 'text', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('watchlists_workspace').on('watchlists').column('workspace_id').execute();

  await db.schema
    .createTable('watchlist_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('watchlist_id', 'text', (c) => c.notNull().references('watchlists.id').onDelete('cascade'))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('items_key_value', 'text', (c) => c.notNull())
    .addColumn('entity_mapping', 'text', (c) => c.notNull())
    .addColumn('search_key', 'text', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('watchlist_items_watchlist').on('watchlist_items').columns(['watchlist_id', 'seq']).execute();

  await db.schema
    .createTable('watchlist_outbox')
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.customer_id').onDelete('cascade'))
    .addColumn('record', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('watchlist_outbox_workspace').on('watchlist_outbox').columns(['workspace_id', 'seq']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('watchlist_outbox').ifExists().execute();
  await db.schema.dropTable('watchlist_items').ifExists().execute();
  await db.schema.dropTable('watchlists').ifExists().execute();
}
