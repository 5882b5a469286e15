// Microsoft's own SDKs as real clients over HTTPS: @azure/identity for tokens, the ARM SDKs for
// subscriptions, providers, Lighthouse onboarding deployments (with LRO polling) and workspaces.
// Lists run with a page size of 2 so that the SDKs follow nextLink.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { ClientSecretCredential } from '@azure/identity';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { ResourceManagementClient } from '@azure/arm-resources';
import { DeploymentsClient } from '@azure/arm-resourcesdeployments';
import { OperationalInsightsManagementClient } from '@azure/arm-operationalinsights';
import { SHARED, startTestServer, WORLD, type TestServer } from './harness.ts';

let t: TestServer;
before(async () => { t = await startTestServer({ pageSize: 2 }); });
after(async () => { await t.close(); });

const F = WORLD.fabrikam;
const N = WORLD.northwind;
const SOC = WORLD.soc;
const ARM_SCOPE = 'https://management.azure.com/.default';

const ROLE = {
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  registrationAssignmentDelete: '91c1777a-f3dc-4fae-b103-61d183457e46',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  resourcePolicyContributor: '36243c78-bf99-498c-9df9-86d9f8d28608',
};

type User = { upn: string; password: string };

/** A TokenCredential for a user, signing in with the password grant for whatever scope the SDK asks. */
function userCredential(tenant: string, user: User): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    async getToken(requested: string | string[]): Promise<AccessToken> {
      const scope = Array.isArray(requested) ? requested.join(' ') : requested;
      scopes.push(scope);
      const token = await t.userToken(tenant, user.upn, user.password, scope);
      return { token, expiresOnTimestamp: Date.now() + 50 * 60 * 1000 };
    },
  };
}

const automationCredential = (secret: string = WORLD.automation.secret) =>
  new ClientSecretCredential(SOC.tenant, WORLD.automation.appId, secret, { authorityHost: t.url, disableInstanceDiscovery: true });

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}

/** Collects page by page, to show that the SDK followed nextLink. */
async function pages<T>(iterator: { byPage(): AsyncIterableIterator<T[]> }): Promise<T[][]> {
  const out: T[][] = [];
  for await (const p of iterator.byPage()) out.push(p);
  return out;
}

async function principalId(directoryId: string, displayName: string): Promise<string> {
  const row = await t.server.services.db.selectFrom('principals').select('id')
    .where('directory_id', '=', directoryId).where('display_name', '=', displayName).executeTakeFirstOrThrow();
  return row.id;
}

function fixture(path: string): any {
  return JSON.parse(readFileSync(new URL(`fixtures/lighthouse/${path}`, SHARED), 'utf8'));
}

/** The template and its published parameter file; `parameters` is the file's `parameters` object. */
function lighthouse(dir: string, name: string): { template: any; parameters: any } {
  return { template: fixture(`${dir}/${name}.json`), parameters: fixture(`${dir}/${name}.parameters.json`).parameters };
}

/** GET a list through every page (nextLink is absolute). */
async function listAll(path: string, token: string): Promise<any[]> {
  const items: any[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const res = await t.request('GET', next.startsWith(t.url) ? next.slice(t.url.length) : next, { token });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    items.push(...(res.body.value as any[]));
    next = res.body.nextLink;
  }
  return items;
}

async function definitionCount(subscriptionId: string): Promise<number> {
  const rows = await t.server.services.db.selectFrom('registration_definitions').select('id').where('subscription_id', '=', subscriptionId).execute();
  return rows.length;
}

