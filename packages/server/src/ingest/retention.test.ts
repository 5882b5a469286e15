import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openDatabase, type OpenedDatabase } from '../db/database.ts';
import { DuckDbLogStore } from '../logstore/duckdb/duckdb-store.ts';
import { workspaceCatalog } from '../logstore/log-store.ts';
import { applyEnvironmentText } from '../bootstrap/apply-environment.ts';
import { findStandardTable, withSystemColumns } from '../logstore/schema.ts';
import { runRetention } from './retention.ts';

let dir: string;
let opened: OpenedDatabase;
let store: DuckDbLogStore;
const NOW = new Date('2026-11-27T12:00:00Z');
const WS = '77777777-0000-4000-8000-000000000001';
const T = (table: string) => `"${workspaceCatalog(WS)}".main."${table}"`;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-retention-'));
  opened = await openDatabase(':memory:');
  store = new DuckDbLogStore(dir);
  await applyEnvironmentText(opened.db, `directories:
  - name: d
    displayName: D
    domain: d.example
    subscriptions:
      - name: s
        providers: [Microsoft.OperationalInsights]
        resourceGroups: [{ name: rg, workspaces: [{ name: ws-ret, customerId: ${WS}, retentionInDays: 30 }] }]
`);
});
after(async () => { await store.close(); await opened.close(); rmSync(dir, { recursive: true, force: true }); });

const daysAgo = (d: number) => (BigInt(NOW.getTime()) - BigInt(d) * 86_400_000n) * 1000n;

test('rows older than the workspace retention are purged; a table\'s own retention wins', async () => {
  const syslog = findStandardTable('Syslog')!;
  const custom = withSystemColumns('Keep_CL', [{ name: 'X', type: 'string' }], 'custom');
  await store.append(WS, [
    { table: syslog, rows: [{ TimeGenerated: daysAgo(31), SyslogMessage: 'old' }, { TimeGenerated: daysAgo(29), SyslogMessage: 'recent' }] },
    { table: custom, rows: [{ TimeGenerated: daysAgo(31), X: 'kept by its table retention' }, { TimeGenerated: daysAgo(400), X: 'too old even for it' }] },
  ]);
  await opened.db.insertInto('log_tables').values({ id: `${WS}/keep_cl`, workspace_id: WS, name: 'Keep_CL', kind: 'custom', columns: JSON.stringify([{ name: 'X', type: 'string' }]), retention_days: 90, total_retention_days: 365, plan: 'Analytics', etag: 'e', created_at: NOW.toISOString(), updated_at: NOW.toISOString() }).execute();
  const results = await runRetention({ db: opened.db, logStore: store, now: () => NOW, log: pino({ level: 'silent' }) });
  assert.deepEqual(results.map((r) => [r.table, r.retentionDays, r.deleted]).sort(), [['Keep_CL', 365, 1], ['Syslog', 30, 1]]);
  assert.deepEqual((await store.query({ sql: `SELECT SyslogMessage FROM ${T('Syslog')}`, workspaces: [WS] })).rows, [['recent']]);
  assert.deepEqual((await store.query({ sql: `SELECT X FROM ${T('Keep_CL')}`, workspaces: [WS] })).rows, [['kept by its table retention']]);
});
