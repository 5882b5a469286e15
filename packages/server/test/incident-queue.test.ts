// The multi-workspace incident queue and bulk changes: an MSSP analyst sees every customer's
// incidents in their Directory + subscription selection, each with its directory and workspace,
// filtered, sorted and paged on the server; changes many at once where their role allows, each
// change authorized and audited in the customer's own activity log; a revoked delegation drops
// that customer from the next request; a customer sees only its own.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, WORLD, ws, type TestServer } from './harness.ts';

const F = WORLD.fabrikam;
const N = WORLD.northwind;
const QUEUE = '/providers/Vigil.SecurityInsights/incidents';
const VV = 'api-version=2025-01-01';
const V = 'api-version=2022-09-01-preview';
const incidents = (c: { subscription: string; rg: string; workspace: string }) => `${ws(c.subscription, c.rg, c.workspace)}/providers/Microsoft.SecurityInsights/incidents`;

let t: TestServer;
let ana: string;
let anaId: string;
before(async () => {
  t = await startTestServer();
  const fab = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  const nw = await t.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  for (const [token, c, n, severity] of [[fab, F, 'f1', 'High'], [fab, F, 'f2', 'Low'], [fab, F, 'f3', 'Medium'], [nw, N, 'n1', 'High'], [nw, N, 'n2', 'Informational']] as const) {
    const res = await t.request('PUT', `${incidents(c)}/${n}?${V}`, { token, body: { properties: { title: `incident ${n}`, severity, status: 'New' } } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  ana = await t.userToken(WORLD.soc.tenant, WORLD.users.ana.upn, WORLD.users.ana.password);
  anaId = (await t.server.services.db.selectFrom('principals').select('id').where('user_principal_name', '=', WORLD.users.ana.upn).executeTakeFirstOrThrow()).id;
});
after(async () => { await t.close(); });

const queue = (query = '', token = ana) => t.request('GET', `${QUEUE}?${VV}${query}`, { token });

test('one queue over every customer in the selection, each incident naming its directory and workspace', async () => {
  const res = await queue();
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const seen = res.body.value.map((i: any) => [i.name, i.properties.workspace.name, i.properties.workspace.directoryName, i.properties.workspace.delegated]);
  assert.deepEqual(seen.sort(), [
    ['f1', 'ws-fabrikam', 'Fabrikam', true], ['f2', 'ws-fabrikam', 'Fabrikam', true], ['f3', 'ws-fabrikam', 'Fabrikam', true],
    ['n1', 'ws-northwind', 'Northwind Traders', true], ['n2', 'ws-northwind', 'Northwind Traders', true],
  ]);
  const bySeverity = await queue('&$orderby=properties/severity desc');
  assert.deepEqual(bySeverity.body.value.map((i: any) => i.properties.severity), ['High', 'High', 'Medium', 'Low', 'Informational']);
  const high = await queue("&$filter=properties/severity eq 'High'");
  assert.deepEqual(high.body.value.map((i: any) => i.name).sort(), ['f1', 'n1']);
  // Paging on the server, following nextLink.
  const names: string[] = [];
  let next: string | undefined = `${QUEUE}?${VV}&$top=2&$orderby=properties/incidentNumber asc`;
  while (next !== undefined) {
    const page = await t.request('GET', next.replace(t.url, ''), { token: ana });
    assert.ok(page.body.value.length <= 2);
    names.push(...page.body.value.map((i: any) => i.name));
    next = page.body.nextLink;
  }
  assert.deepEqual(names.sort(), ['f1', 'f2', 'f3', 'n1', 'n2']);
  const bad = await queue('&$filter=properties/title eq \'x\'');
  assert.equal(bad.status, 400);
});

test('the Directory + subscription selection narrows the queue; a customer sees only its own', async () => {
  const put = await t.request('PUT', `/providers/Vigil.Portal/directoryFilter?${VV}`, { token: ana, body: { directories: [F.tenant], subscriptions: [F.subscription] } });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.deepEqual((await queue()).body.value.map((i: any) => i.name).sort(), ['f1', 'f2', 'f3']);
  await t.request('PUT', `/providers/Vigil.Portal/directoryFilter?${VV}`, { token: ana, body: { directories: [F.tenant, N.tenant], subscriptions: [F.subscription, N.subscription] } });
  const nw = await t.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  const own = await queue('', nw);
  assert.deepEqual(own.body.value.map((i: any) => [i.name, i.properties.workspace.delegated]).sort(), [['n1', false], ['n2', false]]);
});

test('bulk changes across customers: each authorized and audited on its own; what may not be read is not found', async () => {
  const all = (await queue()).body.value as any[];
  const id = (name: string) => all.find((i) => i.name === name).id as string;
  const res = await t.request('POST', `${QUEUE}/bulkUpdate?${VV}`, { token: ana, body: {
    incidentIds: [id('f1'), id('n1'), `${incidents(F)}/does-not-exist`, 'not-an-id'],
    properties: { status: 'Active', owner: { objectId: anaId }, labelsToAdd: ['triage'] },
  } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.value.map((r: any) => r.status), [200, 200, 404, 400]);
  for (const n of ['f1', 'n1']) {
    const got = await t.request('GET', `${id(n)}?${V}`, { token: ana });
    assert.equal(got.body.properties.status, 'Active');
    assert.equal(got.body.properties.owner.userPrincipalName, WORLD.users.ana.upn);
    assert.deepEqual(got.body.properties.labels.map((l: any) => l.labelName), ['triage']);
  }
  // Closing needs a classification: refused for that incident alone, named.
  const close = await t.request('POST', `${QUEUE}/bulkUpdate?${VV}`, { token: ana, body: { incidentIds: [id('f2')], properties: { status: 'Closed' } } });
  assert.equal(close.body.value[0].status, 400);
  assert.match(close.body.value[0].error.message, /classification is required to close/);
  const closed = await t.request('POST', `${QUEUE}/bulkUpdate?${VV}`, { token: ana, body: { incidentIds: [id('f2'), id('n2')], properties: { status: 'Closed', classification: 'FalsePositive', classificationReason: 'IncorrectAlertLogic' } } });
  assert.deepEqual(closed.body.value.map((r: any) => r.status), [200, 200]);

  // Each write is in the customer's own activity log, with Ana as the caller.
  const fab = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  const log = await t.request('GET', `/subscriptions/${F.subscription}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01`, { token: fab });
  const writes = (log.body.value as any[]).filter((e) => e.operationName.value === 'Microsoft.SecurityInsights/incidents/write' && e.caller === WORLD.users.ana.upn);
  assert.ok(writes.length >= 3, `Ana's bulk writes are in Fabrikam's activity log (${writes.length})`);
  assert.ok(writes.every((e) => e.properties.delegatedThrough), 'each names the delegation used');

  // Another customer's admin: Fabrikam's incidents do not exist for them, whatever they send.
  const nw = await t.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  const foreign = await t.request('POST', `${QUEUE}/bulkUpdate?${VV}`, { token: nw, body: { incidentIds: [id('f3')], properties: { severity: 'Low' } } });
  assert.equal(foreign.body.value[0].status, 404);
  assert.doesNotMatch(JSON.stringify(foreign.body), /incident f3|Fabrikam/);
  assert.equal((await t.request('GET', `${id('f3')}?${V}`, { token: fab })).body.properties.severity, 'Medium', 'unchanged');
});

test('a revoked delegation drops that customer from the next request', async () => {
  const nw = await t.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  const list = await t.request('GET', `/subscriptions/${N.subscription}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-10-01`, { token: nw });
  assert.equal((await t.request('DELETE', `${list.body.value[0].id}?api-version=2022-10-01`, { token: nw })).status, 202);
  const after = await queue();
  assert.deepEqual([...new Set(after.body.value.map((i: any) => i.properties.workspace.name))], ['ws-fabrikam']);
  const n1 = `${incidents(N)}/n1`;
  const bulk = await t.request('POST', `${QUEUE}/bulkUpdate?${VV}`, { token: ana, body: { incidentIds: [n1], properties: { severity: 'Low' } } });
  assert.equal(bulk.body.value[0].status, 404);
});
