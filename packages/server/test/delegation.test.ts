// Delegated access end to end: an MSSP analyst with a token from home works in customers'
// subscriptions, cannot deploy connectors there, and loses access the moment the customer revokes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, WORLD, ws, type TestServer } from './harness.ts';

let t: TestServer;
before(async () => { t = await startTestServer(); });
after(async () => { await t.close(); });

const F = WORLD.fabrikam;
const N = WORLD.northwind;
const SEC = '2024-09-01';

test('an analyst lists own and delegated subscriptions, marked as ARM marks them', async () => {
  const token = await t.userToken(WORLD.soc.tenant, WORLD.users.ana.upn, WORLD.users.ana.password);
  const res = await t.request('GET', '/subscriptions?api-version=2022-12-01', { token });
  assert.equal(res.status, 200);
  const byId = new Map((res.body.value as any[]).map((s) => [s.subscriptionId, s]));
  assert.deepEqual([...byId.keys()].sort(), [F.subscription, N.subscription, WORLD.soc.subscription].sort());
  assert.equal(byId.get(F.subscription).homeTenantId, F.tenant);
  assert.equal(byId.get(F.subscription).tenantId, WORLD.soc.tenant);
  assert.deepEqual(byId.get(F.subscription).managedByTenants, [{ tenantId: WORLD.soc.tenant }]);
  assert.deepEqual(byId.get(WORLD.soc.subscription).managedByTenants, []);
  const tenants = await t.request('GET', '/tenants?api-version=2022-12-01', { token });
  const categories = Object.fromEntries((tenants.body.value as any[]).map((x) => [x.tenantId, x.tenantCategory]));
  assert.deepEqual(categories, { [WORLD.soc.tenant]: 'Home', [F.tenant]: 'ProjectedBy', [N.tenant]: 'ProjectedBy' });
});

test('the customer admin sees only their own subscription', async () => {
  const token = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  const res = await t.request('GET', '/subscriptions?api-version=2022-12-01', { token });
  assert.deepEqual((res.body.value as any[]).map((s) => s.subscriptionId), [F.subscription]);
  const other = await t.request('GET', `${ws(N.subscription, N.rg, N.workspace)}?api-version=2025-07-01`, { token });
  assert.equal(other.status, 403);
  assert.equal(other.body.error.code, 'AuthorizationFailed');
});

test('delegated access: read a customer workspace, refused a data connector, with the reason', async () => {
  const token = await t.userToken(WORLD.soc.tenant, WORLD.users.eli.upn, WORLD.users.eli.password);
  const read = await t.request('GET', `${ws(F.subscription, F.rg, F.workspace)}?api-version=2025-07-01`, { token });
  assert.equal(read.status, 200);
  assert.equal(read.body.name, F.workspace);
  const connector = await t.request('PUT', `${ws(F.subscription, F.rg, F.workspace)}/providers/Microsoft.SecurityInsights/dataConnectors/syslog-1?api-version=${SEC}`, { token, body: { kind: 'Syslog', properties: {} } });
  assert.equal(connector.status, 403);
  assert.equal(connector.body.error.code, 'DelegatedConnectorDeploymentNotSupported');
  assert.match(connector.body.error.message, /sign in directly/i);
  const list = await t.request('GET', `${ws(F.subscription, F.rg, F.workspace)}/providers/Microsoft.SecurityInsights/dataConnectors?api-version=${SEC}`, { token });
  assert.deepEqual(list.body.value, [], 'nothing was written by the refused request');
});

test('signed in directly to the customer directory (as a guest), the same person deploys the connector', async () => {
  const token = await t.userToken(F.tenant, WORLD.users.eli.upn, WORLD.users.eli.password);
  const put = await t.request('PUT', `${ws(F.subscription, F.rg, F.workspace)}/providers/Microsoft.SecurityInsights/dataConnectors/syslog-1?api-version=${SEC}`, { token, body: { kind: 'Syslog', properties: { protocol: 'tcp', port: 0 } } });
  assert.equal(put.status, 201, JSON.stringify(put.body));
  assert.equal(put.body.kind, 'Syslog');
  assert.ok(put.body.properties.connectivity.listening.port > 0, 'the connector\'s receiver is listening');
});

test('every delegated access is in the customer activity log with the MSSP caller and the delegation', async () => {
  const admin = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  const res = await t.request('GET', `/subscriptions/${F.subscription}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01`, { token: admin });
  assert.equal(res.status, 200);
  const events = res.body.value as any[];
  const refused = events.find((e) => e.operationName.value === 'Microsoft.SecurityInsights/dataConnectors/write' && e.claims.tid === WORLD.soc.tenant);
  assert.ok(refused, 'the refused delegated write is logged');
  assert.equal(refused.status.value, 'Failed');
  assert.equal(refused.caller, WORLD.users.eli.upn);
  assert.ok(refused.properties.delegatedThrough, 'names the delegation used');
  const read = events.find((e) => e.operationName.value === 'Microsoft.OperationalInsights/workspaces/read');
  assert.ok(read, 'delegated reads are logged');
  assert.equal(read.properties.callerHomeTenantId, WORLD.soc.tenant);
  // The MSSP's own activity stays out of the customer's log, and vice versa.
  const northwindAdmin = await t.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  const other = await t.request('GET', `/subscriptions/${F.subscription}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01`, { token: northwindAdmin });
  assert.equal(other.status, 403);
});

test('revocation: the customer removes the delegation and the next request through it is denied', async () => {
  const analyst = await t.userToken(WORLD.soc.tenant, WORLD.users.ana.upn, WORLD.users.ana.password);
  const path = `${ws(N.subscription, N.rg, N.workspace)}?api-version=2025-07-01`;
  assert.equal((await t.request('GET', path, { token: analyst })).status, 200);
  const admin = await t.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  const list = await t.request('GET', `/subscriptions/${N.subscription}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-10-01&$expandRegistrationDefinition=true`, { token: admin });
  assert.equal(list.status, 200);
  assert.equal(list.body.value.length, 1);
  assert.equal(list.body.value[0].properties.registrationDefinition.properties.managedByTenantId, WORLD.soc.tenant);
  const del = await t.request('DELETE', `${list.body.value[0].id}?api-version=2022-10-01`, { token: admin });
  assert.equal(del.status, 202);
  const after = await t.request('GET', path, { token: analyst });
  assert.equal(after.status, 403);
  const subs = await t.request('GET', '/subscriptions?api-version=2022-12-01', { token: analyst });
  assert.ok(!(subs.body.value as any[]).some((s) => s.subscriptionId === N.subscription), 'revoked subscription left the list');
});
