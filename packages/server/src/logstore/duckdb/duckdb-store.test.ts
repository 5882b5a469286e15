import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbLogStore } from './duckdb-store.ts';
import { withSystemColumns, findStandardTable, type TableSchema } from '../schema.ts';

let dir: string;
let store: DuckDbLogStore;
const A = '0000000a-0000-4000-8000-000000000001';
const B = '0000000b-0000-4000-8000-000000000002';
before(() => { dir = mkdtempSync(join(tmpdir(), 'vigil-store-')); store = new DuckDbLogStore(dir); });
after(async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); });

const custom = (cols: TableSchema['columns']): TableSchema => withSystemColumns('App_CL', cols, 'custom');
const T0 = 1_714_557_600_000_000n; // 2024-05-01T10:00:00Z in microseconds

test('rows land in their own workspace file with every type intact', async () => {
  const table = custom([{ name: 'Msg', type: 'string' }, { name: 'N', type: 'long' }, { name: 'Ok', type: 'bool' }, { name: 'Props', type: 'dynamic' }, { name: 'Id', type: 'guid' }, { name: 'Took', type: 'timespan' }]);
  await store.append(A, [{ table, rows: [{ TimeGenerated: T0, Msg: 'hello', N: 9007199254740993n, Ok: true, Props: '{"a":[1,2]}', Id: '6e2c1c4e-0f4b-4a31-9d2b-2a2c8d1f3b5e', Took: 15_000_000n, TenantId: A, Type: 'App_CL' }] }]);
  const res = await store.query(A, 'SELECT Msg, N, Ok, Props->>\'$.a[1]\' AS second, Id::VARCHAR AS id, Took, strftime(TimeGenerated, \'%Y-%m-%dT%H:%M:%SZ\') AS t FROM App_CL');
  assert.deepEqual(res.rows, [['hello', 9007199254740993n, true, '2', '6e2c1c4e-0f4b-4a31-9d2b-2a2c8d1f3b5e', 15_000_000n, '2024-05-01T10:00:00Z']]);
  assert.ok(existsSync(join(dir, 'workspaces', `${A}.duckdb`)));
  assert.deepEqual(await store.tables(B), [], 'the other workspace has nothing');
});

test('a batch across tables commits together or not at all', async () => {
  const good = findStandardTable('Syslog')!;
  const bad = custom([{ name: 'N', type: 'int' }]);
  await assert.rejects(store.append(B, [
    { table: good, rows: [{ TimeGenerated: T0, SyslogMessage: 'kept?' }] },
    { table: bad, rows: [{ TimeGenerated: T0, N: 'not a number' as unknown as number }] },
  ]));
  const tables = await store.tables(B);
  assert.equal(tables.find((t) => t.name === 'Syslog')?.rows ?? 0, 0, 'nothing of the failed batch is visible');
});

test('custom tables gain columns; old rows read null in them', async () => {
  await store.append(A, [{ table: custom([{ name: 'Msg', type: 'string' }, { name: 'Extra', type: 'real' }]), rows: [{ TimeGenerated: T0, Msg: 'second', Extra: 1.5 }] }]);
  const res = await store.query(A, 'SELECT Msg, Extra FROM App_CL ORDER BY Msg');
  assert.deepEqual(res.rows, [['hello', null], ['second', 1.5]]);
});

test('purge removes rows older than the cut-off only', async () => {
  const table = findStandardTable('Syslog')!;
  await store.append(B, [{ table, rows: [{ TimeGenerated: T0 - 86_400_000_000n, SyslogMessage: 'old' }, { TimeGenerated: T0, SyslogMessage: 'new' }] }]);
  assert.equal(await store.purge(B, 'Syslog', T0), 1);
  assert.deepEqual((await store.query(B, 'SELECT SyslogMessage FROM Syslog')).rows, [['new']]);
});

test('dropping a workspace deletes its file', async () => {
  await store.dropWorkspace(B);
  assert.equal(existsSync(join(dir, 'workspaces', `${B}.duckdb`)), false);
});

test('idle engines are closed and reopen on the next use, with their data', async () => {
  const idleDir = mkdtempSync(join(tmpdir(), 'vigil-idle-'));
  const idle = new DuckDbLogStore(idleDir, { idleMs: 1_000 });
  try {
    const table = findStandardTable('Syslog')!;
    await idle.append(A, [{ table, rows: [{ TimeGenerated: T0, SyslogMessage: 'before' }] }]);
    await idle.append(B, [{ table, rows: [{ TimeGenerated: T0, SyslogMessage: 'other' }] }]);
    assert.equal(idle.openWorkspaces(), 2);
    assert.equal(idle.closeIdle(Date.now()), 0, 'just used: kept open');
    const running = idle.query(A, 'SELECT count(*) FROM Syslog');
    assert.equal(idle.closeIdle(Date.now() + 5_000), 1, 'B is closed; A has a query running and stays');
    await running;
    assert.equal(idle.closeIdle(Date.now() + 5_000), 1);
    assert.equal(idle.openWorkspaces(), 0);
    await idle.append(A, [{ table, rows: [{ TimeGenerated: T0, SyslogMessage: 'after' }] }]);
    assert.deepEqual((await idle.query(A, 'SELECT SyslogMessage FROM Syslog ORDER BY SyslogMessage')).rows, [['after'], ['before']]);
  } finally {
    await idle.close();
    rmSync(idleDir, { recursive: true, force: true });
  }
});
