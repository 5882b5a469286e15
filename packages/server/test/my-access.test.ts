// The caller's own access, read from the same grants authorize() decides with: permissions at a
// scope (refused in another directory's subscription), the managing side of Lighthouse ("My
// customers"), eligible and active roles (asTarget()), and just-in-time requests as requestor
// and as approver.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestServer, WORLD, type TestServer } from './harness.ts';
import { ROLE_IDS } from '../src/access/builtin-roles.ts';
import { actionMatches } from '../src/access/action-match.ts';

let t: TestServer;
before(async () => { t = await startTestServer(); });
after(async () => { await t.close(); });

const { ana, eli, lee, fabrikamAdmin, northwindAdmin } = WORLD.users;
const F = `/subscriptions/${WORLD.fabrikam.subscription}`;
const N = `/subscriptions/${WORLD.northwind.subscription}`;
const AUTH = 'api-version=2022-04-01';
const token = (u: { upn: string; password: string }, tenant: string = WORLD.soc.tenant) => t.userToken(tenant, u.upn, u.password);
const oid = (tok: string) => JSON.parse(Buffer.from(tok.split('.')[1]!, 'base64url').toString()).oid as string;
const permissions = async (tok: string, scope: string) => t.request('GET', `${scope}/providers/Microsoft.Authorization/permissions?${AUTH}`, { token: tok });
const actionsOf = (body: any) => (body.value as { actions: string[] }[]).flatMap((p) => p.actions);

test("permissions at a scope are the caller's grants there; another directory's subscription is refused", async () => {
  const anaTok = await token(ana);
  const north = await permissions(anaTok, N);
  assert.equal(north.status, 200, JSON.stringify(north.body));
  assert.ok(actionsOf(north.body).includes('Microsoft.SecurityInsights/incidents/*'), 'Sentinel Responder through the delegation');
  assert.ok(!actionsOf(north.body).some((a) => actionMatches(a, 'Microsoft.Resources/subscriptions/providers/read')), 'nothing that reads providers in Northwind');
  for (const p of north.body.value) assert.deepEqual(Object.keys(p).sort(), ['actions', 'dataActions', 'notActions', 'notDataActions']);
  const fab = await permissions(anaTok, F);
  assert.ok(actionsOf(fab.body).includes('*/read'), 'Log Analytics Reader in Fabrikam');

  const admin = await permissions(await token(fabrikamAdmin, WORLD.fabrikam.tenant), `${F}/resourcegroups/${WORLD.fabrikam.rg}`);
  assert.equal(admin.status, 200);
  assert.deepEqual(actionsOf(admin.body), ['*'], 'Owner, inherited from the subscription');

  // Another directory: Fabrikam's admin at Northwind, Northwind's at Fabrikam, Ana in a subscription that does not exist.
  for (const [tok, scope] of [[await token(fabrikamAdmin, WORLD.fabrikam.tenant), N], [await token(northwindAdmin, WORLD.northwind.tenant), F], [anaTok, '/subscriptions/00000000-0000-0000-0000-0000000000ee']] as const) {
    const denied = await permissions(tok, scope);
    assert.equal(denied.status, 403, JSON.stringify(denied.body));
    assert.equal(denied.body.error.code, 'AuthorizationFailed');
    assert.match(denied.body.error.message, /Microsoft\.Authorization\/permissions\/read/);
  }

  // An eligible role grants nothing but asking for it: Lee's permissions in Fabrikam say so.
  const leePerms = await permissions(await token(lee), F);
  assert.equal(leePerms.status, 200);
  assert.deepEqual(actionsOf(leePerms.body).sort(), ['Microsoft.Authorization/roleAssignmentScheduleRequests/read', 'Microsoft.Authorization/roleAssignmentScheduleRequests/write']);
  assert.equal((await permissions(await token(lee), N)).status, 403, 'Lee holds nothing in Northwind');
});

test("My customers: the delegations to the caller's directory that give the caller something, with the customer named; none for a customer's admin", async () => {
  const list = async (tok: string) => (await t.request('GET', `/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-10-01&$expandRegistrationDefinition=true`, { token: tok })).body.value as any[];
  const customers = (items: any[]) => items.map((a) => a.properties.registrationDefinition.properties.manageeTenantName).sort();
  assert.deepEqual(customers(await list(await token(ana))), ['Fabrikam', 'Northwind Traders']);
  assert.deepEqual(customers(await list(await token(eli))), ['Fabrikam', 'Northwind Traders']);
  const leeSees = await list(await token(lee));
  assert.deepEqual(customers(leeSees), ['Fabrikam'], 'eligible only in Fabrikam');
  assert.equal(leeSees[0].properties.registrationDefinition.properties.manageeTenantId, WORLD.fabrikam.tenant);
  assert.equal(leeSees[0].properties.registrationDefinition.properties.eligibleAuthorizations.length, 1);
  assert.deepEqual(await list(await token(fabrikamAdmin, WORLD.fabrikam.tenant)), [], "a customer manages nobody's subscriptions");
});

