// Alerts raised by analytics rules. The control plane keeps them (incidents group them, and the
// SecurityAlert row is appended to the workspace's log store from here, as an outbox: a run's
// alerts and its run record commit together, and an alert not yet appended is appended after a
// restart).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.customer_id').onDelete('cascade'))
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('window_end', 'text', (c) => c.notNull())
    .addColumn('time_generated', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('entities', 'text', (c) => c.notNull())
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('appended', 'integer', (c) => c.notNull())
    .addColumn('incident_id', 'text')
    .execute();
  await db.schema.createIndex('alerts_rule_time').on('alerts').columns(['rule_id', 'time_generated']).execute();
  await db.schema.createIndex('alerts_pending').on('alerts').column('appended').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('alerts').ifExists().execute();
}
