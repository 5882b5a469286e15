import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDbLogStore } from './duckdb-store.ts';
import { workspaceCatalog } from '../log-store.ts';
import { withSystemColumns, findStandardTable, type TableSchema } from '../schema.ts';

let dir: string;
let store: DuckDbLogStore;
const A = '0000000a-0000-4000-8000-000000000001';
const B = '0000000b-0000-4000-8000-000000000002';
const C = '0000000c-0000-4000-8000-000000000003';
before(() => { dir = mkdtempSync(join(tmpdir(), 'vigil-store-')); store = new DuckDbLogStore(dir); });
after(async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); });

const custom = (cols: TableSchema['columns']): TableSchema => withSystemColumns('App_CL', cols, 'custom');
const T0 = 1_714_557_600_000_000n; // 2024-05-01T10:00:00Z in microseconds
/** A table as queries name it. */
const T = (ws: string, table: string) => `"${workspaceCatalog(ws)}".main."${table}"`;
const rows = async (s: DuckDbLogStore, ws: string, sql: string) => (await s.query({ sql, workspaces: [ws] })).rows;

test('a workspace is attached as catalog ws_<id without dashes>', () => {
  assert.equal(workspaceCatalog(A), 'ws_0000000a000040008000000000000001');
});

test('rows land in their own workspace file with every type intact', async () => {
  const table = custom([{ name: 'Msg', type: 'string' }, { name: 'N', type: 'long' }, { name: 'Ok', type: 'bool' }, { name: 'Props', type: 'dynamic' }, { name: 'Id', type: 'guid' }, { name: 'Took', type: 'timespan' }]);
  await store.append(A, [{ table, rows: [{ TimeGenerated: T0, Msg: 'hello', N: 9007199254740993n, Ok: true, Props: '{"a":[1,2]}', Id: '6e2c1c4e-0f4b-4a31-9d2b-2a2c8d1f3b5e', Took: 15_000_000n, TenantId: A, Type: 'App_CL' }] }]);
  const res = await store.query({ sql: `SELECT Msg, N, Ok, Props->>'$.a[1]' AS second, Id::VARCHAR AS id, Took, strftime(TimeGenerated, '%Y-%m-%dT%H:%M:%SZ') AS t FROM ${T(A, 'App_CL')}`, workspaces: [A] });
  assert.deepEqual(res.rows, [['hello', 9007199254740993n, true, '2', '6e2c1c4e-0f4b-4a31-9d2b-2a2c8d1f3b5e', 15_000_000n, '2024-05-01T10:00:00Z']]);
  assert.deepEqual(res.columns.map((c) => c.type), ['VARCHAR', 'BIGINT', 'BOOLEAN', 'VARCHAR', 'VARCHAR', 'BIGINT', 'VARCHAR']);
  assert.equal(res.truncated, undefined);
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
  assert.deepEqual(await rows(store, A, `SELECT Msg, Extra FROM ${T(A, 'App_CL')} ORDER BY Msg`), [['hello', null], ['second', 1.5]]);
});

test('purge removes rows older than the cut-off only', async () => {
  const table = findStandardTable('Syslog')!;
  await store.append(B, [{ table, rows: [{ TimeGenerated: T0 - 86_400_000_000n, SyslogMessage: 'old' }, { TimeGenerated: T0, SyslogMessage: 'new' }] }]);
  assert.equal(await store.purge(B, 'Syslog', T0), 1);
  assert.deepEqual(await rows(store, B, `SELECT SyslogMessage FROM ${T(B, 'Syslog')}`), [['new']]);
});

