// The Log Analytics query API over HTTPS: value forms, timespans, the three ways to name the
// workspace, Prefer, errors in Log Analytics' shape, $batch, result limits, saved functions
// and the schema cache. Data arrives through the Logs Ingestion API, as customers send it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, WORLD, ws, type TestServer } from './harness.ts';
import { customTable, INGEST, query, queryToken, queryWorld, upload } from './query-fixtures.ts';

const F = WORLD.fabrikam;
const FWS = ws(F.subscription, F.rg, F.workspace);
const NOW = Date.now();
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

let t: TestServer;
let small: TestServer;
let admin: string;
let token: string;
let workspaceId: string;

const ROWS = [
  { TimeGenerated: ago(10), Computer: 'dc01', EventID: 4625, Bytes: '9007199254740993', Score: 1.5, Success: false, Props: { user: 'bob', tags: ['a', 1] }, Session: '6e2c1c4e-0f4b-4a31-9d2b-2a2c8d1f3b5e' },
  { TimeGenerated: ago(20), Computer: 'web02', EventID: 4624, Bytes: 17, Score: 0.25, Success: true, Props: null, Session: null },
  { TimeGenerated: ago(180), Computer: 'dc01', EventID: 4624, Bytes: 3, Score: 2, Success: true, Props: { user: 'eve' }, Session: null },
  { TimeGenerated: ago(2 * 24 * 60), Computer: 'old01', EventID: 1102, Bytes: 1, Score: 0, Success: true, Props: [], Session: null },
];

before(async () => {
  [t, small] = await Promise.all([
    startTestServer({ environment: queryWorld() }),
    startTestServer({ environment: queryWorld(), config: { queryMaxRows: 3, queryMaxBytes: 400 } }),
  ]);
  for (const server of [t, small]) {
    const owner = await server.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
    await upload(server, INGEST.fabrikam, await customTable(server, owner, F, 'AppEvents_CL'), ROWS);
  }
  admin = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  token = await queryToken(t, F.tenant, WORLD.users.fabrikamAdmin);
  workspaceId = (await t.request('GET', `${FWS}?api-version=2025-07-01`, { token: admin })).body.properties.customerId;
});
after(async () => { await Promise.all([t?.close(), small?.close()]); });

