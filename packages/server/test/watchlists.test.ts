// Watchlists (Microsoft.SecurityInsights/watchlists and watchlistItems) through ARM with
// Microsoft's own SDK; bad CSV named by line with nothing saved; _GetWatchlist('alias') through
// the query API, alone and joined with SecurityEvent; who may read, write and query them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SecurityInsights } from '@azure/arm-securityinsight';
import { startTestServer, WORLD, ws, type TestServer, userCredential } from './harness.ts';
import { query, queryToken, queryWorld, upload } from './query-fixtures.ts';

const F = WORLD.fabrikam;
const N = WORLD.northwind;
const FWS = ws(F.subscription, F.rg, F.workspace);
const WATCHLISTS = `${FWS}/providers/Microsoft.SecurityInsights/watchlists`;
const V = 'api-version=2022-09-01-preview';

let t: TestServer;
let admin: string;
let adminQuery: string;
let fabrikamId: string;

before(async () => {
  t = await startTestServer({ environment: queryWorld(), maxBodyBytes: 16 * 1024 * 1024 });
  admin = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  adminQuery = await queryToken(t, F.tenant, WORLD.users.fabrikamAdmin);
  fabrikamId = (await t.request('GET', `${FWS}?api-version=2022-10-01`, { token: admin })).body.properties.customerId;
});
after(async () => { await t.close(); });

const credential = (tenant: string, user: { upn: string; password: string }) => userCredential(t, tenant, user);

const watchlist = (rawContent: string | undefined, extra: Record<string, unknown> = {}) => ({
  properties: { displayName: 'VIP users', provider: 'Fabrikam SOC', itemsSearchKey: 'Account', source: 'vip.csv', ...(rawContent === undefined ? {} : { rawContent, contentType: 'text/csv' }), ...extra },
});
const put = (alias: string, body: object, token = admin) => t.request('PUT', `${WATCHLISTS}/${alias}?${V}`, { token, body });
const kql = async (text: string, token = adminQuery, workspace = fabrikamId, extra: object = {}) => {
  const res = await query(t, token, workspace, { query: text, ...extra });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.tables[0] as { columns: { name: string; type: string }[]; rows: unknown[][] };
};

const VIP_CSV = 'Account,Tier,Note\r\nCONTOSO\\alice,gold,"CEO, since 2020"\r\nCONTOSO\\bob,silver,\r\nCONTOSO\\carol,gold,"said ""hi"""\r\n';

