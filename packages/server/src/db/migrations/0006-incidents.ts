// Incidents (Microsoft.SecurityInsights/incidents) and their comments. An incident's number is
// unique within its workspace; alerts point at the incident that groups them (alerts.incident_id).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.customer_id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('classification', 'text')
    .addColumn('classification_reason', 'text')
    .addColumn('classification_comment', 'text')
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('rule_ids', 'text', (c) => c.notNull())
    .addColumn('tactics', 'text', (c) => c.notNull())
    .addColumn('grouping_key', 'text')
    .addColumn('first_activity', 'text')
    .addColumn('last_activity', 'text')
    .addColumn('provider_name', 'text', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema.createIndex('incidents_number').on('incidents').columns(['workspace_id', 'number']).unique().execute();
  await db.schema.createIndex('incidents_grouping').on('incidents').columns(['workspace_id', 'grouping_key', 'created_at']).execute();

  await db.schema
    .createTable('incident_comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_comments_incident').on('incident_comments').column('incident_id').execute();
  await db.schema.createIndex('alerts_incident').on('alerts').column('incident_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('incident_comments').ifExists().execute();
  await db.schema.dropTable('incidents').ifExists().execute();
}