/** The raw response text: JSON.parse would round a long beyond 2^53. */
async function raw(server: TestServer, path: string, body: object, headers: Record<string, string> = {}, bearer = token) {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

test('every KQL type in Log Analytics\' value form', async () => {
  const res = await raw(t, `/v1/workspaces/${workspaceId}/query`, {
    query: 'datatable(d:datetime, l:long, i:int, r:real, b:bool, t:timespan, g:guid, dy:dynamic, s:string) ['
      + 'datetime(2024-01-02T03:04:05.123Z), 9007199254740993, 4625, 1.5, true, time(1.02:03:04.5), guid(6e2c1c4e-0f4b-4a31-9d2b-2a2c8d1f3b5e), dynamic({"a":[1,2]}), "x",'
      + 'datetime(null), long(null), int(null), real(null), bool(null), timespan(null), guid(null), dynamic(null), ""]',
  });
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  assert.equal(res.text, '{"tables":[{"name":"PrimaryResult","columns":['
    + '{"name":"d","type":"datetime"},{"name":"l","type":"long"},{"name":"i","type":"int"},{"name":"r","type":"real"},{"name":"b","type":"bool"},'
    + '{"name":"t","type":"timespan"},{"name":"g","type":"guid"},{"name":"dy","type":"dynamic"},{"name":"s","type":"string"}],"rows":['
    + '["2024-01-02T03:04:05.123Z",9007199254740993,4625,1.5,true,"1.02:03:04.5000000","6e2c1c4e-0f4b-4a31-9d2b-2a2c8d1f3b5e","{\\"a\\":[1,2]}","x"],'
    + '[null,null,null,null,null,null,null,null,""]]}]}');
});

test('rows sent through the Logs Ingestion API come back typed, TenantId the workspace id', async () => {
  const res = await raw(t, `/v1/workspaces/${workspaceId}/query`, {
    query: 'AppEvents_CL | where EventID == 4625 | take 5 | project Computer, EventID, Bytes, Score, Success, Props, Session, TenantId, Type',
    timespan: 'P1D',
  });
  assert.equal(res.status, 200, res.text);
  assert.ok(res.text.includes(`["dc01",4625,9007199254740993,1.5,false,"{\\"user\\":\\"bob\\",\\"tags\\":[\\"a\\",1]}","6e2c1c4e-0f4b-4a31-9d2b-2a2c8d1f3b5e","${workspaceId}","AppEvents_CL"]`), res.text);
  const counted = await query(t, token, workspaceId, { query: 'AppEvents_CL | summarize n = count() by Computer | sort by Computer asc' });
  assert.deepEqual(counted.body.tables[0].columns, [{ name: 'Computer', type: 'string' }, { name: 'n', type: 'long' }]);
  assert.deepEqual(counted.body.tables[0].rows, [['dc01', 2], ['old01', 1], ['web02', 1]]);
});

test('union * reads every table of the workspace: the standard ones (empty here) and its custom tables', async () => {
  const started = Date.now();
  const res = await query(t, token, workspaceId, { query: 'union withsource=Table * | summarize Rows = count() by Table', timespan: 'P7D' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  // AppEvents_CL's rows of the last 7 days; no other table of this workspace has rows.
  assert.deepEqual(res.body.tables[0].rows, [['AppEvents_CL', 4]]);
  const wildcard = await query(t, token, workspaceId, { query: 'union withsource=Table App*, SecurityEvent | summarize Rows = count() by Table', timespan: 'P7D' });
  assert.deepEqual(wildcard.body.tables[0].rows, [['AppEvents_CL', 4]]);
  console.log(`# union * over every table of the workspace answered in ${Date.now() - started} ms`);
});

test('timespan restricts TimeGenerated: durations and the three interval forms', async () => {
  const count = async (timespan: string | undefined) => {
    const res = await query(t, token, workspaceId, { query: 'AppEvents_CL | count', ...(timespan === undefined ? {} : { timespan }) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.tables[0].rows[0][0];
  };
  assert.equal(await count(undefined), 4);
  assert.equal(await count('PT1H'), 2);
  assert.equal(await count('P1D'), 3);
  assert.equal(await count('P7DT12H'), 4);
  assert.equal(await count(`${ago(30)}/${ago(15)}`), 1, 'start/end');
  assert.equal(await count(`${ago(200)}/PT4H`), 3, 'start/duration');
  assert.equal(await count(`PT12M/${ago(5)}`), 1, 'duration/end');
  const bad = await query(t, token, workspaceId, { query: 'AppEvents_CL | count', timespan: 'yesterday' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'BadArgumentError');
  assert.match(bad.body.error.message, /timespan 'yesterday'/);
});

test('the timespan restricts the tables of toscalar() and `in (subquery)` too', async () => {
  const res = await query(t, token, workspaceId, {
    query: 'print inHour = toscalar(AppEvents_CL | count), dc01 = toscalar(AppEvents_CL | where Computer in ((AppEvents_CL | where EventID == 4625 | project Computer)) | count)',
    timespan: 'PT1H',
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  // Of the four rows, two are within the hour; of those, dc01's one.
  assert.deepEqual(res.body.tables[0].rows, [[2, 1]]);
});

test('the workspace by id (any case), by name, or resource-centric; POST and GET; with and without /v1', async () => {
  const q = encodeURIComponent('AppEvents_CL | count');
  const forms: [string, string][] = [
    ['POST', `/v1/workspaces/${workspaceId.toUpperCase()}/query`],
    ['POST', `/v1/workspaces/${F.workspace}/query`],
    ['POST', `/workspaces/${workspaceId}/query`],
    ['GET', `/v1/workspaces/${workspaceId}/query?query=${q}&timespan=P1D`],
    ['POST', `/v1${FWS}/query`],
    ['POST', `/v1/${FWS.toUpperCase().replace('/SUBSCRIPTIONS', '/subscriptions')}/query`],
    ['GET', `/v1${FWS}/query?query=${q}&timespan=P1D`],
    ['POST', `${FWS}/query`],
  ];
  for (const [method, path] of forms) {
    const res = await t.request(method, path, { token, ...(method === 'POST' ? { body: { query: 'AppEvents_CL | count', timespan: 'P1D' } } : {}) });
    assert.equal(res.status, 200, `${method} ${path}: ${JSON.stringify(res.body)}`);
    assert.deepEqual(res.body.tables[0].rows, [[3]], `${method} ${path}`);
  }
});

test('Prefer: statistics and render on request, wait capped, Preference-Applied says what was honoured', async () => {
  const plain = await query(t, token, workspaceId, { query: 'AppEvents_CL | summarize count() by Computer | render piechart' });
  assert.equal(plain.body.statistics, undefined);
  assert.equal(plain.body.render, undefined);
  assert.equal(plain.headers.get('preference-applied'), null);
  const res = await query(t, token, workspaceId, { query: 'AppEvents_CL | summarize count() by Computer | render piechart with (title="Logons by computer", ymin=0, legend=hidden)' },
    { prefer: 'wait=9999,include-statistics=true,include-render=true' });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('preference-applied'), 'wait=600,include-statistics=true,include-render=true');
  assert.deepEqual(res.body.render, { visualization: 'piechart', title: 'Logons by computer', ymin: 0, legend: 'hidden' });
  const stats = res.body.statistics.query;
  assert.equal(typeof stats.executionTime, 'number');
  assert.match(stats.resourceUsage.cpu['total cpu'], /^\d\d:\d\d:\d\d(\.\d{7})?$/);
  assert.deepEqual(stats.datasetStatistics[0].tableRowCount, 3);
});

test('errors in Log Analytics\' shape: syntax and semantic errors with code, line, column and token; unsupported KQL; bad bodies', async () => {
  const syntax = await query(t, token, workspaceId, { query: 'AppEvents_CL\n| take 1\n| foo' });
  assert.equal(syntax.status, 400);
  assert.equal(syntax.body.error.code, 'BadArgumentError');
  assert.match(syntax.body.error.correlationId, /^[0-9a-f-]{36}$/);
  assert.equal(syntax.headers.get('x-ms-correlation-request-id'), syntax.body.error.correlationId);
  const inner = syntax.body.error.innererror;
  assert.equal(inner.code, 'SyntaxError');
  assert.deepEqual([inner.line, inner.pos, inner.token], [3, 3, 'foo']);
  assert.match(inner.innererror.code, /^(KS|VQ)\d+$/);
  assert.match(syntax.body.error.message, /line 3, column 3/);

  const semantic = await query(t, token, workspaceId, { query: 'AppEvents_CL | where NoSuchColumn > 1' });
  assert.equal(semantic.status, 400);
  assert.equal(semantic.body.error.innererror.code, 'SemanticError');
  assert.equal(semantic.body.error.innererror.token, 'NoSuchColumn');
  assert.deepEqual([semantic.body.error.innererror.line, semantic.body.error.innererror.pos], [1, 22]);

  // The python plugin: valid KQL that Vigil will not run.
  const unsupported = await query(t, token, workspaceId, { query: "AppEvents_CL | evaluate python(typeof(*), 'result = df')" });
  assert.equal(unsupported.status, 400);
  assert.equal(unsupported.body.error.innererror.code, 'UnsupportedError');
  assert.match(unsupported.body.error.innererror.innererror.code, /^VQ\d+$/);
  assert.ok(unsupported.body.error.innererror.innererror.hint, 'the hint travels');

  for (const body of [{}, { query: '' }, { query: 5 }, { query: 'print 1', workspaces: 'ws-fabrikam' }]) {
    const res = await query(t, token, workspaceId, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.error.code, 'BadArgumentError');
    assert.match(res.body.error.message, /query|workspaces/);
  }
});

test('no token, or a path the API does not have: 401 and 404 in Log Analytics\' shape', async () => {
  const anonymous = await t.request('POST', `/v1/workspaces/${workspaceId}/query`, { body: { query: 'print 1' } });
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.body.error.code, 'AuthenticationFailed');
  assert.ok(anonymous.body.error.correlationId);
  assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer /);
  const nowhere = await t.request('POST', `/v1/workspaces/${workspaceId}/search`, { token, body: { query: 'print 1' } });
  assert.equal(nowhere.status, 404);
  assert.equal(nowhere.body.error.code, 'PathNotFoundError');
});

test('$batch: answers in the order of the requests, each with its own status, Prefer and errors', async () => {
  const res = await t.request('POST', '/v1/$batch', {
    token,
    body: { requests: [
      { id: 'a', body: { query: 'AppEvents_CL | count', timespan: 'P1D' }, path: '/query', method: 'POST', workspace: workspaceId },
      { id: 'b', headers: { Prefer: 'include-statistics=true' }, body: { query: 'AppEvents_CL | count', timespan: 'PT1H' }, path: '/query', method: 'POST', workspace: F.workspace },
      { id: 'c', body: { query: 'AppEvents_CL | where' }, path: '/query', method: 'POST', workspace: workspaceId },
      { id: 'd', body: { query: 'print 1' }, path: '/query', method: 'POST', workspace: '00000000-0000-4000-8000-0000000000ff' },
      { id: 'e', body: { query: 'print 1' }, path: '/metadata', method: 'POST', workspace: workspaceId },
    ] },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const r = res.body.responses;
  assert.deepEqual(r.map((x: any) => [x.id, x.status]), [['a', 200], ['b', 200], ['c', 400], ['d', 404], ['e', 404]]);
  assert.deepEqual(r[0].body.tables[0].rows, [[3]]);
  assert.deepEqual(r[1].body.tables[0].rows, [[2]]);
  assert.ok(r[1].body.statistics);
  assert.equal(r[1].headers['preference-applied'], 'include-statistics=true');
  assert.equal(r[2].body.error.innererror.code, 'SyntaxError');
  assert.equal(r[3].body.error.code, 'WorkspaceNotFoundError');
  assert.equal(r[4].body.error.code, 'PathNotFoundError');
  const empty = await t.request('POST', '/v1/$batch', { token, body: { requests: [] } });
  assert.equal(empty.status, 400);
  assert.equal(empty.body.error.code, 'BadArgumentError');
});

test('results past the row or byte limit are partial: 200, the rows that fit, and PartialError', async () => {
  const stoken = await queryToken(small, F.tenant, WORLD.users.fabrikamAdmin);
  const sid = (await small.request('GET', `${FWS}?api-version=2025-07-01`, { token: await small.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password) })).body.properties.customerId;
  const byRows = await query(small, stoken, sid, { query: 'AppEvents_CL | project Computer | sort by Computer asc' });
  assert.equal(byRows.status, 200);
  assert.deepEqual(byRows.body.tables[0].rows, [['dc01'], ['dc01'], ['old01']]);
  assert.equal(byRows.body.error.code, 'PartialError');
  assert.equal(byRows.body.error.details[0].code, 'EngineError');
  assert.match(byRows.body.error.details[0].message, /record count limit 3 records.*truncated/);
  const byBytes = await query(small, stoken, sid, { query: 'AppEvents_CL | take 3' });
  assert.equal(byBytes.status, 200);
  assert.ok(byBytes.body.tables[0].rows.length < 3, `${byBytes.body.tables[0].rows.length} rows`);
  assert.match(byBytes.body.error.details[0].message, /data size limit 400 bytes.*truncated/);
  const fits = await query(small, stoken, sid, { query: 'AppEvents_CL | count' });
  assert.equal(fits.body.error, undefined);
});

test('a table with no rows yet reads as empty with its columns; its first rows are seen at once', async () => {
  await customTable(t, admin, F, 'Later_CL');
  const before = await query(t, token, workspaceId, { query: 'Later_CL | project Computer, EventID' });
  assert.equal(before.status, 200, JSON.stringify(before.body));
  assert.deepEqual(before.body.tables[0], { name: 'PrimaryResult', columns: [{ name: 'Computer', type: 'string' }, { name: 'EventID', type: 'int' }], rows: [] });
  const rule = (await t.request('GET', `/subscriptions/${F.subscription}/resourceGroups/${F.rg}/providers/Microsoft.Insights/dataCollectionRules/dcr-later-cl?api-version=2023-03-11`, { token: admin })).body;
  await upload(t, INGEST.fabrikam, { immutableId: rule.properties.immutableId, stream: 'Custom-Later' }, [{ TimeGenerated: ago(1), Computer: 'new01', EventID: 1 }]);
  const afterRows = await query(t, token, workspaceId, { query: 'Later_CL | project Computer, EventID' });
  assert.deepEqual(afterRows.body.tables[0].rows, [['new01', 1]]);
});

test('saved searches with a function alias are functions of the workspace; changes apply to the next query', async () => {
  const put = (id: string, properties: object) => t.request('PUT', `${FWS}/savedSearches/${id}?api-version=2020-08-01`, { token: admin, body: { properties } });
  assert.equal((await put('failed-logons', { category: 'Parsers', displayName: 'Failed logons', query: 'AppEvents_CL | where EventID == 4625', functionAlias: 'FailedLogons' })).status, 200);
  assert.equal((await put('by-computer', {
    category: 'Parsers', displayName: 'Events of a computer', query: 'AppEvents_CL | where Computer == computer | take n', functionAlias: 'EventsOf', functionParameters: 'computer:string, n:int = 10',
  })).status, 200);
  const called = await query(t, token, workspaceId, { query: 'FailedLogons | project Computer' });
  assert.equal(called.status, 200, JSON.stringify(called.body));
  assert.deepEqual(called.body.tables[0].rows, [['dc01']]);
  const withParams = await query(t, token, workspaceId, { query: 'EventsOf("dc01", 5) | count' });
  assert.equal(withParams.status, 200, JSON.stringify(withParams.body));
  assert.deepEqual(withParams.body.tables[0].rows, [[2]]);

  await put('failed-logons', { category: 'Parsers', displayName: 'Failed logons', query: 'AppEvents_CL | where EventID in (4625, 4624)', functionAlias: 'FailedLogons' });
  assert.deepEqual((await query(t, token, workspaceId, { query: 'FailedLogons | count' })).body.tables[0].rows, [[3]]);
  assert.equal((await t.request('DELETE', `${FWS}/savedSearches/failed-logons?api-version=2020-08-01`, { token: admin })).status, 200);
  const gone = await query(t, token, workspaceId, { query: 'FailedLogons | count' });
  assert.equal(gone.status, 400);
  assert.equal(gone.body.error.innererror.code, 'SemanticError');
});

test('a saved function\'s parameter default applies when the caller leaves it out', async () => {
  const put = await t.request('PUT', `${FWS}/savedSearches/take-n?api-version=2020-08-01`, {
    token: admin, body: { properties: { category: 'Parsers', displayName: 'Take n', query: 'AppEvents_CL | take n', functionAlias: 'TakeSome', functionParameters: 'n:int = 2' } },
  });
  assert.equal(put.status, 200);
  const res = await query(t, token, workspaceId, { query: 'TakeSome() | count' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.tables[0].rows, [[2]]);
});

test('evaluate bag_unpack without a schema: the columns come from the workspace\'s data', async () => {
  const res = await query(t, token, workspaceId, { query: 'AppEvents_CL | where isnotnull(Props) and Props has "user" | project Computer, Props | evaluate bag_unpack(Props) | sort by user asc' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const body = res.body as { tables: { columns: { name: string; type: string }[]; rows: unknown[][] }[] };
  const columns = body.tables[0]!.columns.map((c) => c.name);
  assert.deepEqual(columns.slice(0, 1), ['Computer']);
  assert.ok(columns.includes('user') && columns.includes('tags'), columns.join());
  const user = columns.indexOf('user');
  assert.deepEqual(body.tables[0]!.rows.map((r) => r[user]), ['bob', 'eve']);
});

test('evaluate pivot without a schema: the columns are the values found in the workspace\'s data', async () => {
  const res = await query(t, token, workspaceId, { query: 'AppEvents_CL | where TimeGenerated > ago(1d) | evaluate pivot(Computer, count())' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const table = (res.body as { tables: { columns: { name: string; type: string }[]; rows: unknown[][] }[] }).tables[0]!;
  assert.deepEqual(table.columns.map((c) => `${c.name}:${c.type}`), ['dc01:long', 'web02:long']);
  assert.deepEqual(table.rows, [[2, 1]]);
});