test('@azure/arm-securityinsight watchlists and watchlistItems: create from CSV, get, list, items, delete', async () => {
  const client = new SecurityInsights(credential(F.tenant, WORLD.users.fabrikamAdmin), F.subscription, { endpoint: t.url });
  const created = await client.watchlists.createOrUpdate(F.rg, F.workspace, 'sdk-vip', {
    displayName: 'VIP users', provider: 'Fabrikam SOC', source: 'vip.csv', sourceType: 'Local file', itemsSearchKey: 'Account',
    rawContent: VIP_CSV, contentType: 'text/csv', numberOfLinesToSkip: 0, description: 'Executives', labels: ['vip'], defaultDuration: 'P30D',
  });
  assert.equal(created.name, 'sdk-vip');
  assert.equal(created.id, `${WATCHLISTS}/sdk-vip`);
  assert.equal(created.type, 'Microsoft.SecurityInsights/Watchlists');
  assert.equal(created.watchlistAlias, 'sdk-vip');
  assert.equal(created.itemsSearchKey, 'Account');
  assert.deepEqual(created.labels, ['vip']);
  assert.equal(created.defaultDuration, 'P30D');
  assert.equal(created.tenantId, F.tenant);
  assert.equal(created.createdBy?.email, WORLD.users.fabrikamAdmin.upn);
  assert.ok(created.created instanceof Date);
  assert.match(created.watchlistId ?? '', /^[0-9a-f-]{36}$/);
  assert.ok(created.etag);

  const got = await client.watchlists.get(F.rg, F.workspace, 'SDK-VIP');
  assert.equal(got.etag, created.etag);
  assert.equal(got.description, 'Executives');
  const listed = [];
  for await (const w of client.watchlists.list(F.rg, F.workspace)) listed.push(w.name);
  assert.ok(listed.includes('sdk-vip'), JSON.stringify(listed));

  const items = [];
  for await (const i of client.watchlistItems.list(F.rg, F.workspace, 'sdk-vip')) items.push(i);
  assert.deepEqual(items.map((i) => i.itemsKeyValue), [
    { Account: 'CONTOSO\\alice', Tier: 'gold', Note: 'CEO, since 2020' },
    { Account: 'CONTOSO\\bob', Tier: 'silver', Note: '' },
    { Account: 'CONTOSO\\carol', Tier: 'gold', Note: 'said "hi"' },
  ]);
  const first = items[0]!;
  assert.equal(first.name, first.watchlistItemId);
  assert.equal(first.type, 'Microsoft.SecurityInsights/Watchlists/WatchlistItems');
  assert.equal((await client.watchlistItems.get(F.rg, F.workspace, 'sdk-vip', first.watchlistItemId!)).itemsKeyValue?.Tier, 'gold');

  const newId = '2b7e1f7a-4c1d-4e8e-9a55-1d2c3b4a5f60';
  const added = await client.watchlistItems.createOrUpdate(F.rg, F.workspace, 'sdk-vip', newId, { itemsKeyValue: { Account: 'CONTOSO\\dave', Tier: 'bronze', Note: 'new' } });
  assert.equal(added.watchlistItemId, newId);
  const updated = await client.watchlistItems.createOrUpdate(F.rg, F.workspace, 'sdk-vip', newId, { itemsKeyValue: { Account: 'CONTOSO\\dave', Tier: 'gold', Note: 'promoted' } });
  assert.equal(updated.itemsKeyValue?.Tier, 'gold');
  assert.notEqual(updated.etag, added.etag);
  await client.watchlistItems.delete(F.rg, F.workspace, 'sdk-vip', first.watchlistItemId!);
  await assert.rejects(client.watchlistItems.get(F.rg, F.workspace, 'sdk-vip', first.watchlistItemId!), (e: { statusCode?: number }) => e.statusCode === 404);
  const after = [];
  for await (const i of client.watchlistItems.list(F.rg, F.workspace, 'sdk-vip')) after.push(i.itemsKeyValue?.Account);
  assert.deepEqual(after, ['CONTOSO\\bob', 'CONTOSO\\carol', 'CONTOSO\\dave']);
  // The query sees the same items: the deleted one out, the updated one at its latest.
  const seen = await kql("_GetWatchlist('sdk-vip') | project SearchKey, Tier | sort by SearchKey asc");
  assert.deepEqual(seen.rows, [['CONTOSO\\bob', 'silver'], ['CONTOSO\\carol', 'gold'], ['CONTOSO\\dave', 'gold']]);

  await client.watchlists.delete(F.rg, F.workspace, 'sdk-vip');
  await assert.rejects(client.watchlists.get(F.rg, F.workspace, 'sdk-vip'), (e: { statusCode?: number }) => e.statusCode === 404);
  assert.deepEqual((await kql("_GetWatchlist('sdk-vip') | count")).rows, [[0]], 'a deleted watchlist has no items in KQL');
});

test('bad CSV is a 400 naming every bad line, and nothing is saved: ragged rows, no search key column, empty, an unclosed quote', async () => {
  const cases: [string, RegExp[]][] = [
    ['Account,Tier\nalice,gold\nbob\ncarol,gold,extra\ndave,silver\n', [/2 problem\(s\)/, /line 3: 1 field\(s\) where the header has 2/, /line 4: 3 field\(s\) where the header has 2/]],
    ['User,Tier\nalice,gold\n', [/line 1: the header has no column 'Account', the itemsSearchKey; its columns are 'User', 'Tier'/]],
    ['', [/rawContent is empty/]],
    ['Account,Tier\n', [/no items after it/]],
    ['Account,Tier\nalice,"gold\nbob,silver\n', [/not valid CSV at line 2: a quoted value is never closed/]],
  ];
  for (const [csv, messages] of cases) {
    const res = await put('bad', watchlist(csv));
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'InvalidParameter');
    assert.equal(res.body.error.target, 'properties.rawContent');
    for (const m of messages) assert.match(res.body.error.message, m);
    assert.equal((await t.request('GET', `${WATCHLISTS}/bad?${V}`, { token: admin })).status, 404, `nothing saved for ${JSON.stringify(csv)}`);
  }
  const ragged = await put('bad', watchlist('Account,Tier\nalice,gold\nbob\ncarol,gold,extra\n'));
  assert.deepEqual(ragged.body.error.details.map((d: { message: string }) => d.message.split(':')[0]), ['line 3', 'line 4']);
  // numberOfLinesToSkip counts in the numbering: lines are those of the text as sent.
  const skipped = await put('bad', watchlist('exported 2026-01-01\nAccount,Tier\nalice\n', { numberOfLinesToSkip: 1 }));
  assert.match(skipped.body.error.message, /line 3: 1 field\(s\)/);
  const noType = await put('bad', { properties: { ...watchlist('Account\na\n').properties, contentType: undefined } });
  assert.equal(noType.body.error.target, 'properties.contentType');
  const missing = await put('bad', { properties: { displayName: 'x', provider: 'y' } });
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error.target, 'properties.itemsSearchKey');

  // A replace with bad content keeps the watchlist as it was.
  assert.equal((await put('keep', watchlist('Account,Tier\nalice,gold\n'))).status, 201);
  assert.equal((await put('keep', watchlist('Account,Tier\nbob\n'))).status, 400);
  assert.deepEqual((await kql("_GetWatchlist('keep') | project SearchKey")).rows, [['alice']]);
});

