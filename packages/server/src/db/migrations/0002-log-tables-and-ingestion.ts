// Log tables, data collection endpoints and rules, workspace shared keys, ingestion counters.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('log_tables')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.customer_id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('columns', 'text', (c) => c.notNull())
    .addColumn('retention_days', 'integer')
    .addColumn('total_retention_days', 'integer')
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('log_tables_workspace').on('log_tables').column('workspace_id').execute();

  await db.schema.alterTable('workspaces').addColumn('primary_shared_key', 'text').execute();
  await db.schema.alterTable('workspaces').addColumn('secondary_shared_key', 'text').execute();

  for (const table of ['data_collection_endpoints', 'data_collection_rules']) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subscription_id', 'text', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
      .addColumn('resource_group_id', 'text', (c) => c.notNull().references('resource_groups.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('location', 'text', (c) => c.notNull())
      .addColumn('immutable_id', 'text', (c) => c.notNull().unique())
      .addColumn('properties', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('etag', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  }

  // Rows and bytes per workspace, table and hour: the Usage table and billing are built on it.
  await db.schema
    .createTable('usage_hourly')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('hour', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    // Set once the hour's row is written to the workspace's Usage table.
    .addColumn('materialized_at', 'text')
    .addPrimaryKeyConstraint('usage_hourly_pk', ['workspace_id', 'table_name', 'hour'])
    .execute();

  // Per source of data (a connector's receiver, a DCR, the Data Collector API): events, bytes,
  // drops per day and the last event time, shown as the data connector's status.
  await db.schema
    .createTable('ingestion_stats')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('dropped', 'integer', (c) => c.notNull())
    .addColumn('last_event_at', 'text')
    .addPrimaryKeyConstraint('ingestion_stats_pk', ['workspace_id', 'source', 'day'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['ingestion_stats', 'usage_hourly', 'data_collection_rules', 'data_collection_endpoints', 'log_tables']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  await db.schema.alterTable('workspaces').dropColumn('secondary_shared_key').execute();
  await db.schema.alterTable('workspaces').dropColumn('primary_shared_key').execute();
}
