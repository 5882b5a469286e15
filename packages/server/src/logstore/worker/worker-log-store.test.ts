import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerLogStore } from './worker-log-store.ts';
import { workspaceCatalog } from '../log-store.ts';
import { findStandardTable } from '../schema.ts';

let dir: string;
let store: WorkerLogStore;
const A = '0000000a-0000-4000-8000-000000000001';
const B = '0000000b-0000-4000-8000-000000000002';
const T0 = 1_714_557_600_000_000n;
const SLOW = 'SELECT sum(hash(range)) FROM range(100000000000)';
before(() => { dir = mkdtempSync(join(tmpdir(), 'vigil-worker-')); store = new WorkerLogStore(dir); });
after(async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); });

test('queries cross the thread with their options; truncation and values come back', async () => {
  const table = findStandardTable('Syslog')!;
  await store.append(A, [{ table, rows: [{ TimeGenerated: T0, SyslogMessage: 'a', TenantId: A }] }]);
  await store.append(B, [{ table, rows: [{ TimeGenerated: T0, SyslogMessage: 'b', TenantId: B }] }]);
  const res = await store.query({
    sql: `SELECT SyslogMessage, TimeGenerated FROM "${workspaceCatalog(A)}".main."Syslog" UNION ALL SELECT SyslogMessage, TimeGenerated FROM "${workspaceCatalog(B)}".main."Syslog" ORDER BY 1`,
    workspaces: [A, B],
    maxRows: 1,
  });
  assert.deepEqual(res, { columns: [{ name: 'SyslogMessage', type: 'VARCHAR' }, { name: 'TimeGenerated', type: 'TIMESTAMP' }], rows: [['a', new Date('2024-05-01T10:00:00Z')]], truncated: 'rows' });
});

test('cancel reaches the store thread while a query runs there; errors keep their names', async () => {
  const running = assert.rejects(store.query({ sql: SLOW, workspaces: [A], queryId: 'w1' }), (e: Error) => e.name === 'QueryCancelled');
  await new Promise((r) => setTimeout(r, 200));
  await store.cancel('w1');
  await running;
  await assert.rejects(store.query({ sql: SLOW, workspaces: [], timeoutMs: 200 }), (e: Error) => e.name === 'QueryTimeout');
  assert.deepEqual((await store.query({ sql: 'SELECT 1', workspaces: [] })).rows, [[1]]);
});
