import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { NewerDataDirectoryError, openDatabase } from './database.ts';

test('a data directory a newer Vigil migrated is refused, naming the unknown migration, and left as it was', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-db-'));
  try {
    const first = await openDatabase(dir);
    await first.close();
    const raw = new SQLite(join(dir, 'control.sqlite'));
    raw.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run('9999-from-the-future', new Date().toISOString());
    const before = raw.prepare('SELECT count(*) AS n FROM kysely_migration').get() as { n: number };
    raw.close();
    await assert.rejects(openDatabase(dir), (e: unknown) => e instanceof NewerDataDirectoryError && /written by a newer version of Vigil/.test(e.message) && e.message.includes('9999-from-the-future'));
    const again = new SQLite(join(dir, 'control.sqlite'));
    assert.deepEqual(again.prepare('SELECT count(*) AS n FROM kysely_migration').get(), before);
    again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
