// Opens the control-plane database in the data directory and brings its schema up to date.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './schema.ts';
import * as m0001 from './migrations/0001-control-plane.ts';
import * as m0002 from './migrations/0002-log-tables-and-ingestion.ts';
import * as m0003 from './migrations/0003-saved-searches.ts';
import * as m0004 from './migrations/0004-analytics-rules.ts';
import * as m0005 from './migrations/0005-alerts.ts';
import * as m0006 from './migrations/0006-incidents.ts';
import * as m0007 from './migrations/0007-automation.ts';
import * as m0008 from './migrations/0008-watchlists.ts';
import * as m0009 from './migrations/0009-pending-automation.ts';

export type Db = Kysely<Database>;

// Migrations are imported statically (not read from a folder) so that they ship with the
// code that depends on them and run the same under tsx, tests and a bundled build.
const MIGRATIONS: Record<string, Migration> = {
  '0001-control-plane': m0001,
  '0002-log-tables-and-ingestion': m0002,
  '0003-saved-searches': m0003,
  '0004-analytics-rules': m0004,
  '0005-alerts': m0005,
  '0006-incidents': m0006,
  '0007-automation': m0007,
  '0008-watchlists': m0008,
  '0009-pending-automation': m0009,
};

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

/** The data directory is from a newer Vigil: refused before anything is changed. */
export class NewerDataDirectoryError extends Error {}

export interface OpenedDatabase {
  db: Db;
  close(): Promise<void>;
}

/** Opens (creating if needed) `control.sqlite` in `dataDir`, or an in-memory database for ':memory:'. */
export async function openDatabase(dataDir: string | ':memory:'): Promise<OpenedDatabase> {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, 'control.sqlite');
  }
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  // Migrations are numbered by engineers working side by side, and one may land after a higher
  // number already ran on a data directory (0008 landed after 0009): it then runs late rather
  // than the directory being refused. So a migration must not depend on a higher-numbered one.
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider(), allowUnorderedMigrations: true });
  // A directory a newer Vigil has written holds migrations this version does not know: say so,
  // rather than Kysely's "corrupted migrations", and change nothing.
  const hasLog = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'").get() !== undefined;
  const unknown = hasLog ? (sqlite.prepare('SELECT name FROM kysely_migration').all() as { name: string }[]).map((r) => r.name).filter((name) => !(name in MIGRATIONS)) : [];
  if (unknown.length > 0) {
    await db.destroy();
    throw new NewerDataDirectoryError(`The data directory ${dataDir} was written by a newer version of Vigil (its database has migration${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}, which this version does not know). Run the newer version, or restore a backup taken with this one; nothing was changed.`);
  }
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    await db.destroy();
    throw new Error(`Could not bring the control-plane database at ${file} up to date${failed ? ` (migration ${failed.migrationName} failed)` : ''}: ${String(error)}`);
  }
  return { db, close: () => db.destroy() };
}

/** Runs `fn` in a transaction, joining the caller's when `db` already is one (Kysely does not nest). */
export async function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