test('columns differing only in case are stored apart and read back as themselves (AzureDiagnostics clientIP_s / clientIp_s)', async () => {
  const D = '0000000d-0000-4000-8000-000000000004';
  const table = findStandardTable('AzureDiagnostics')!;
  // One row fills only clientIp_s first: the column that arrives first must not take the shared folded name.
  await store.append(D, [{ table, rows: [{ TimeGenerated: T0, clientIp_s: 'firewall only' }] }]);
  await store.append(D, [{ table, rows: [
    { TimeGenerated: T0 + 1n, clientIP_s: '10.0.0.1', clientIp_s: '192.0.2.7' },
    { TimeGenerated: T0 + 2n, clientIP_s: 'gateway only' },
  ] }]);
  // The view presents each under the name storageNames() gives it: what the compiler is told.
  assert.deepEqual(await rows(store, D, `SELECT "clientIP_s~c0", "clientIp_s~40" FROM ${T(D, 'AzureDiagnostics')} ORDER BY TimeGenerated`),
    [[null, 'firewall only'], ['10.0.0.1', '192.0.2.7'], ['gateway only', null]]);
  // The folded name alone reads neither: a reader not told the mapping fails, it is never answered with the other column.
  await assert.rejects(store.query({ sql: `SELECT "clientIp_s" FROM ${T(D, 'AzureDiagnostics')}`, workspaces: [D] }), /clientIp_s/);
  const columns = await store.tableColumns(D, 'AzureDiagnostics');
  assert.ok(columns.includes('clientIP_s') && columns.includes('clientIp_s'), `tableColumns gives exact names: ${columns.join(', ')}`);
  assert.equal(await store.purge(D, 'AzureDiagnostics', T0 + 1n), 1);
  assert.deepEqual(await rows(store, D, `SELECT "clientIP_s~c0", "clientIp_s~40" FROM ${T(D, 'AzureDiagnostics')} ORDER BY TimeGenerated`),
    [['10.0.0.1', '192.0.2.7'], ['gateway only', null]]);
});

test('a custom table that gains a column differing only in case renames the stored one; both read back as themselves, after reopening too', async () => {
  const E = '0000000e-0000-4000-8000-000000000005';
  const before = withSystemColumns('Case_CL', [{ name: 'user_s', type: 'string' }], 'custom');
  await store.append(E, [{ table: before, rows: [{ TimeGenerated: T0, user_s: 'lower' }] }]);
  assert.deepEqual(await rows(store, E, `SELECT user_s FROM ${T(E, 'Case_CL')}`), [['lower']], 'no clash: stored and presented as itself');
  const after = withSystemColumns('Case_CL', [{ name: 'user_s', type: 'string' }, { name: 'User_s', type: 'string' }], 'custom');
  await store.append(E, [{ table: after, rows: [{ TimeGenerated: T0 + 1n, User_s: 'upper', user_s: 'lower again' }] }]);
  const expected = [['lower', null], ['lower again', 'upper']];
  assert.deepEqual(await rows(store, E, `SELECT "user_s~0", "User_s~1" FROM ${T(E, 'Case_CL')} ORDER BY TimeGenerated`), expected);
  await assert.rejects(store.query({ sql: `SELECT user_s FROM ${T(E, 'Case_CL')}`, workspaces: [E] }), /user_s/, 'the old name is gone, not resolved to either column');
  const reopenedDir = dir;
  await store.close();
  store = new DuckDbLogStore(reopenedDir);
  assert.deepEqual((await store.tableColumns(E, 'Case_CL')).filter((c) => /user_s/i.test(c)).sort(), ['User_s', 'user_s']);
  await store.append(E, [{ table: after, rows: [{ TimeGenerated: T0 + 2n, User_s: 'upper 2' }] }]);
  assert.deepEqual(await rows(store, E, `SELECT "user_s~0", "User_s~1" FROM ${T(E, 'Case_CL')} ORDER BY TimeGenerated`), [...expected, [null, 'upper 2']]);
});