test('_GetWatchlist(alias) in the query API: typed columns, where, a join with SecurityEvent; unknown alias empty; a replace brings its new columns', async () => {
  assert.equal((await put('vip', watchlist(VIP_CSV))).status, 201);
  const gold = await kql("_GetWatchlist('vip') | where Tier == 'gold' | project SearchKey, Account, Tier, Note | sort by SearchKey asc");
  assert.deepEqual(gold.columns, [{ name: 'SearchKey', type: 'string' }, { name: 'Account', type: 'string' }, { name: 'Tier', type: 'string' }, { name: 'Note', type: 'string' }]);
  assert.deepEqual(gold.rows, [['CONTOSO\\alice', 'CONTOSO\\alice', 'gold', 'CEO, since 2020'], ['CONTOSO\\carol', 'CONTOSO\\carol', 'gold', 'said "hi"']]);
  const all = await kql("_GetWatchlist('vip')");
  for (const c of ['_DTItemId', 'LastUpdatedTimeUTC', 'SearchKey', 'Account', 'Tier', 'Note']) assert.ok(all.columns.some((x) => x.name === c), `${c} in ${JSON.stringify(all.columns)}`);
  assert.equal(all.rows.length, 3);

  // SecurityEvent rows through the Logs Ingestion API, joined on the watchlist's SearchKey.
  const dcr = `/subscriptions/${F.subscription}/resourceGroups/${F.rg}/providers/Microsoft.Insights/dataCollectionRules/dcr-security-events`;
  const rule = await t.request('PUT', `${dcr}?api-version=2023-03-11`, {
    token: admin,
    body: { location: 'westeurope', properties: { destinations: { logAnalytics: [{ workspaceResourceId: FWS, name: 'la' }] }, dataFlows: [{ streams: ['Microsoft-SecurityEvent'], destinations: ['la'], outputStream: 'Microsoft-SecurityEvent' }] } },
  });
  assert.equal(rule.status, 201, JSON.stringify(rule.body));
  const now = new Date().toISOString();
  const logon = (account: string) => ({ TimeGenerated: now, Computer: 'dc01', EventID: 4625, Account: account });
  await upload(t, { tenant: F.tenant, appId: '66666666-0000-4000-8000-0000000000f1', secret: 'fabrikam-ingest-secret-0123' }, { immutableId: rule.body.properties.immutableId, stream: 'Microsoft-SecurityEvent' },
    [logon('CONTOSO\\alice'), logon('CONTOSO\\alice'), logon('CONTOSO\\bob'), logon('CONTOSO\\mallory')]);
  const joined = await kql("SecurityEvent | where EventID == 4625 | join kind=inner (_GetWatchlist('vip') | project SearchKey, Tier) on $left.Account == $right.SearchKey | summarize Failures = count() by Account, Tier | sort by Account asc", adminQuery, fabrikamId, { timespan: 'PT1H' });
  assert.deepEqual(joined.rows, [['CONTOSO\\alice', 'gold', 2], ['CONTOSO\\bob', 'silver', 1]]);
  const lookup = await kql("SecurityEvent | lookup kind=leftouter (_GetWatchlist('vip') | project SearchKey, Tier) on $left.Account == $right.SearchKey | where isempty(Tier) | distinct Account");
  assert.deepEqual(lookup.rows, [['CONTOSO\\mallory']]);

  // A query's time range does not hide a watchlist made before it (Sentinel ignores it for
  // watchlists): a rule's 5-minute window a day from now still sees the items.
  const later = Date.now() + 86_400_000;
  const windowed = await kql("_GetWatchlist('vip') | count", adminQuery, fabrikamId, { timespan: `${new Date(later).toISOString()}/${new Date(later + 300_000).toISOString()}` });
  assert.deepEqual(windowed.rows, [[3]]);

  assert.deepEqual((await kql("_GetWatchlist('no-such-list') | count")).rows, [[0]], 'an unknown alias is an empty result, as in Sentinel');
  assert.deepEqual((await kql("_GetWatchlist('VIP') | count")).rows, [[0]], 'the alias is matched exactly, as Sentinel\'s function does (==)');

  // New content replaces the items, with other columns: the workspace's schema is bound anew.
  assert.equal((await put('vip', watchlist('Account,Department\nCONTOSO\\erin,Finance\n'))).status, 200);
  const replaced = await kql("_GetWatchlist('vip') | project SearchKey, Department");
  assert.deepEqual(replaced.rows, [['CONTOSO\\erin', 'Finance']]);
  assert.ok(!(await kql("_GetWatchlist('vip')")).columns.some((c) => c.name === 'Tier'), 'old columns are gone with the old items');
});

