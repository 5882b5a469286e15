// Automation a rule run owes: written in the run's transaction, deleted once the automation has
// run, and run at start for any left behind (a stop between the run's commit and its automation).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pending_automation')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.customer_id').onDelete('cascade'))
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pending_automation').ifExists().execute();
}