test('one statement reads several workspaces: union and join across them', async () => {
  const table = findStandardTable('Syslog')!;
  await store.append(A, [{ table, rows: [{ TimeGenerated: T0, SyslogMessage: 'a1', Computer: 'web', TenantId: A }, { TimeGenerated: T0, SyslogMessage: 'a2', Computer: 'db', TenantId: A }] }]);
  await store.append(B, [{ table, rows: [{ TimeGenerated: T0, SyslogMessage: 'b1', Computer: 'web', TenantId: B }] }]);
  const union = await store.query({
    sql: `SELECT TenantId, count(*) AS n FROM (SELECT * FROM ${T(A, 'Syslog')} UNION ALL BY NAME SELECT * FROM ${T(B, 'Syslog')}) WHERE TenantId IS NOT NULL GROUP BY TenantId ORDER BY TenantId`,
    workspaces: [A, B],
  });
  assert.deepEqual(union.rows, [[A, 2n], [B, 1n]]);
  const joined = await store.query({
    sql: `SELECT a.SyslogMessage, b.SyslogMessage FROM ${T(A, 'Syslog')} a JOIN ${T(B, 'Syslog')} b USING (Computer) WHERE a.Computer = $1 ORDER BY 1, 2`,
    workspaces: [A, B],
    params: ['web'],
  });
  assert.deepEqual(joined.rows, [['a1', 'b1']]);
});

test('files written by the one-engine-per-file layout are read and written as before', async () => {
  const oldDir = mkdtempSync(join(tmpdir(), 'vigil-old-'));
  try {
    const file = join(oldDir, 'workspaces');
    const fresh = new DuckDbLogStore(oldDir); // makes the directory
    await fresh.close();
    const instance = await DuckDBInstance.create(join(file, `${C}.duckdb`));
    const c = await instance.connect();
    await c.run('CREATE SCHEMA data');
    await c.run('CREATE TABLE data."Legacy_CL" ("TimeGenerated" TIMESTAMP, "Msg" VARCHAR)');
    await c.run(`INSERT INTO data."Legacy_CL" VALUES ('2024-05-01 10:00:00', 'from before')`);
    await c.run('CREATE VIEW main."Legacy_CL" AS SELECT "TimeGenerated", "Msg", CAST(NULL AS VARCHAR) AS "TenantId" FROM data."Legacy_CL"');
    c.closeSync();
    instance.closeSync();
    const reopened = new DuckDbLogStore(oldDir);
    try {
      assert.deepEqual(await rows(reopened, C, `SELECT Msg, TenantId FROM ${T(C, 'Legacy_CL')}`), [['from before', null]]);
      const legacy = withSystemColumns('Legacy_CL', [{ name: 'Msg', type: 'string' }], 'custom');
      await reopened.append(C, [{ table: legacy, rows: [{ TimeGenerated: T0, Msg: 'after', TenantId: C }] }]);
      assert.deepEqual(await rows(reopened, C, `SELECT Msg, TenantId FROM ${T(C, 'Legacy_CL')} ORDER BY Msg`), [['after', C], ['from before', null]]);
      assert.deepEqual((await reopened.tableColumns(C, 'Legacy_CL')).slice(0, 4), ['TimeGenerated', 'Msg', 'TenantId', 'Type'], 'columns added after the old ones');
    } finally {
      await reopened.close();
    }
  } finally {
    rmSync(oldDir, { recursive: true, force: true });
  }
});

test('a query attaches only workspaces that have a file: an unknown id creates none', async () => {
  const res = await store.query({ sql: 'SELECT 42', workspaces: [C] });
  assert.deepEqual(res.rows, [[42]]);
  assert.equal(existsSync(join(dir, 'workspaces', `${C}.duckdb`)), false);
  await assert.rejects(store.query({ sql: `SELECT count(*) FROM ${T(C, 'Syslog')}`, workspaces: [C] }), /ws_0000000c/);
  await assert.rejects(store.query({ sql: 'SELECT 1', workspaces: ['../../etc/passwd'] }), /not a workspace id/);
});