test('eligible and active roles (asTarget()), a request as requestor and as approver, then active until its end', async () => {
  const leeTok = await token(lee);
  const eliTok = await token(eli);
  const anaTok = await token(ana);
  const eligible = async (tok: string) => (await t.request('GET', `/providers/Microsoft.Authorization/roleEligibilityScheduleInstances?${AUTH}&$filter=asTarget()`, { token: tok })).body.value as any[];
  const leeEligible = await eligible(leeTok);
  assert.equal(leeEligible.length, 1);
  assert.equal(leeEligible[0].properties.scope, F);
  assert.equal(leeEligible[0].properties.memberType, 'Group', 'through SOC Leads');
  assert.equal(leeEligible[0].properties.expandedProperties.roleDefinition.displayName, 'Contributor');
  assert.deepEqual(await eligible(anaTok), []);
  const noFilter = await t.request('GET', `/providers/Microsoft.Authorization/roleEligibilityScheduleInstances?${AUTH}`, { token: leeTok });
  assert.equal(noFilter.status, 400);
  assert.match(noFilter.body.error.message, /\$filter=asTarget\(\)/);

  const name = randomUUID();
  const created = await t.request('PUT', `${F}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${name}?${AUTH}`, {
    token: leeTok,
    body: { properties: { principalId: oid(leeTok), roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.contributor}`, requestType: 'SelfActivate', justification: 'Incident 7 needs a new resource group', scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT1H' } } } },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const requests = async (tok: string, filter: string) => (await t.request('GET', `/providers/Microsoft.Authorization/roleAssignmentScheduleRequests?${AUTH}&$filter=${filter}`, { token: tok })).body.value as any[];
  const mine = await requests(leeTok, 'asRequestor()');
  assert.deepEqual(mine.map((r) => [r.name, r.properties.status, r.properties.scope]), [[name, 'PendingApproval', F]]);
  const toDecide = await requests(eliTok, 'asApprover()');
  assert.deepEqual(toDecide.map((r) => [r.name, r.properties.expandedProperties.principal.displayName]), [[name, 'Lee (SOC lead)']]);
  assert.deepEqual(await requests(anaTok, 'asApprover()'), [], 'Ana approves nothing');
  assert.deepEqual(await requests(anaTok, 'asRequestor()'), []);
  assert.deepEqual(await requests(await token(fabrikamAdmin, WORLD.fabrikam.tenant), 'asApprover()'), []);

  const active = async (tok: string) => (await t.request('GET', `/providers/Microsoft.Authorization/roleAssignmentScheduleInstances?${AUTH}&$filter=asTarget()`, { token: tok })).body.value as any[];
  assert.deepEqual((await active(leeTok)).map((a) => [a.properties.expandedProperties.roleDefinition.displayName, a.properties.assignmentType]), [['Owner', 'Assigned']], 'his own SOC subscription only');

  assert.equal((await t.request('POST', `${F}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${name}/approve?${AUTH}`, { token: eliTok })).status, 200);
  const now = await active(leeTok);
  const activated = now.find((a) => a.properties.assignmentType === 'Activated');
  assert.ok(activated, JSON.stringify(now));
  assert.equal(activated.properties.scope, F);
  assert.equal(activated.properties.expandedProperties.roleDefinition.displayName, 'Contributor');
  assert.ok(Date.parse(activated.properties.endDateTime) > Date.now());
  assert.ok(actionsOf((await permissions(leeTok, F)).body).includes('*'), 'Contributor now');
  const anaActive = await active(anaTok);
  assert.deepEqual(anaActive.map((a) => `${a.properties.expandedProperties.scope.displayName}: ${a.properties.expandedProperties.roleDefinition.displayName}`).sort(), [
    'Contoso SOC production: Microsoft Sentinel Responder', 'Fabrikam production: Log Analytics Reader', 'Fabrikam production: Microsoft Sentinel Responder', 'Northwind production: Microsoft Sentinel Responder',
  ]);
});
