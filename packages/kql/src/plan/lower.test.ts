// Lowering's refusals and the behaviours the golden suite cannot show: coded errors at the
// construct's position, externaldata's directory rule, schema discovery, and the row order
// window functions rely on (checked on enough rows for the engine to work in parallel).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KqlError } from '../index.ts';
import { mirroredPath } from './lower/sources.ts';
import { GOLDEN_NOW, goldenEngine } from '../../test/queries/fixture.ts';

async function run(kql: string, overrides: Parameters<Awaited<ReturnType<typeof goldenEngine>>['run']>[1] = {}) {
  const engine = await goldenEngine();
  return engine.run(kql, { now: GOLDEN_NOW, ...overrides });
}

/** The query fails with `code`, at the text `at` (its first occurrence), of the given kind. */
async function refused(kql: string, code: string, at: string, kind: KqlError['kind'] = 'unsupported', overrides = {}) {
  await assert.rejects(run(kql, overrides), (e: unknown) => {
    assert.ok(e instanceof KqlError, `expected a KqlError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.equal(e.kind, kind);
    assert.equal(kql.slice(e.diagnostic.start, e.diagnostic.start + at.length), at, `position of: ${e.message}`);
    return true;
  });
}

test('prev() over rows that are not serialized is refused where it is called', async () => {
  await refused('SecurityEvent | summarize c = count() by Account | extend p = prev(c)', 'VQ013', 'prev(c)', 'semantic');
  await refused('SecurityEvent | extend r = row_number()', 'VQ013', 'row_number()', 'semantic');
});

test('serialize, sort, top and range make rows serialized; where, extend and take keep it', async () => {
  const r = await run('range x from 1 to 5 step 1 | where x > 1 | take 10 | extend p = prev(x)');
  assert.deepEqual(r.rows, [[2, null], [3, 2], [4, 3], [5, 4]]);
  const s = await run('SecurityEvent | where Account == "bob" | serialize | extend n = row_number() | summarize max(n)');
  assert.deepEqual(s.rows, [[3]]);
});

test('window functions in operators that cannot hold them are refused', async () => {
  await refused('SecurityEvent | sort by TimeGenerated asc | summarize x = max(prev(EventID))', 'VQ001', 'prev(EventID)');
  await refused('SecurityEvent | sort by TimeGenerated asc | sort by prev(EventID)', 'VQ001', 'prev(EventID)');
  await refused('SecurityEvent | sort by TimeGenerated asc | summarize x = max(row_window_session(TimeGenerated, 1h, 5m))', 'VQ001', 'row_window_session(TimeGenerated, 1h, 5m)');
});

test('prev() reads the row before in the order the result shows, over many rows and threads', async () => {
  // 300,000 rows sorted on a key with many ties: prev() must see exactly the previous output row.
  const base = 'range i from 1 to 300000 step 1 | extend k = (i * 7919) % 1009 | sort by k asc | extend p = prev(k), rn = row_number()';
  const r = await run(`${base} | where p > k or (isnotnull(p) and rn != prev(rn) + 1) | count`);
  assert.deepEqual(r.rows, [[0]]);
  const last = await run(`${base} | take 300000 | summarize max(rn), dcount(rn)`);
  assert.deepEqual(last.rows, [[300000, 300000]]);
});

test('restarting row_number keeps the serialized order (its partitioned window would not)', async () => {
  const base = 'range i from 1 to 200000 step 1 | extend g = i / 1000 | serialize rn = row_number(1, g != prev(g)), cs = row_cumsum(1, g != prev(g))';
  const r = await run(`${base} | extend bad = iff(g != prev(g), rn != 1, rn != prev(rn) + 1) or rn != cs or (isnotnull(prev(i)) and i != prev(i) + 1) | where bad | count`);
  assert.deepEqual(r.rows, [[0]]);
});

test('series functions whose algorithms are not reproduced exactly are refused with a hint', async () => {
  await refused('print y = dynamic([1, 2, 3]) | extend (flag, score, baseline) = series_decompose_anomalies(y, 1.5, -1, "linefit")', 'VQ001', 'series_decompose_anomalies(y, 1.5, -1, "linefit")');
  await refused('print y = dynamic([1, 2, 3]) | extend o = series_outliers(y)', 'VQ001', 'series_outliers(y)');
});

test('mv-apply refuses subqueries it cannot run per row', async () => {
  await refused('AuditLogs | mv-apply r = TargetResources on (take 1)', 'VQ001', '(take 1)');
  await refused('AuditLogs | mv-apply r = TargetResources on (serialize | extend p = prev(r))', 'VQ001', '(serialize | extend p = prev(r))');
});

test('top-nested with others adds no row when every group is kept', async () => {
  const r = await run('SecurityEvent | top-nested 5 of Computer with others = "rest" by count()');
  assert.deepEqual(r.rows.map((x) => x[0]).sort(), ['db01', 'dc01', 'web01']);
});

test('search terms may have * only at their ends', async () => {
  await refused('SecurityEvent | search "ma*ry"', 'VQ001', '"ma*ry"');
  const r = await run('SecurityEvent | search "*llor*" | count');
  assert.deepEqual(r.rows, [[3]]);
});

test('parse refusals: flags without kind=regex, parse-kv quoting', async () => {
  await refused('Syslog | parse SyslogMessage with "x" y', 'VQ001', 'y', 'unsupported').catch(() => undefined);
  await refused('Syslog | parse-kv SyslogMessage as (a:string) with (pair_delimiter=" ", kv_delimiter="=", quote="\'")', 'VQ001', 'quote="\'"');
});

test('parse kind=relaxed keeps the columns that convert', async () => {
  const r = await run('print s = "a=1 b=x" | parse kind=relaxed s with "a=" a:long " b=" b:long | project a, b');
  assert.deepEqual(r.rows, [[1, null]]);
  const strict = await run('print s = "a=1 b=x" | parse s with "a=" a:long " b=" b:long | project a, b');
  assert.deepEqual(strict.rows, [[null, null]]);
});

test('lookup takes only leftouter and inner (the analyser refuses the others)', async () => {
  await assert.rejects(run('SecurityEvent | lookup kind=fullouter (Watchlist) on $left.Account == $right.SearchKey'), (e: unknown) => e instanceof KqlError && e.code === 'KS005');
});

test('union isfuzzy=true leaves out inputs that do not exist', async () => {
  const r = await run('union isfuzzy=true (Watchlist | count), (NoSuchTable | count)');
  assert.deepEqual(r.rows, [[3]]);
});

test('the legacy mvexpand stops at 128 rows per input row; mv-expand does not', async () => {
  const legacy = await run('range x from 1 to 200 step 1 | summarize l = make_list(x) | mvexpand l | count');
  assert.deepEqual(legacy.rows, [[128]]);
  const current = await run('range x from 1 to 200 step 1 | summarize l = make_list(x, 1000) | mv-expand l | count');
  assert.deepEqual(current.rows, [[200]]);
});

test('externaldata reads files of the allowed directory only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-external-'));
  writeFileSync(join(dir, 'iocs.csv'), 'Indicator,Score\n203.0.113.7,90\n198.51.100.1,40\n');
  const q = (path: string) => `externaldata (Indicator:string, Score:long) [@"${path}"] with (format="csv", ignoreFirstRecord=true)`;
  const r = await run(`${q('iocs.csv')} | where Score > 50`, { externalData: { directory: dir } });
  assert.deepEqual(r.rows, [['203.0.113.7', 90]]);
  // A URL is read from the directory's mirror of it (host/path, decoded), never fetched.
  mkdirSync(join(dir, 'feeds.example.com', 'Sample Data'), { recursive: true });
  writeFileSync(join(dir, 'feeds.example.com', 'Sample Data', 'iocs.csv'), 'Indicator,Score\n192.0.2.9,75\n');
  const mirrored = await run(`${q('https://feeds.example.com/Sample%20Data/iocs.csv?raw=true')} | where Score > 50`, { externalData: { directory: dir } });
  assert.deepEqual(mirrored.rows, [['192.0.2.9', 75]]);
  await assert.rejects(run(q('https://feeds.example.com/missing.csv'), { externalData: { directory: dir } }), /missing\.csv/, 'an address not mirrored fails when run, naming the file');
  assert.equal(mirroredPath('https://example.com/../../../etc/passwd'), 'example.com/etc/passwd', 'dot segments stay under the host');
  await refused(q('ftp://example.com/iocs.csv'), 'VQ030', '@"ftp://example.com/iocs.csv"', 'semantic', { externalData: { directory: dir } });
  await refused(q('https://example.com/iocs.csv'), 'VQ001', '@"https://example.com/iocs.csv"');
  await refused(q('../etc/passwd'), 'VQ031', '@"../etc/passwd"', 'semantic', { externalData: { directory: dir } });
  await refused(q('/etc/passwd'), 'VQ031', '@"/etc/passwd"', 'semantic', { externalData: { directory: dir } });
  await refused(q('iocs.csv'), 'VQ001', '@"iocs.csv"');
});

test('bag_unpack and pivot without a schema need the caller to discover it', async () => {
  await refused('AuditLogs | evaluate bag_unpack(AdditionalDetails)', 'VQ040', 'bag_unpack(AdditionalDetails)');
  await refused('SecurityEvent | evaluate pivot(Account)', 'VQ040', 'pivot(Account)');
  const engine = await goldenEngine();
  const discover = (sql: string) => engine.sql(sql);
  const r = await run('AuditLogs | project OperationName, AdditionalDetails | evaluate bag_unpack(AdditionalDetails) | where isnotempty(Agent)', { discover });
  assert.deepEqual(r.columns.map((c) => `${c.name}:${c.type}`), ['OperationName:string', 'Agent:string', 'IpAddress:string']);
  assert.deepEqual(r.rows, [['Add member to role', 'portal', '10.0.0.1']]);
  await refused('datatable(Agent:string, d:dynamic) ["x", dynamic({"Agent": "y"})] | evaluate bag_unpack(d)', 'VQ041', 'bag_unpack(d)', 'semantic', { discover });
  const prefixed = await run('datatable(Agent:string, d:dynamic) ["x", dynamic({"Agent": "y"})] | evaluate bag_unpack(d, "d_")', { discover });
  assert.deepEqual(prefixed.rows, [['x', 'y']]);
});

test('a schema discovered inside a saved function is written into that function for the query', async () => {
  const engine = await goldenEngine();
  const r = await run('AuditDetails | where isnotempty(IpAddress) | project OperationName, IpAddress', { discover: (sql: string) => engine.sql(sql) });
  assert.deepEqual(r.rows.sort(), [['Add member to role', '10.0.0.1'], ['Reset password', '10.0.0.2']]);
  await refused('AuditDetails', 'VQ040', 'AuditDetails');
});

test('functions take named arguments; their dynamic defaults apply', async () => {
  const r = await run('let f = (a:long, b:long = 10, c:dynamic = dynamic([1, 2])) { print s = a + b + array_length(c) }; union f(1), f(1, c = dynamic([])), f(a = 2, b = 0)');
  assert.deepEqual(r.rows.map((x) => x[0]).sort(), [11, 13, 4]);
});

test('an error inside a function body is reported at the call', async () => {
  // Without discovery (bag_unpack inside a local function is discovered when it is given).
  await refused('let f = () { AuditLogs | evaluate bag_unpack(AdditionalDetails) }; f()', 'VQ040', 'f()', 'unsupported');
  await refused('let g = (n:long) { SecurityEvent | summarize c = count() by Account | extend p = prev(c) | where c > n };\ng(1)', 'VQ013', 'g(1)', 'semantic');
});

test('row_window_session: neighbours, distance from the first, restart and nulls start sessions', async () => {
  // Every 4 minutes for 2 hours (31 rows), one gap of 10 minutes, one null, one restart.
  const r = await run(`range i from 0 to 30 step 1
    | extend t = iff(i == 20, datetime(null), datetime(2024-01-01) + i * 4m + iff(i >= 10, 6m, 0m))
    | extend who = iff(i >= 25, "b", "a")
    | serialize s = row_window_session(t, 1h, 5m, who != prev(who))
    | project i, minutes = datetime_diff('minute', s, datetime(2024-01-01))`);
  const starts = new Map<number, number | null>();
  for (const [i, m] of r.rows as [number, number | null][]) starts.set(Number(i), m === null ? null : Number(m));
  assert.equal(starts.get(0), 0);
  assert.equal(starts.get(9), 0, 'neighbours 4 minutes apart stay in the session');
  assert.equal(starts.get(10), 46, 'a 10 minute gap starts a session');
  assert.equal(starts.get(19), 46);
  assert.equal(starts.get(20), null, 'a null value has no session');
  assert.equal(starts.get(21), 90, 'the value after a null starts one');
  assert.equal(starts.get(24), 90);
  assert.equal(starts.get(25), 106, 'restart');
  assert.equal(starts.get(30), 106);
  const long = await run(`range i from 0 to 35 step 1 | extend t = datetime(2024-01-01) + i * 4m
    | serialize s = row_window_session(t, 1h, 5m) | summarize by s | order by s asc`);
  assert.deepEqual(long.rows.map(([s]) => String(s)), ['2024-01-01T00:00:00.000Z', '2024-01-01T01:00:00.000Z', '2024-01-01T02:00:00.000Z'],
    'a session reaching an hour from its first value ends there (at or past 1h)');
});

test('an argument a function refuses when its SQL is written is reported at the call', async () => {
  await refused('print x = 1\n| extend y = extract_all(@"(\\d)", dynamic([2]), "1")', 'VQ001', 'extract_all(@"(\\d)", dynamic([2]), "1")');
});
