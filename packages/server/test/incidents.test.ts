// Incidents and comments (Microsoft.SecurityInsights/incidents) through ARM: Microsoft's SDK as
// the reference requests use it (paged list with $filter/$orderby/$top, close with etag,
// comments), owners who can reach the workspace (MSSP users through delegation too), bad input,
// and who may read and change incidents.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SecurityInsights, type Incident } from '@azure/arm-securityinsight';
import { startTestServer, WORLD, ws, type TestServer, userCredential } from './harness.ts';

const F = WORLD.fabrikam;
const N = WORLD.northwind;
const FWS = ws(F.subscription, F.rg, F.workspace);
const INCIDENTS = `${FWS}/providers/Microsoft.SecurityInsights/incidents`;
const V = 'api-version=2022-09-01-preview';

let t: TestServer;
let admin: string;
before(async () => {
  t = await startTestServer();
  admin = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
});
after(async () => { await t.close(); });

const credential = (tenant: string, user: { upn: string; password: string }) => userCredential(t, tenant, user);

const put = (id: string, properties: object, token = admin, etag?: string) =>
  t.request('PUT', `${INCIDENTS}/${id}?${V}`, { token, body: { properties, ...(etag === undefined ? {} : { etag }) } });

test('@azure/arm-securityinsight incidents: create, get, paged filtered list, close with etag, comments', async () => {
  const client = new SecurityInsights(credential(F.tenant, WORLD.users.fabrikamAdmin), F.subscription, { endpoint: t.url });
  const ana = await t.server.services.db.selectFrom('principals').select('id').where('user_principal_name', '=', WORLD.users.ana.upn).executeTakeFirstOrThrow();
  const created = await client.incidents.createOrUpdate(F.rg, F.workspace, 'a1b2c3d4-0000-0000-0000-000000000001', {
    title: 'Brute force on dc01', description: '17 failed logons', severity: 'High', status: 'New',
    labels: [{ labelName: 'tier1' }], owner: { objectId: ana.id },
  });
  assert.equal(created.incidentNumber, 1);
  // The portal's page of the incident.
  assert.equal(created.incidentUrl, `${t.url}/incidents${INCIDENTS}/a1b2c3d4-0000-0000-0000-000000000001`);
  assert.equal(created.owner?.assignedTo, 'Ana (tier-1 analyst)', 'an MSSP analyst with a delegated role can own it');
  assert.equal(created.owner?.userPrincipalName, WORLD.users.ana.upn);
  assert.deepEqual(created.labels?.map((l) => l.labelName), ['tier1']);
  assert.equal(created.additionalData?.alertsCount, 0);
  for (let i = 2; i <= 4; i++) {
    await client.incidents.createOrUpdate(F.rg, F.workspace, `a1b2c3d4-0000-0000-0000-00000000000${i}`, { title: `Incident ${i}`, severity: i === 3 ? 'Low' : 'Medium', status: i === 4 ? 'Active' : 'New' });
  }
  const got = await client.incidents.get(F.rg, F.workspace, 'A1B2C3D4-0000-0000-0000-000000000001');
  assert.equal(got.etag, created.etag);

  const listed: Incident[] = [];
  for await (const i of client.incidents.list(F.rg, F.workspace, { filter: "properties/status eq 'New'", orderby: 'properties/incidentNumber asc', top: 2 })) listed.push(i);
  assert.deepEqual(listed.map((i) => i.incidentNumber), [1, 2, 3]);
  const page = await t.request('GET', `${INCIDENTS}?${V}&$filter=properties/status eq 'New'&$orderby=properties/incidentNumber asc&$top=2`, { token: admin });
  assert.equal(page.body.value.length, 2);
  assert.match(page.body.nextLink, /%24skipToken=2/);
  const bySeverity = await t.request('GET', `${INCIDENTS}?${V}&$orderby=properties/severity desc`, { token: admin });
  assert.deepEqual(bySeverity.body.value.map((i: any) => i.properties.severity), ['High', 'Medium', 'Medium', 'Low']);

  const closed = await client.incidents.createOrUpdate(F.rg, F.workspace, 'a1b2c3d4-0000-0000-0000-000000000001', {
    ...got, status: 'Closed', classification: 'TruePositive', classificationReason: 'SuspiciousActivity', classificationComment: 'confirmed',
  });
  assert.equal(closed.status, 'Closed');
  assert.equal(closed.classification, 'TruePositive');
  assert.equal(closed.incidentNumber, 1, 'the number stays');
  await assert.rejects(client.incidents.createOrUpdate(F.rg, F.workspace, 'a1b2c3d4-0000-0000-0000-000000000001', { ...got, severity: 'Low' }),
    (e: { statusCode?: number }) => e.statusCode === 412, 'a stale etag is refused');

  const comment = await client.incidentComments.createOrUpdate(F.rg, F.workspace, 'a1b2c3d4-0000-0000-0000-000000000001', 'c0000000-0000-0000-0000-000000000001', { message: 'Isolated host dc01' });
  assert.equal(comment.message, 'Isolated host dc01');
  assert.equal(comment.author?.userPrincipalName, WORLD.users.fabrikamAdmin.upn);
  const comments: string[] = [];
  for await (const c of client.incidentComments.list(F.rg, F.workspace, 'a1b2c3d4-0000-0000-0000-000000000001')) comments.push(c.message ?? '');
  assert.deepEqual(comments, ['Isolated host dc01']);
  assert.equal((await client.incidents.get(F.rg, F.workspace, 'a1b2c3d4-0000-0000-0000-000000000001')).additionalData?.commentsCount, 1);
  await assert.rejects(client.incidents.get(F.rg, F.workspace, 'does-not-exist'), (e: { statusCode?: number }) => e.statusCode === 404);
});

