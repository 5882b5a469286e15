// Saved searches (Microsoft.OperationalInsights/workspaces/savedSearches) through ARM: with
// Microsoft's own SDK, bad input named by field, who may read and write them, etags.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { OperationalInsightsManagementClient } from '@azure/arm-operationalinsights';
import { startTestServer, WORLD, ws, type TestServer, userCredential } from './harness.ts';

const F = WORLD.fabrikam;
const FWS = ws(F.subscription, F.rg, F.workspace);
const V = 'api-version=2020-08-01';

let t: TestServer;
let admin: string;
before(async () => {
  t = await startTestServer();
  admin = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
});
after(async () => { await t.close(); });

const put = (id: string, body: object, token = admin, headers: Record<string, string> = {}) =>
  t.request('PUT', `${FWS}/savedSearches/${id}?${V}`, { token, body, headers });
const parser = (alias: string, extra: object = {}) => ({ properties: { category: 'Parsers', displayName: `${alias} parser`, query: 'SecurityEvent | take 1', functionAlias: alias, ...extra } });

const credential = (tenant: string, user: { upn: string; password: string }) => userCredential(t, tenant, user);

test('@azure/arm-operationalinsights savedSearches: createOrUpdate, get, listByWorkspace, delete', async () => {
  const client = new OperationalInsightsManagementClient(credential(F.tenant, WORLD.users.fabrikamAdmin), F.subscription, { endpoint: t.url });
  const created = await client.savedSearches.createOrUpdate(F.rg, F.workspace, 'asim-dns', {
    category: 'ASIM', displayName: 'DNS parser', query: 'SecurityEvent | where EventID == srcport', functionAlias: '_Im_Dns',
    functionParameters: "starttime:datetime=datetime(null), srcport:int = 53, T:(*)", version: 2, tags: [{ name: 'Group', value: 'ASIM' }],
  });
  assert.equal(created.name, 'asim-dns');
  assert.equal(created.type, 'Microsoft.OperationalInsights/savedSearches');
  assert.equal(created.id, `${FWS}/savedSearches/asim-dns`);
  assert.equal(created.functionAlias, '_Im_Dns');
  assert.equal(created.functionParameters, 'starttime:datetime=datetime(null), srcport:int = 53, T:(*)');
  assert.equal(created.version, 2);
  assert.deepEqual(created.tags, [{ name: 'Group', value: 'ASIM' }]);
  assert.ok(created.etag);

  const got = await client.savedSearches.get(F.rg, F.workspace, 'ASIM-DNS');
  assert.equal(got.query, 'SecurityEvent | where EventID == srcport');
  assert.equal(got.etag, created.etag);
  const replaced = await client.savedSearches.createOrUpdate(F.rg, F.workspace, 'asim-dns', { ...got, displayName: 'DNS parser v3', version: 3 });
  assert.equal(replaced.displayName, 'DNS parser v3');
  assert.notEqual(replaced.etag, created.etag);

  await client.savedSearches.createOrUpdate(F.rg, F.workspace, 'plain', { category: 'General', displayName: 'Recent logons', query: 'SecurityEvent | where EventID == 4624' });
  const list = await client.savedSearches.listByWorkspace(F.rg, F.workspace);
  assert.deepEqual(list.value?.map((s) => [s.name, s.functionAlias]), [['asim-dns', '_Im_Dns'], ['plain', undefined]]);

  await client.savedSearches.delete(F.rg, F.workspace, 'asim-dns');
  await client.savedSearches.delete(F.rg, F.workspace, 'asim-dns');
  await assert.rejects(client.savedSearches.get(F.rg, F.workspace, 'asim-dns'), (e: { statusCode?: number }) => e.statusCode === 404);
  await client.savedSearches.delete(F.rg, F.workspace, 'plain');
});

test('bad input is a 400 naming the field: alias, duplicate alias, a table\'s name, parameters, missing properties', async () => {
  assert.equal((await put('first', parser('MyParser'))).status, 200);
  const cases: [object, string, RegExp][] = [
    [parser('1Parser'), 'properties.functionAlias', /'1Parser' is not a function name/],
    [parser('my parser'), 'properties.functionAlias', /not a function name/],
    [parser('myparser'), 'properties.functionAlias', /already the alias of saved search 'first'/],
    [parser('SecurityEvent'), 'properties.functionAlias', /name of a table/],
    [parser('Other', { functionParameters: 'a:strin' }), 'properties.functionParameters', /'strin' is not a type/],
    [parser('Other', { functionParameters: 'a:string, T:(*) = x' }), 'properties.functionParameters', /cannot have a default/],
    [{ properties: { category: 'c', displayName: 'd', query: 'print 1', functionParameters: 'a:int' } }, 'properties.functionParameters', /functionAlias is not/],
    [{ properties: { category: 'c', displayName: 'd' } }, 'properties.query', /query/],
    [{ properties: { displayName: 'd', query: 'print 1' } }, 'properties.category', /category/],
  ];
  for (const [body, target, message] of cases) {
    const res = await put('second', body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.error.target, target, JSON.stringify(res.body));
    assert.match(res.body.error.message, message);
  }
  assert.equal((await t.request('GET', `${FWS}/savedSearches/second?${V}`, { token: admin })).status, 404, 'nothing was saved');
  assert.equal((await put('first', parser('MyParser', { query: 'SecurityEvent | take 2' }))).status, 200, 'a search keeps its own alias');
});

test('etags: a stale etag in the body or in If-Match is refused with 412', async () => {
  const first = await put('etagged', parser('Etagged'));
  assert.equal(first.status, 200);
  assert.equal((await put('etagged', { ...parser('Etagged'), etag: 'stale' })).status, 412);
  assert.equal((await put('etagged', parser('Etagged'), admin, { 'if-match': '"stale"' })).status, 412);
  assert.equal((await put('etagged', { ...parser('Etagged'), etag: first.body.etag })).status, 200);
  assert.equal((await put('etagged', { ...parser('Etagged'), etag: '*' })).status, 200);
});

test('who may read and write them: Sentinel Responder and Log Analytics Reader read, Sentinel Contributor writes, others nothing', async () => {
  await put('shared', parser('Shared'));
  const ana = await t.userToken(WORLD.soc.tenant, WORLD.users.ana.upn, WORLD.users.ana.password);
  const eli = await t.userToken(WORLD.soc.tenant, WORLD.users.eli.upn, WORLD.users.eli.password);
  const lee = await t.userToken(WORLD.soc.tenant, WORLD.users.lee.upn, WORLD.users.lee.password);
  const northwind = await t.userToken(WORLD.northwind.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  assert.equal((await t.request('GET', `${FWS}/savedSearches/shared?${V}`, { token: ana })).status, 200);
  assert.equal((await t.request('GET', `${FWS}/savedSearches?${V}`, { token: ana })).status, 200);
  const denied = await put('by-ana', parser('ByAna'), ana);
  assert.equal(denied.status, 403);
  assert.match(denied.body.error.message, /savedSearches\/write/);
  assert.equal((await put('by-eli', parser('ByEli'), eli)).status, 200, 'delegated Sentinel Contributor');
  for (const token of [lee, northwind]) {
    assert.equal((await t.request('GET', `${FWS}/savedSearches/shared?${V}`, { token })).status, 403);
    assert.equal((await put('intruder', parser('Intruder'), token)).status, 403);
    assert.equal((await t.request('DELETE', `${FWS}/savedSearches/shared?${V}`, { token })).status, 403);
  }
  assert.equal((await t.request('GET', `${FWS}/savedSearches/shared?${V}`, { token: admin })).status, 200, 'still there');
});