test('a query is one SELECT: other statements are refused before they run', async () => {
  for (const sql of [
    `ATTACH '${join(dir, 'workspaces', `${C}.duckdb`)}' AS other`,
    `COPY (SELECT 1) TO '${join(dir, 'workspaces', 'out.csv')}'`,
    `DETACH ${workspaceCatalog(A)}`,
    `DELETE FROM "${workspaceCatalog(A)}".data."App_CL"`,
    `CREATE TABLE "${workspaceCatalog(A)}".data.x (i INT)`,
    'SET threads = 1',
    'INSTALL httpfs',
    'LOAD httpfs',
    'SELECT 1; SELECT 2',
    `USE ${workspaceCatalog(A)}`,
  ]) {
    await assert.rejects(store.query({ sql, workspaces: [A] }), /one SELECT statement/, sql);
  }
  assert.equal(existsSync(join(dir, 'workspaces', 'out.csv')), false);
  assert.equal(existsSync(join(dir, 'workspaces', `${C}.duckdb`)), false);
  assert.equal((await rows(store, A, `SELECT count(*) FROM ${T(A, 'App_CL')}`))[0]![0], 2n, 'nothing was deleted');
});

test('SQL reads no file and no URL outside the workspaces directory', async () => {
  const denied = /Permission Error|disabled by configuration/;
  for (const sql of [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM read_blob('/etc/hostname')",
    "SELECT * FROM glob('/etc/*')",
    `SELECT * FROM read_text('${join(tmpdir(), 'x.txt')}')`,
    "SELECT * FROM read_json('https://example.com/x.json')",
    "SELECT * FROM read_parquet('s3://bucket/x.parquet')",
  ]) {
    await assert.rejects(store.query({ sql, workspaces: [] }), denied, sql);
  }
});

test('the lock-down holds on the instance itself: no file, extension or setting can be reached', async () => {
  // A raw connection to the store's instance, as if a statement got past the one-SELECT check.
  const instance = await (store as unknown as { engine: Promise<DuckDBInstance> }).engine;
  const c = await instance.connect();
  const outside = mkdtempSync(join(tmpdir(), 'vigil-outside-'));
  try {
    const refused = async (sql: string, pattern: RegExp) => { await assert.rejects(c.run(sql), pattern, sql); };
    await refused("SELECT * FROM read_csv('/etc/passwd')", /Permission Error/);
    await refused("SELECT * FROM read_text('/etc/passwd')", /Permission Error/);
    await refused(`ATTACH '${join(outside, 'x.duckdb')}' AS x`, /Permission Error/);
    await refused(`ATTACH '${join(dir, 'workspaces', '..', 'x.duckdb')}' AS x`, /Permission Error/);
    await refused(`COPY (SELECT 1) TO '${join(outside, 'out.csv')}'`, /Permission Error/);
    await refused(`EXPORT DATABASE '${outside}'`, /Permission Error/);
    await refused('INSTALL httpfs', /Permission Error/);
    await refused('LOAD httpfs', /Permission Error|disabled/);
    await refused(`LOAD '${join(outside, 'evil.duckdb_extension')}'`, /Permission Error|disabled/);
    for (const setting of ['enable_external_access = true', 'lock_configuration = false', "allowed_directories = ['/']", "allowed_paths = ['/etc/passwd']",
      'autoload_known_extensions = true', 'autoinstall_known_extensions = true', "memory_limit = '100GB'"]) {
      await refused(`SET ${setting}`, /configuration has been locked/);
    }
    await refused('RESET enable_external_access', /configuration has been locked/);
    assert.equal(existsSync(join(outside, 'x.duckdb')), false);
    assert.equal(existsSync(join(outside, 'out.csv')), false);
    const settings = await c.runAndReadAll("SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', 'lock_configuration', 'autoload_known_extensions', 'autoinstall_known_extensions', 'memory_limit') ORDER BY name");
    assert.deepEqual(settings.getRows(), [
      ['autoinstall_known_extensions', 'false'], ['autoload_known_extensions', 'false'], ['enable_external_access', 'false'], ['lock_configuration', 'true'], ['memory_limit', '953.6 MiB'],
    ]);
  } finally {
    c.closeSync();
    rmSync(outside, { recursive: true, force: true });
  }
  // Workspaces created after the lock are still attached (their files are in the allowed directory).
  const D = '0000000d-0000-4000-8000-000000000004';
  await store.append(D, [{ table: findStandardTable('Syslog')!, rows: [{ TimeGenerated: T0, SyslogMessage: 'after the lock' }] }]);
  assert.deepEqual(await rows(store, D, `SELECT SyslogMessage FROM ${T(D, 'Syslog')}`), [['after the lock']]);
  await store.dropWorkspace(D);
});