test('@azure/identity ClientSecretCredential gets a token the server accepts; a wrong secret fails with its AADSTS code', async () => {
  const token = await automationCredential().getToken(ARM_SCOPE);
  assert.ok(token.token.length > 0);
  assert.ok(token.expiresOnTimestamp > Date.now());
  const res = await t.request('GET', '/subscriptions?api-version=2022-12-01', { token: token.token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual((res.body.value as any[]).map((s) => s.subscriptionId), [F.subscription]);

  await assert.rejects(automationCredential('not-the-secret').getToken(ARM_SCOPE), (error: Error) => {
    assert.match(error.message, /AADSTS7000215/);
    return true;
  });
});

test('SubscriptionClient: the automation SP lists the delegated Fabrikam subscription and tenants', async () => {
  const client = new SubscriptionClient(automationCredential(), { endpoint: t.url });
  const subs = await collect(client.subscriptions.list());
  assert.deepEqual(subs.map((s) => s.subscriptionId), [F.subscription]);
  // As ARM does for Lighthouse: tenantId is the signed-in directory. (The 3.x SDK model drops
  // homeTenantId, so that is checked on the raw response below.)
  assert.equal(subs[0]!.tenantId, SOC.tenant);
  assert.deepEqual(subs[0]!.managedByTenants?.map((m) => m.tenantId), [SOC.tenant]);
  assert.equal(subs[0]!.displayName, 'Fabrikam production');

  const tenants = await collect(client.tenants.list());
  const categories = Object.fromEntries(tenants.map((x) => [x.tenantId, x.tenantCategory]));
  assert.deepEqual(categories, { [SOC.tenant]: 'Home', [F.tenant]: 'ProjectedBy' });

  const raw = await t.request('GET', `/subscriptions/${F.subscription}?api-version=2022-12-01`, { token: (await automationCredential().getToken(ARM_SCOPE)).token });
  assert.equal(raw.body.homeTenantId, F.tenant);

  const one = await client.subscriptions.get(F.subscription);
  assert.equal(one.subscriptionId, F.subscription);
  assert.equal(one.state, 'Enabled');
});

test('SubscriptionClient: an analyst sees own and delegated subscriptions across pages', async () => {
  const credential = userCredential(SOC.tenant, WORLD.users.ana);
  const client = new SubscriptionClient(credential, { endpoint: t.url });
  const byPage = await pages(client.subscriptions.list());
  assert.equal(byPage.length, 2, 'three subscriptions at a page size of 2 are two pages');
  const subs = byPage.flat();
  assert.deepEqual(subs.map((s) => s.subscriptionId).sort(), [F.subscription, N.subscription, SOC.subscription].sort());
  const byId = new Map(subs.map((s) => [s.subscriptionId, s]));
  assert.deepEqual(byId.get(SOC.subscription)!.managedByTenants ?? [], []);
  assert.equal(byId.get(SOC.subscription)!.tenantId, SOC.tenant);
  assert.equal(byId.get(N.subscription)!.tenantId, SOC.tenant);
  assert.deepEqual(byId.get(N.subscription)!.managedByTenants?.map((m) => m.tenantId), [SOC.tenant]);

  const tenants = await collect(client.tenants.list());
  const categories = Object.fromEntries(tenants.map((x) => [x.tenantId, x.tenantCategory]));
  assert.deepEqual(categories, { [SOC.tenant]: 'Home', [F.tenant]: 'ProjectedBy', [N.tenant]: 'ProjectedBy' });
  assert.ok(credential.scopes.length > 0);
});

test('ResourceManagementClient: an Owner registers a provider; get and list show registrationState; others are refused', async () => {
  const lee = new ResourceManagementClient(userCredential(SOC.tenant, WORLD.users.lee), SOC.subscription, { endpoint: t.url });
  const before = await lee.providers.get('Microsoft.ManagedServices');
  assert.equal(before.namespace, 'Microsoft.ManagedServices');
  assert.equal(before.registrationState, 'NotRegistered');

  const registered = await lee.providers.register('microsoft.managedservices');
  assert.equal(registered.namespace, 'Microsoft.ManagedServices');
  assert.equal(registered.registrationState, 'Registered');
  assert.equal((await lee.providers.get('Microsoft.ManagedServices')).registrationState, 'Registered');

  const byPage = await pages(lee.providers.list());
  const all = byPage.flat();
  assert.ok(all.length >= 3, 'at least the three namespaces Vigil serves');
  assert.equal(byPage.length, Math.ceil(all.length / 2), 'the SDK followed nextLink through every page of 2');
  const states = Object.fromEntries(all.map((p) => [p.namespace, p.registrationState]));
  assert.equal(states['Microsoft.ManagedServices'], 'Registered');
  assert.equal(states['Microsoft.OperationalInsights'], 'Registered');
  assert.equal(states['Microsoft.SecurityInsights'], 'Registered');
  assert.ok(all.every((p) => p.id?.toLowerCase().startsWith(`/subscriptions/${SOC.subscription}/providers/`)));

  // The Fabrikam admin is Owner of Fabrikam's subscription: registering is idempotent there.
  const admin = new ResourceManagementClient(userCredential(F.tenant, WORLD.users.fabrikamAdmin), F.subscription, { endpoint: t.url });
  assert.equal((await admin.providers.register('Microsoft.OperationalInsights')).registrationState, 'Registered');

  // Without any role on the SOC subscription, the Fabrikam admin can neither read nor register.
  const outsider = new ResourceManagementClient(userCredential(F.tenant, WORLD.users.fabrikamAdmin), SOC.subscription, { endpoint: t.url });
  await assert.rejects(outsider.providers.get('Microsoft.ManagedServices'), (error: any) => {
    assert.equal(error.statusCode, 403);
    assert.equal(error.code, 'AuthorizationFailed');
    return true;
  });
  await assert.rejects(outsider.providers.register('Microsoft.ManagedServices'), (error: any) => {
    assert.equal(error.statusCode, 403);
    return true;
  });
  // A Sentinel Responder (ana) may read providers of her subscription but not register them.
  const ana = new ResourceManagementClient(userCredential(SOC.tenant, WORLD.users.ana), SOC.subscription, { endpoint: t.url });
  await assert.rejects(ana.providers.unregister('Microsoft.ManagedServices'), (error: any) => {
    assert.equal(error.statusCode, 403);
    return true;
  });
  assert.equal((await lee.providers.get('Microsoft.ManagedServices')).registrationState, 'Registered');
});

test('DeploymentsClient: the Northwind Owner deploys the Lighthouse subscription template; the delegation works', async () => {
  const automationId = await principalId(SOC.tenant, 'SOC automation');
  const engineers = await principalId(SOC.tenant, 'SOC Engineers');
  const tier1 = await principalId(SOC.tenant, 'SOC Tier 1');
  const automationArm = new SubscriptionClient(automationCredential(), { endpoint: t.url });
  assert.ok(!(await collect(automationArm.subscriptions.list())).some((s) => s.subscriptionId === N.subscription), 'no access before onboarding');

  const { template, parameters } = lighthouse('delegated-resource-management/subscription', 'subscription');
  parameters.mspOfferName.value = 'Contoso SOC automation offer';
  parameters.mspOfferDescription.value = 'Automation reads Northwind';
  parameters.managedByTenantId.value = SOC.tenant;
  const auths = parameters.authorizations.value as any[];
  assert.equal(auths[0].roleDefinitionId, ROLE.reader);
  auths[0].principalId = automationId; auths[0].principalIdDisplayName = 'SOC automation';
  assert.equal(auths[1].roleDefinitionId, ROLE.registrationAssignmentDelete);
  auths[1].principalId = engineers; auths[1].principalIdDisplayName = 'SOC Engineers';
  assert.equal(auths[2].roleDefinitionId, ROLE.userAccessAdministrator);
  auths[2].principalId = tier1; auths[2].principalIdDisplayName = 'SOC Tier 1';

  const client = new DeploymentsClient(userCredential(N.tenant, WORLD.users.northwindAdmin), N.subscription, { endpoint: t.url });
  const result = await client.deployments.beginCreateOrUpdateAtSubscriptionScopeAndWait('lighthouse-subscription', {
    location: 'westeurope',
    properties: { mode: 'Incremental', template, parameters },
  }, { updateIntervalInMs: 10 });
  assert.equal(result.properties?.provisioningState, 'Succeeded');
  assert.equal((result.properties?.outputs as any)?.mspOfferName?.value, 'Managed by Contoso SOC automation offer');

  const admin = await t.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  const defs = await listAll(`/subscriptions/${N.subscription}/providers/Microsoft.ManagedServices/registrationDefinitions?api-version=2022-10-01`, admin);
  const def = defs.find((d) => d.properties.registrationDefinitionName === 'Contoso SOC automation offer');
  assert.ok(def, 'the registration definition exists');
  assert.equal(def.properties.managedByTenantId, SOC.tenant);
  assert.deepEqual((def.properties.authorizations as any[]).map((a) => a.principalId).sort(), [automationId, engineers, tier1].sort());
  const asgs = await listAll(`/subscriptions/${N.subscription}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-10-01`, admin);
  assert.ok(asgs.some((a) => a.properties.registrationDefinitionId.toLowerCase() === def.id.toLowerCase()), 'the registration assignment exists');

  // The automation SP, named as Reader, now reaches Northwind.
  const reached = await collect(automationArm.subscriptions.list());
  const northwind = reached.find((s) => s.subscriptionId === N.subscription);
  assert.ok(northwind, 'the automation SP reaches the Northwind subscription');
  assert.deepEqual(northwind.managedByTenants?.map((m) => m.tenantId), [SOC.tenant]);
  const workspaces = new OperationalInsightsManagementClient(automationCredential(), N.subscription, { endpoint: t.url });
  assert.deepEqual((await collect(workspaces.workspaces.list())).map((w) => w.name), [N.workspace]);

  // The deployment is recorded and readable with the SDK.
  const got = await client.deployments.getAtSubscriptionScope('lighthouse-subscription');
  assert.equal(got.properties?.provisioningState, 'Succeeded');
});

test('DeploymentsClient: the eligible-authorizations template onboards SOC Leads to Northwind', async () => {
  const leads = await principalId(SOC.tenant, 'SOC Leads');
  const leeArm = new SubscriptionClient(userCredential(SOC.tenant, WORLD.users.lee), { endpoint: t.url });
  assert.ok(!(await collect(leeArm.subscriptions.list())).some((s) => s.subscriptionId === N.subscription), 'no access before onboarding');

  const { template, parameters } = lighthouse('delegated-resource-management-eligible-authorizations/subscription', 'subscription');
  parameters.mspOfferName.value = 'Contoso SOC leads offer';
  parameters.mspOfferDescription.value = 'Leads, with just-in-time elevation';
  parameters.managedByTenantId.value = SOC.tenant;
  for (const a of parameters.authorizations.value as any[]) { a.principalId = leads; a.principalIdDisplayName = 'SOC Leads'; }
  const eligible = parameters.eligibleAuthorizations.value as any[];
  assert.equal(eligible[0].roleDefinitionId, ROLE.resourcePolicyContributor);
  eligible[0].principalId = leads; eligible[0].principalIdDisplayName = 'SOC Leads';

  const client = new DeploymentsClient(userCredential(N.tenant, WORLD.users.northwindAdmin), N.subscription, { endpoint: t.url });
  const result = await client.deployments.beginCreateOrUpdateAtSubscriptionScopeAndWait('lighthouse-eligible', {
    location: 'westeurope',
    properties: { mode: 'Incremental', template, parameters },
  }, { updateIntervalInMs: 10 });
  assert.equal(result.properties?.provisioningState, 'Succeeded');

  const admin = await t.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  const defs = await listAll(`/subscriptions/${N.subscription}/providers/Microsoft.ManagedServices/registrationDefinitions?api-version=2022-10-01`, admin);
  const def = defs.find((d) => d.properties.registrationDefinitionName === 'Contoso SOC leads offer');
  assert.ok(def, 'the registration definition exists');
  assert.equal(def.properties.eligibleAuthorizations.length, 1);
  assert.equal(def.properties.eligibleAuthorizations[0].principalId, leads);
  assert.equal(def.properties.eligibleAuthorizations[0].roleDefinitionId, ROLE.resourcePolicyContributor);
  const asgs = await listAll(`/subscriptions/${N.subscription}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-10-01`, admin);
  assert.ok(asgs.some((a) => a.properties.registrationDefinitionId.toLowerCase() === def.id.toLowerCase()), 'the registration assignment exists');

  // Lee (in SOC Leads) now reaches Northwind.
  const subs = await collect(leeArm.subscriptions.list());
  assert.ok(subs.some((s) => s.subscriptionId === N.subscription), 'lee reaches the Northwind subscription');
});

test('DeploymentsClient: the resource-group template delegates one Fabrikam resource group', async () => {
  const leads = await principalId(SOC.tenant, 'SOC Leads');
  const engineers = await principalId(SOC.tenant, 'SOC Engineers');
  const lee = await t.userToken(SOC.tenant, WORLD.users.lee.upn, WORLD.users.lee.password);
  const rgPath = `/subscriptions/${F.subscription}/resourcegroups/${F.rg}?api-version=2025-04-01`;
  assert.equal((await t.request('GET', rgPath, { token: lee })).status, 403, 'only eligible (not active) before onboarding');

  const { template, parameters } = lighthouse('delegated-resource-management/rg', 'rg');
  parameters.mspOfferName.value = 'Contoso SOC resource group offer';
  parameters.mspOfferDescription.value = 'Leads read rg-sentinel';
  parameters.managedByTenantId.value = SOC.tenant;
  parameters.rgName.value = F.rg;
  const auths = parameters.authorizations.value as any[];
  auths[0].principalId = leads; auths[0].principalIdDisplayName = 'SOC Leads';
  auths[1].principalId = engineers; auths[1].principalIdDisplayName = 'SOC Engineers';
  auths[2].principalId = leads; auths[2].principalIdDisplayName = 'SOC Leads';

  const client = new DeploymentsClient(userCredential(F.tenant, WORLD.users.fabrikamAdmin), F.subscription, { endpoint: t.url });
  const result = await client.deployments.beginCreateOrUpdateAtSubscriptionScopeAndWait('lighthouse-rg', {
    location: 'westeurope',
    properties: { mode: 'Incremental', template, parameters },
  }, { updateIntervalInMs: 10 });
  assert.equal(result.properties?.provisioningState, 'Succeeded');

  const admin = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  const defs = await listAll(`/subscriptions/${F.subscription}/providers/Microsoft.ManagedServices/registrationDefinitions?api-version=2022-10-01`, admin);
  const def = defs.find((d) => d.properties.registrationDefinitionName === 'Contoso SOC resource group offer');
  assert.ok(def, 'the registration definition exists');
  const asgs = await listAll(`/subscriptions/${F.subscription}/resourceGroups/${F.rg}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-10-01`, admin);
  assert.ok(asgs.some((a) => a.properties.registrationDefinitionId.toLowerCase() === def.id.toLowerCase()), 'the registration assignment exists at the resource group');

  // Lee, a Reader through the new delegation, reads the resource group and its workspace.
  const read = await t.request('GET', rgPath, { token: lee });
  assert.equal(read.status, 200, JSON.stringify(read.body));
  const workspaces = new OperationalInsightsManagementClient(userCredential(SOC.tenant, WORLD.users.lee), F.subscription, { endpoint: t.url });
  assert.deepEqual((await collect(workspaces.workspaces.listByResourceGroup(F.rg))).map((w) => w.name), [F.workspace]);
});

test('DeploymentsClient: the published parameter file as-is is refused with a 4xx naming managedByTenantId, writing nothing', async () => {
  const client = new DeploymentsClient(userCredential(F.tenant, WORLD.users.fabrikamAdmin), F.subscription, { endpoint: t.url });
  for (const [dir, name] of [
    ['delegated-resource-management/subscription', 'subscription'],
    ['delegated-resource-management-eligible-authorizations/subscription', 'subscription'],
    ['delegated-resource-management/rg', 'rg'],
  ] as const) {
    const countBefore = await definitionCount(F.subscription);
    const { template, parameters } = lighthouse(dir, name);
    if (name === 'rg') parameters.rgName.value = F.rg;
    await assert.rejects(
      client.deployments.beginCreateOrUpdateAtSubscriptionScopeAndWait(`as-published-${name}`, {
        location: 'westeurope',
        properties: { mode: 'Incremental', template, parameters },
      }, { updateIntervalInMs: 10 }),
      (error: any) => {
        assert.ok(error.statusCode >= 400 && error.statusCode < 500, `4xx, got ${error.statusCode}: ${error.message}`);
        assert.match(error.message, /managedByTenantId/);
        return true;
      },
      `${dir}: refused`,
    );
    assert.equal(await definitionCount(F.subscription), countBefore, `${dir}: no registration definition was written`);
  }
});

test('OperationalInsightsManagementClient: an analyst lists workspaces across her subscriptions', async () => {
  const credential = userCredential(SOC.tenant, WORLD.users.ana);
  const subscriptions = await collect(new SubscriptionClient(credential, { endpoint: t.url }).subscriptions.list());
  const names: string[] = [];
  for (const s of subscriptions) {
    const client = new OperationalInsightsManagementClient(credential, s.subscriptionId!, { endpoint: t.url });
    const listed = await collect(client.workspaces.list());
    for (const w of listed) {
      assert.ok(w.id?.toLowerCase().startsWith(`/subscriptions/${s.subscriptionId}/`), `${w.id} is in ${s.subscriptionId}`);
      names.push(w.name!);
    }
  }
  assert.deepEqual(names.sort(), [F.workspace, N.workspace, 'ws-soc'].sort());

  const fabrikam = new OperationalInsightsManagementClient(credential, F.subscription, { endpoint: t.url });
  const byRg = await collect(fabrikam.workspaces.listByResourceGroup(F.rg));
  assert.deepEqual(byRg.map((w) => w.name), [F.workspace]);
  const one = await fabrikam.workspaces.get(F.rg, F.workspace);
  assert.equal(one.name, F.workspace);
  assert.ok(one.customerId, 'the workspace id (customerId) is returned');
});
