// ARM's conventions that SDKs and scripts depend on, and the provider registration rules.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, WORLD, ws, type TestServer } from './harness.ts';

let t: TestServer;
let owner: string;
before(async () => {
  t = await startTestServer({ pageSize: 2 });
  owner = await t.userToken(WORLD.fabrikam.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
});
after(async () => { await t.close(); });

const F = WORLD.fabrikam;

test('ids are case-insensitive and // is collapsed; names keep the case they were created with', async () => {
  const res = await t.request('GET', `//SUBSCRIPTIONS/${F.subscription.toUpperCase()}/resourceGroups/RG-SENTINEL/providers/microsoft.operationalinsights/Workspaces/WS-FABRIKAM?api-version=2025-07-01`, { token: owner });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.name, 'ws-fabrikam');
  assert.equal(res.body.id, ws(F.subscription, F.rg, F.workspace));
});

test('lists page with an absolute nextLink that carries the api-version', async () => {
  const ana = await t.userToken(WORLD.soc.tenant, WORLD.users.ana.upn, WORLD.users.ana.password);
  const first = await t.request('GET', '/subscriptions?api-version=2022-12-01', { token: ana });
  assert.equal(first.body.value.length, 2);
  const next = new URL(first.body.nextLink);
  assert.equal(next.origin, t.url);
  assert.equal(next.searchParams.get('api-version'), '2022-12-01');
  const second = await t.request('GET', next.pathname + next.search, { token: ana });
  assert.equal(second.body.value.length, 1);
  assert.equal(second.body.nextLink, undefined);
  const all = [...first.body.value, ...second.body.value].map((s: { subscriptionId: string }) => s.subscriptionId);
  assert.equal(new Set(all).size, 3);
});

test('api-version is required and checked, naming the supported versions', async () => {
  const missing = await t.request('GET', `/subscriptions/${F.subscription}/providers`, { token: owner });
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error.code, 'MissingApiVersionParameter');
  const wrong = await t.request('GET', `/subscriptions/${F.subscription}/providers?api-version=2001-01-01`, { token: owner });
  assert.equal(wrong.body.error.code, 'InvalidApiVersionParameter');
  assert.match(wrong.body.error.message, /2025-04-01/);
});

test('long-running operations: Azure-AsyncOperation polls to Succeeded, only for the directory that started it', async () => {
  const put = await t.request('PUT', `${ws(F.subscription, F.rg, 'ws-second')}?api-version=2025-07-01`, { token: owner, body: { location: 'westeurope', properties: { retentionInDays: 60 } } });
  assert.equal(put.status, 201);
  const op = new URL(put.headers.get('azure-asyncoperation')!);
  const poll = await t.request('GET', op.pathname + op.search, { token: owner });
  assert.equal(poll.status, 200);
  assert.equal(poll.body.status, 'Succeeded');
  const stranger = await t.userToken(WORLD.northwind.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  assert.equal((await t.request('GET', op.pathname + op.search, { token: stranger })).status, 404);
});

test('etags: If-Match with a stale etag is 412 and changes nothing; the current one succeeds', async () => {
  const path = `${ws(F.subscription, F.rg, F.workspace)}?api-version=2025-07-01`;
  const current = await t.request('GET', path, { token: owner });
  const etag = current.headers.get('etag')!;
  assert.equal(etag, current.body.etag);
  const stale = await t.request('PUT', path, { token: owner, headers: { 'if-match': '"00000000-0000-0000-0000-000000000000"' }, body: { location: 'westeurope', properties: { retentionInDays: 120 } } });
  assert.equal(stale.status, 412);
  assert.equal(stale.body.error.code, 'PreconditionFailed');
  assert.equal((await t.request('GET', path, { token: owner })).body.properties.retentionInDays, 90);
  const ok = await t.request('PUT', path, { token: owner, headers: { 'if-match': etag }, body: { location: 'westeurope', properties: { retentionInDays: 120 } } });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.properties.retentionInDays, 120);
  assert.notEqual(ok.body.etag, etag);
  const create = await t.request('PUT', path, { token: owner, headers: { 'if-none-match': '*' }, body: { location: 'westeurope' } });
  assert.equal(create.status, 412);
});

