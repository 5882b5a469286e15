import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openDatabase, type OpenedDatabase } from '../db/database.ts';
import { DuckDbLogStore } from '../logstore/duckdb/duckdb-store.ts';
import { workspaceCatalog } from '../logstore/log-store.ts';
import { findStandardTable } from '../logstore/schema.ts';
import { Ingestor } from './ingestor.ts';
import { typeRows } from './type-rows.ts';
import { materializeUsage } from './usage.ts';

let dir: string;
let opened: OpenedDatabase;
let store: DuckDbLogStore;
let clock = new Date('2026-11-27T10:15:00Z');
const WS = '88888888-0000-4000-8000-000000000001';
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-usage-'));
  opened = await openDatabase(':memory:');
  store = new DuckDbLogStore(dir);
});
after(async () => { await store.close(); await opened.close(); rmSync(dir, { recursive: true, force: true }); });

test('each closed hour becomes one Usage row per table, in MB, once', async () => {
  const ingestor = new Ingestor(store, opened.db, pino({ level: 'silent' }), () => clock);
  const syslog = findStandardTable('Syslog')!;
  const rows = (n: number) => typeRows(syslog, Array.from({ length: n }, (_, i) => ({ SyslogMessage: `m${i}` })), { workspaceId: WS, receivedAt: clock, bytes: n * 100 });
  await ingestor.write(WS, syslog, rows(10), 'test', 1_500_000);
  await ingestor.write(WS, syslog, rows(5), 'test', 500_000);
  assert.equal(await materializeUsage({ db: opened.db, logStore: store, now: () => clock }), 0, 'the hour is not over yet');
  clock = new Date('2026-11-27T11:01:00Z');
  assert.equal(await materializeUsage({ db: opened.db, logStore: store, now: () => clock }), 1);
  assert.equal(await materializeUsage({ db: opened.db, logStore: store, now: () => clock }), 0, 'written once');
  const usage = await store.query({ sql: `SELECT DataType, Quantity, QuantityUnit, IsBillable, strftime(StartTime, '%H:%M'), strftime(EndTime, '%H:%M') FROM "${workspaceCatalog(WS)}".main."Usage"`, workspaces: [WS] });
  assert.deepEqual(usage.rows, [['Syslog', 2, 'MBytes', true, '10:00', '11:00']]);
});
