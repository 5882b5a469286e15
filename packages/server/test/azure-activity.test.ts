// The activity log reaches the AzureActivity table of workspaces with an Azure Activity
// connector, with the MSSP caller and the delegation named; other customers' events never do.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startTestServer, WORLD, ws, type TestServer } from './harness.ts';
import { workspaceCatalog } from '../src/logstore/log-store.ts';

const T = (workspaceId: string, table: string) => `"${workspaceCatalog(workspaceId)}".main."${table}"`;

let t: TestServer;
let fabrikamWs: string;
let northwindWs: string;
const F = WORLD.fabrikam;
const N = WORLD.northwind;
before(async () => { t = await startTestServer(); });
after(async () => { await t.close(); });


test('an Azure Activity connector copies its subscription\'s activity into AzureActivity', async () => {
  const admin = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  const path = ws(F.subscription, F.rg, F.workspace);
  fabrikamWs = (await t.request('GET', `${path}?api-version=2025-07-01`, { token: admin })).body.properties.customerId;
  const nwAdmin = await t.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  northwindWs = (await t.request('GET', `${ws(N.subscription, N.rg, N.workspace)}?api-version=2025-07-01`, { token: nwAdmin })).body.properties.customerId;

  const bad = await t.request('PUT', `${path}/providers/Microsoft.SecurityInsights/dataConnectors/activity?api-version=2024-09-01`, { token: admin, body: { kind: 'AzureActivity', properties: { subscriptionIds: [N.subscription] } } });
  assert.equal(bad.status, 400, 'another directory\'s subscription cannot be subscribed to');
  const put = await t.request('PUT', `${path}/providers/Microsoft.SecurityInsights/dataConnectors/activity?api-version=2024-09-01`, { token: admin, body: { kind: 'AzureActivity', properties: {} } });
  assert.equal(put.status, 201, JSON.stringify(put.body));

  // An MSSP engineer works through the delegation: a read, and a refused connector write.
  const eli = await t.userToken(WORLD.soc.tenant, WORLD.users.eli.upn, WORLD.users.eli.password);
  assert.equal((await t.request('GET', `${path}?api-version=2025-07-01`, { token: eli })).status, 200);
  assert.equal((await t.request('PUT', `${path}/providers/Microsoft.SecurityInsights/dataConnectors/x?api-version=2024-09-01`, { token: eli, body: { kind: 'Syslog', properties: { port: 0 } } })).status, 403);
  // Northwind's own activity must not appear in Fabrikam's table.
  assert.equal((await t.request('PUT', `/subscriptions/${N.subscription}/resourcegroups/rg-nw-extra?api-version=2025-04-01`, { token: nwAdmin, body: { location: 'westeurope' } })).status, 201);

  const rows = await eventually(
    () => t.server.services.logStore.query({ workspaces: [fabrikamWs], sql: `SELECT OperationNameValue, ActivityStatusValue, Caller, Claims_d->>'$.tid', Properties_d->>'$.delegatedThrough' IS NOT NULL, SubscriptionId FROM ${T(fabrikamWs, 'AzureActivity')} ORDER BY TimeGenerated` }),
    (r) => r.rows.length >= 3,
  );
  const ops = rows.rows.map((r) => `${r[0]} ${r[1]}`);
  assert.ok(ops.includes('MICROSOFT.SECURITYINSIGHTS/DATACONNECTORS/WRITE Success'), 'the connector\'s own creation');
  assert.ok(ops.includes('MICROSOFT.OPERATIONALINSIGHTS/WORKSPACES/READ Success'), 'the delegated read');
  assert.ok(ops.includes('MICROSOFT.SECURITYINSIGHTS/DATACONNECTORS/WRITE Failure'), 'the refused delegated write');
  const delegated = rows.rows.find((r) => r[0] === 'MICROSOFT.OPERATIONALINSIGHTS/WORKSPACES/READ')!;
  assert.deepEqual(delegated.slice(2), [WORLD.users.eli.upn, WORLD.soc.tenant, true, F.subscription]);
  assert.ok(!rows.rows.some((r) => r[5] === N.subscription), 'no Northwind events');
  assert.deepEqual(await t.server.services.logStore.tables(northwindWs), [], 'Northwind has no Azure Activity connector');
});