test('bad incident input is refused, named by field, and changes nothing', async () => {
  const base = { title: 'x', severity: 'Medium', status: 'New' };
  assert.equal((await put('inc-bad', base)).status, 201);
  const cases: [object, RegExp][] = [
    [{ ...base, title: '' }, /properties\.title/],
    [{ ...base, severity: 'Huge' }, /properties\.severity/],
    [{ ...base, status: 'Done' }, /properties\.status/],
    [{ ...base, status: 'Closed' }, /properties\.classification is required to close an incident/],
    [{ ...base, status: 'Closed', classification: 'BenignPositive', classificationReason: 'InaccurateData' }, /classificationReason 'InaccurateData' does not go with classification 'BenignPositive': use SuspiciousButExpected/],
    [{ ...base, status: 'Closed', classification: 'Undetermined', classificationReason: 'SuspiciousActivity' }, /does not go with classification 'Undetermined', which takes no reason/],
    [{ ...base, owner: { userPrincipalName: 'nobody@nowhere.example' } }, /properties\.owner: no user 'nobody@nowhere\.example' exists/],
    [{ ...base, owner: { userPrincipalName: WORLD.users.northwindAdmin.upn } }, /properties\.owner: user 'admin@northwind\.example' cannot reach the incidents of workspace 'ws-fabrikam'/],
  ];
  for (const [properties, message] of cases) {
    const res = await put('inc-bad', properties);
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.match(res.body.error.message, message);
  }
  for (const q of ["$filter=properties/title eq 'x'", '$orderby=properties/title', '$top=0']) {
    const res = await t.request('GET', `${INCIDENTS}?${V}&${q}`, { token: admin });
    assert.equal(res.status, 400, q);
    assert.match(res.body.error.message, /is not understood|must be a whole number/);
  }
  const still = await t.request('GET', `${INCIDENTS}/inc-bad?${V}`, { token: admin });
  assert.equal(still.body.properties.title, 'x');
  assert.equal(still.body.properties.status, 'New');
});

test('a Responder through delegation works incidents; another customer cannot see them', async () => {
  const ana = await t.userToken(WORLD.soc.tenant, WORLD.users.ana.upn, WORLD.users.ana.password);
  const northwind = await t.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  const res = await put('inc-ana', { title: 'Triaged by tier 1', severity: 'Low', status: 'Active' }, ana);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const comment = await t.request('PUT', `${INCIDENTS}/inc-ana/comments/c1?${V}`, { token: ana, body: { properties: { message: 'looking' } } });
  assert.equal(comment.status, 201);
  assert.equal((await t.request('DELETE', `${INCIDENTS}/inc-ana?${V}`, { token: ana })).status, 403, 'Responders cannot delete incidents');
  for (const [method, path] of [['GET', `${INCIDENTS}/inc-ana`], ['GET', INCIDENTS], ['PUT', `${INCIDENTS}/inc-nw`], ['GET', `${INCIDENTS}/inc-ana/comments`], ['POST', `${INCIDENTS}/inc-ana/alerts`]] as const) {
    const r = await t.request(method, `${path}?${V}`, { token: northwind, ...(method === 'PUT' ? { body: { properties: { title: 't', severity: 'Low', status: 'New' } } } : {}) });
    assert.equal(r.status, 403, `${method} ${path}`);
    assert.doesNotMatch(JSON.stringify(r.body), /Triaged by tier 1|looking/);
  }
});