test('allowedDirectories opens further directories to SQL', async () => {
  const extra = mkdtempSync(join(tmpdir(), 'vigil-extra-'));
  const extraDir = mkdtempSync(join(tmpdir(), 'vigil-extra-store-'));
  const withExtra = new DuckDbLogStore(extraDir, { allowedDirectories: [extra] });
  try {
    writeFileSync(join(extra, 'ips.csv'), 'ip,tag\n10.0.0.1,scanner\n');
    const sql = `SELECT ip, tag FROM read_csv('${join(extra, 'ips.csv')}')`;
    assert.deepEqual((await withExtra.query({ sql, workspaces: [] })).rows, [['10.0.0.1', 'scanner']]);
    await assert.rejects(store.query({ sql, workspaces: [] }), /Permission Error/, 'not without the option');
  } finally {
    await withExtra.close();
    rmSync(extra, { recursive: true, force: true });
    rmSync(extraDir, { recursive: true, force: true });
  }
});

test('maxRows stops reading early: a result far too large to materialise returns its first rows', async () => {
  const started = Date.now();
  const res = await store.query({ sql: 'SELECT range AS n FROM range(10000000000)', workspaces: [], maxRows: 500_000 });
  assert.equal(res.rows.length, 500_000);
  assert.equal(res.truncated, 'rows');
  assert.deepEqual(res.rows[499_999], [499_999n]);
  assert.deepEqual(res.columns, [{ name: 'n', type: 'BIGINT' }]);
  assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
  const exact = await store.query({ sql: 'SELECT range FROM range(3)', workspaces: [], maxRows: 3 });
  assert.equal(exact.rows.length, 3);
  assert.equal(exact.truncated, undefined, 'exactly maxRows rows is not truncated');
});

test('maxBytes stops once the rows read exceed about that many bytes', async () => {
  const res = await store.query({ sql: "SELECT repeat('x', 1000) AS s, range AS n FROM range(1000000000)", workspaces: [], maxBytes: 100_000 });
  assert.equal(res.truncated, 'bytes');
  assert.ok(res.rows.length >= 90 && res.rows.length <= 100, `${res.rows.length} rows`);
  const small = await store.query({ sql: "SELECT 'x'", workspaces: [], maxBytes: 100_000 });
  assert.equal(small.truncated, undefined);
});

const SLOW = 'SELECT sum(hash(range)) FROM range(100000000000)';

test('timeoutMs interrupts a query: QueryTimeout', async () => {
  const started = Date.now();
  await assert.rejects(store.query({ sql: SLOW, workspaces: [A], timeoutMs: 300 }), (e: Error) => e.name === 'QueryTimeout');
  assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  assert.deepEqual(await rows(store, A, 'SELECT 1'), [[1]], 'the store goes on');
});

test('cancel(queryId) interrupts a query: QueryCancelled; an unknown id is nothing', async () => {
  const running = store.query({ sql: SLOW, workspaces: [A, B], queryId: 'q1' });
  await assert.rejects(store.query({ sql: 'SELECT 1', workspaces: [], queryId: 'q1' }), /already running/);
  await new Promise((r) => setTimeout(r, 200));
  const started = Date.now();
  await store.cancel('q1');
  assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  await assert.rejects(running, (e: Error) => e.name === 'QueryCancelled');
  await store.cancel('q1');
  await store.cancel('nothing-like-it');
  // Cancelled before it even reached DuckDB.
  const early = store.query({ sql: SLOW, workspaces: [A], queryId: 'q2' });
  await store.cancel('q2');
  await assert.rejects(early, (e: Error) => e.name === 'QueryCancelled');
  assert.deepEqual((await store.query({ sql: 'SELECT 2', workspaces: [], queryId: 'q1' })).rows, [[2]], 'the id is free again');
});