test('a watchlist larger than Sentinel\'s 3.8 MB upload is taken, up to the server\'s maxBodyBytes', async () => {
  const lines = ['Ip,Owner,Comment'];
  for (let i = 0, size = 0; size < 5_000_000; i++) {
    lines.push(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255},team-${i % 97},${'x'.repeat(40)}`);
    size += lines.at(-1)!.length + 1;
  }
  const csv = `${lines.join('\n')}\n`;
  assert.ok(csv.length > 3_800_000);
  const res = await put('big', watchlist(csv, { itemsSearchKey: 'Ip' }));
  assert.equal(res.status, 201, JSON.stringify(res.body).slice(0, 500));
  assert.deepEqual((await kql("_GetWatchlist('big') | count")).rows, [[lines.length - 1]]);
  assert.deepEqual((await kql("_GetWatchlist('big') | where SearchKey == '10.0.1.2' | project Owner")).rows, [[`team-${258 % 97}`]]);
});

test('who may read, write and query them: another customer\'s admin nothing, a delegated Responder reads, a delegated Contributor creates', async () => {
  assert.equal((await put('shared', watchlist('Account,Tier\nCONTOSO\\alice,gold\n'))).status, 201);
  const northwind = await t.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  const northwindQuery = await queryToken(t, N.tenant, WORLD.users.northwindAdmin);
  for (const [method, path, body] of [
    ['GET', `${WATCHLISTS}/shared`], ['GET', WATCHLISTS], ['GET', `${WATCHLISTS}/shared/watchlistItems`],
    ['PUT', `${WATCHLISTS}/shared`, watchlist('Account\nx\n')], ['DELETE', `${WATCHLISTS}/shared`],
    ['PUT', `${WATCHLISTS}/shared/watchlistItems/2b7e1f7a-4c1d-4e8e-9a55-1d2c3b4a5f61`, { properties: { itemsKeyValue: { Account: 'x' } } }],
  ] as const) {
    const res = await t.request(method, `${path}?${V}`, { token: northwind, ...(body === undefined ? {} : { body }) });
    assert.equal(res.status, 403, `${method} ${path}: ${JSON.stringify(res.body)}`);
    assert.ok(!JSON.stringify(res.body).includes('CONTOSO'), 'nothing of the watchlist in the answer');
  }
  // Through the query API the workspace is not there for them, and their own has no such list.
  const foreign = await query(t, northwindQuery, fabrikamId, { query: "_GetWatchlist('shared')" });
  assert.equal(foreign.status, 404);
  assert.ok(!JSON.stringify(foreign.body).includes('CONTOSO'));
  const northwindId = (await t.request('GET', `${ws(N.subscription, N.rg, N.workspace)}?api-version=2022-10-01`, { token: northwind })).body.properties.customerId;
  assert.deepEqual((await kql("_GetWatchlist('shared') | count", northwindQuery, northwindId)).rows, [[0]]);
  const crossWorkspace = await query(t, northwindQuery, northwindId, { query: `workspace('${fabrikamId}')._GetWatchlist('shared')` });
  assert.ok(crossWorkspace.status >= 400 && !JSON.stringify(crossWorkspace.body).includes('CONTOSO'), JSON.stringify(crossWorkspace.body));

  // Ana (Sentinel Responder and Log Analytics Reader through the delegation) reads and queries, does not write.
  const ana = await t.userToken(WORLD.soc.tenant, WORLD.users.ana.upn, WORLD.users.ana.password);
  assert.equal((await t.request('GET', `${WATCHLISTS}/shared?${V}`, { token: ana })).status, 200);
  assert.equal((await t.request('GET', `${WATCHLISTS}/shared/watchlistItems?${V}`, { token: ana })).body.value.length, 1);
  const denied = await put('by-ana', watchlist('Account\nx\n'), ana);
  assert.equal(denied.status, 403);
  assert.match(denied.body.error.message, /watchlists\/write/);
  const anaQuery = await queryToken(t, WORLD.soc.tenant, WORLD.users.ana);
  assert.deepEqual((await kql("_GetWatchlist('shared') | project SearchKey, Tier", anaQuery)).rows, [['CONTOSO\\alice', 'gold']]);

  // Eli (Sentinel Contributor through the delegation, an MSSP engineer) creates and deletes.
  const eli = await t.userToken(WORLD.soc.tenant, WORLD.users.eli.upn, WORLD.users.eli.password);
  const byEli = await put('by-eli', watchlist('Account,Tier\nCONTOSO\\frank,gold\n'), eli);
  assert.equal(byEli.status, 201, JSON.stringify(byEli.body));
  assert.equal(byEli.body.properties.createdBy.email, WORLD.users.eli.upn);
  assert.equal(byEli.body.properties.tenantId, F.tenant, 'the watchlist belongs to the customer, whoever made it');
  assert.equal((await t.request('DELETE', `${WATCHLISTS}/by-eli?${V}`, { token: eli })).status, 200);
});

test('items: a GUID id, the search key required, unknown columns and nested values refused', async () => {
  assert.equal((await put('items', watchlist('Account,Tier\nalice,gold\n'))).status, 201);
  const item = (id: string, value: object) => t.request('PUT', `${WATCHLISTS}/items/watchlistItems/${id}?${V}`, { token: admin, body: { properties: { itemsKeyValue: value } } });
  const id = '2b7e1f7a-4c1d-4e8e-9a55-1d2c3b4a5f62';
  const cases: [string, object, string, RegExp][] = [
    ['not-a-guid', { Account: 'x' }, 'watchlistItemId', /is not a GUID/],
    [id, { Tier: 'gold' }, 'properties.itemsKeyValue.Account', /no 'Account', the search key/],
    [id, { Account: 'x', Teir: 'gold' }, 'properties.itemsKeyValue.Teir', /'Teir', not a column of watchlist 'items' \(its columns are 'Account', 'Tier'\)/],
    [id, { Account: 'x', Tier: { level: 1 } }, 'properties.itemsKeyValue.Tier', /is an object/],
  ];
  for (const [itemId, value, target, message] of cases) {
    const res = await item(itemId, value);
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.error.target, target);
    assert.match(res.body.error.message, message);
  }
  const ok = await item(id, { Account: 'bob', Tier: 3 });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.deepEqual(ok.body.properties.itemsKeyValue, { Account: 'bob', Tier: '3' });
  assert.equal((await t.request('PUT', `${WATCHLISTS}/nope/watchlistItems/${id}?${V}`, { token: admin, body: { properties: { itemsKeyValue: { Account: 'x' } } } })).status, 404);
  const badAlias = await put('no spaces', watchlist('Account\nx\n'));
  assert.equal(badAlias.status, 400);
  assert.equal(badAlias.body.error.target, 'watchlistAlias');

  const changedKey = await put('items', watchlist(undefined, { itemsSearchKey: 'Tier' }));
  assert.equal(changedKey.status, 400);
  assert.equal(changedKey.body.error.target, 'properties.itemsSearchKey');
});