test('an operation on an unregistered namespace is 409 MissingSubscriptionRegistration naming it and how to register', async () => {
  const env = `directories:
  - name: c
    displayName: Contoso Retail
    domain: retail.example
    users: [{ name: o, upn: o@retail.example, password: Owner-Passw0rd! }]
    subscriptions:
      - name: s
        id: 00000000-0000-0000-0000-0000000000c1
        resourceGroups: [{ name: rg, location: westeurope }]
        roleAssignments: [{ principal: o, role: Owner }]
`;
  const local = await startTestServer({ environment: env });
  try {
    const token = await local.userToken('retail.example', 'o@retail.example', 'Owner-Passw0rd!');
    const sub = '00000000-0000-0000-0000-0000000000c1';
    const providers = await local.request('GET', `/subscriptions/${sub}/providers?api-version=2025-04-01`, { token });
    assert.ok((providers.body.value as { registrationState: string }[]).every((p) => p.registrationState === 'NotRegistered'));
    const put = await local.request('PUT', `${ws(sub, 'rg', 'ws-one')}?api-version=2025-07-01`, { token, body: { location: 'westeurope' } });
    assert.equal(put.status, 409);
    assert.equal(put.body.error.code, 'MissingSubscriptionRegistration');
    assert.match(put.body.error.message, /Microsoft\.OperationalInsights.*register/);
    assert.equal((await local.request('GET', `${ws(sub, 'rg', 'ws-one')}?api-version=2025-07-01`, { token })).status, 404, 'nothing was created');
    const reg = await local.request('POST', `/subscriptions/${sub}/providers/Microsoft.OperationalInsights/register?api-version=2025-04-01`, { token });
    assert.equal(reg.body.registrationState, 'Registered');
    assert.equal((await local.request('PUT', `${ws(sub, 'rg', 'ws-one')}?api-version=2025-07-01`, { token, body: { location: 'westeurope' } })).status, 201);
    const unreg = await local.request('POST', `/subscriptions/${sub}/providers/Microsoft.OperationalInsights/unregister?api-version=2025-04-01`, { token });
    assert.equal(unreg.status, 409, 'cannot unregister while workspaces exist');
    assert.equal(unreg.body.error.code, 'ProviderUnregistrationBlocked');
  } finally {
    await local.close();
  }
});

test('a managing directory without the Sentinel providers registered on one of its subscriptions is told so plainly', async () => {
  const env = `directories:
  - name: mssp
    displayName: Tiny MSSP
    domain: tiny.example
    users: [{ name: a, upn: a@tiny.example, password: Analyst-Passw0rd! }]
    subscriptions:
      - name: own
        providers: [Microsoft.OperationalInsights]
  - name: cust
    displayName: Customer
    domain: cust.example
    subscriptions:
      - name: s
        id: 00000000-0000-0000-0000-0000000000d1
        providers: [Microsoft.OperationalInsights, Microsoft.SecurityInsights, Microsoft.ManagedServices]
        resourceGroups: [{ name: rg, workspaces: [{ name: ws-cust }] }]
        delegations:
          - offer: Tiny SOC
            managedBy: mssp
            authorizations: [{ principal: a, role: Microsoft Sentinel Reader }]
`;
  const local = await startTestServer({ environment: env });
  try {
    const token = await local.userToken('tiny.example', 'a@tiny.example', 'Analyst-Passw0rd!');
    const res = await local.request('GET', `${ws('00000000-0000-0000-0000-0000000000d1', 'rg', 'ws-cust')}?api-version=2025-07-01`, { token });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'ManagingTenantProvidersNotRegistered');
    assert.match(res.body.error.message, /Microsoft\.SecurityInsights/);
  } finally {
    await local.close();
  }
});

test('the Directory + subscription filter defaults to everything reachable, remembers a choice and rejects the unreachable', async () => {
  const ana = await t.userToken(WORLD.soc.tenant, WORLD.users.ana.upn, WORLD.users.ana.password);
  const path = '/providers/Vigil.Portal/directoryFilter?api-version=2025-01-01';
  const initial = await t.request('GET', path, { token: ana });
  assert.equal(initial.status, 200);
  assert.equal(initial.body.saved, false);
  assert.equal(initial.body.directories.length, 3);
  assert.equal(initial.body.subscriptions.length, 3);
  assert.ok(initial.body.available.directories.find((d: { id: string; delegated: boolean }) => d.id === F.tenant).delegated);
  const put = await t.request('PUT', path, { token: ana, body: { directories: [F.tenant], subscriptions: [F.subscription] } });
  assert.equal(put.status, 200);
  const saved = await t.request('GET', path, { token: ana });
  assert.deepEqual([saved.body.directories, saved.body.subscriptions, saved.body.saved], [[F.tenant], [F.subscription], true]);
  const bad = await t.request('PUT', path, { token: ana, body: { directories: [F.tenant], subscriptions: ['00000000-0000-0000-0000-0000000000c1'] } });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /subscriptions\[0\].*not a subscription you can reach/);
  const orphan = await t.request('PUT', path, { token: ana, body: { directories: [WORLD.soc.tenant], subscriptions: [F.subscription] } });
  assert.equal(orphan.status, 400);
  assert.match(orphan.body.error.message, /not selected/);
  const other = await t.userToken(WORLD.soc.tenant, WORLD.users.eli.upn, WORLD.users.eli.password);
  assert.equal((await t.request('GET', path, { token: other })).body.saved, false, 'filters are per user');
});