test('dropping a workspace stops its queries, detaches and deletes its file', async () => {
  const running = assert.rejects(
    store.query({ sql: `SELECT sum(hash(range)) FROM range(100000000000), ${T(B, 'Syslog')}`, workspaces: [B] }),
    (e: Error) => e.name === 'QueryCancelled');
  await new Promise((r) => setTimeout(r, 200));
  await store.dropWorkspace(B);
  await running;
  assert.equal(existsSync(join(dir, 'workspaces', `${B}.duckdb`)), false);
  assert.equal(existsSync(join(dir, 'workspaces', `${B}.duckdb.wal`)), false);
  await assert.rejects(store.query({ sql: `SELECT * FROM ${T(B, 'Syslog')}`, workspaces: [B] }), /ws_0000000b/);
  await store.append(B, [{ table: findStandardTable('Syslog')!, rows: [{ TimeGenerated: T0, SyslogMessage: 'anew' }] }]);
  assert.deepEqual(await rows(store, B, `SELECT SyslogMessage FROM ${T(B, 'Syslog')}`), [['anew']], 'a new file from scratch');
});

test('idle workspaces are detached and attached again on the next use, with their data', async () => {
  const idleDir = mkdtempSync(join(tmpdir(), 'vigil-idle-'));
  const idle = new DuckDbLogStore(idleDir, { idleMs: 1_000 });
  const attached = async () => (await idle.query({ sql: "SELECT database_name FROM duckdb_databases() WHERE database_name LIKE 'ws_%' ORDER BY 1", workspaces: [] })).rows.map((r) => r[0]);
  try {
    const table = findStandardTable('Syslog')!;
    await idle.append(A, [{ table, rows: [{ TimeGenerated: T0, SyslogMessage: 'before' }] }]);
    await idle.append(B, [{ table, rows: [{ TimeGenerated: T0, SyslogMessage: 'other' }] }]);
    assert.equal(idle.openWorkspaces(), 2);
    assert.equal(idle.closeIdle(Date.now()), 0, 'just used: kept open');
    const running = idle.query({ sql: `SELECT count(*) FROM ${T(A, 'Syslog')}`, workspaces: [A] });
    assert.equal(idle.closeIdle(Date.now() + 5_000), 1, 'B is closed; A has a query running and stays');
    await running;
    assert.equal(idle.closeIdle(Date.now() + 5_000), 1);
    assert.equal(idle.openWorkspaces(), 0);
    // closeIdle() takes them out at once and detaches in the background: wait for that to land.
    let left = await attached();
    for (let i = 0; i < 100 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      left = await attached();
    }
    assert.deepEqual(left, [], 'both files are detached');
    await idle.append(A, [{ table, rows: [{ TimeGenerated: T0, SyslogMessage: 'after' }] }]);
    assert.deepEqual(await rows(idle, A, `SELECT SyslogMessage FROM ${T(A, 'Syslog')} ORDER BY SyslogMessage`), [['after'], ['before']]);
    assert.deepEqual(await rows(idle, B, `SELECT SyslogMessage FROM ${T(B, 'Syslog')}`), [['other']], 'a query attaches an existing file again');
    assert.deepEqual(await attached(), [workspaceCatalog(A), workspaceCatalog(B)]);
  } finally {
    await idle.close();
    rmSync(idleDir, { recursive: true, force: true });
  }
});

test('a closed store refuses work', async () => {
  const closedDir = mkdtempSync(join(tmpdir(), 'vigil-closed-'));
  const closing = new DuckDbLogStore(closedDir);
  await closing.close();
  await assert.rejects(closing.query({ sql: 'SELECT 1', workspaces: [] }), /closed/);
  await assert.rejects(closing.tables(A), /closed/);
  rmSync(closedDir, { recursive: true, force: true });
});
