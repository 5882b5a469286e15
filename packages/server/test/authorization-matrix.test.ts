// Authorization matrix: every route x every relevant built-in role x {own directory, delegated,
// delegation revoked, unrelated directory} -> allow or deny. Expected outcomes are derived from a
// small route -> action table and the role's permissions (roleAllowsAction), and a set of
// hand-written spot checks guards against the test merely mirroring the implementation.
// A denied call must be 403 (never a partial success) and must leave the state unchanged.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { startTestServer, ws, type TestServer } from './harness.ts';
import { openDatabase } from '../src/db/database.ts';
import { applyEnvironmentText } from '../src/bootstrap/apply-environment.ts';
import { findBuiltinRoleByName, ROLE_IDS } from '../src/access/builtin-roles.ts';
import { roleAllowsAction } from '../src/access/action-match.ts';

const ROLES = [
  'Owner', 'Contributor', 'Reader', 'Log Analytics Reader', 'Log Analytics Contributor',
  'Microsoft Sentinel Reader', 'Microsoft Sentinel Responder', 'Microsoft Sentinel Contributor', 'User Access Administrator',
] as const;
type RoleName = (typeof ROLES)[number];
const DELEGABLE = ROLES.filter((r) => r !== 'Owner');
const COLUMNS = ['own', 'delegated', 'revoked', 'unrelated'] as const;
type Column = (typeof COLUMNS)[number];

const guid = (prefix: string, n: number) => `${prefix.padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const slug = (r: string) => r.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const cellName = (role: RoleName, col: Column) => `${slug(role)}-${col}`.slice(0, 60);
const PASSWORD = 'Matrix-Passw0rd!';

const A = { tenant: guid('a', 1), sub: guid('a', 2) };
const B = { tenant: guid('b', 1), sub: guid('b', 2) };
const M = { tenant: guid('c', 1), sub: guid('c', 2) };
const O = { tenant: guid('d', 1), sub: guid('d', 2) };
const targetGroupId = (role: RoleName, col: Column, sub = A.sub) => guid(sub === A.sub ? 'e' : '1e', ROLES.indexOf(role) * 10 + COLUMNS.indexOf(col) + 1);
const raName = (role: RoleName, col: Column) => guid('f', ROLES.indexOf(role) * 10 + COLUMNS.indexOf(col) + 1);

function customerDirectory(name: string, ids: { tenant: string; sub: string }, ownUsers: boolean) {
  const users: object[] = [{ name: 'admin', upn: `admin@${name}.example`, password: PASSWORD }];
  const roleAssignments: object[] = [{ principal: 'admin', role: 'Owner' }];
  if (ownUsers) {
    ROLES.forEach((r, i) => {
      users.push({ name: `own-${i}`, upn: `own-${i}@${name}.example`, password: PASSWORD });
      roleAssignments.push({ principal: `own-${i}`, role: r });
    });
  }
  const groups = ROLES.flatMap((r) => COLUMNS.map((c) => ({ name: `tgt-${cellName(r, c)}`, id: targetGroupId(r, c, ids.sub), members: [] })));
  const cellWorkspaces = ROLES.flatMap((r) => COLUMNS.map((c) => ({ name: `c-${cellName(r, c)}`, sentinel: false })));
  return {
    name, id: ids.tenant, displayName: name, domain: `${name}.example`, users, groups,
    subscriptions: [{
      name: 'prod', id: ids.sub,
      providers: ['Microsoft.OperationalInsights', 'Microsoft.SecurityInsights', 'Microsoft.ManagedServices'],
      resourceGroups: [{ name: 'rg-m', workspaces: [{ name: 'ws-m' }, ...cellWorkspaces] }],
      roleAssignments,
      delegations: [{
        offer: 'Matrix offer', managedBy: 'mssp',
        authorizations: DELEGABLE.map((r) => ({
          principal: `del-${ROLES.indexOf(r)}`, role: r,
          ...(r === 'User Access Administrator' ? { delegatedRoles: ['Reader'] } : {}),
        })),
      }],
    }],
  };
}

function environment() {
  return stringify({
    directories: [
      {
        name: 'mssp', id: M.tenant, displayName: 'MSSP', domain: 'mssp.example',
        users: DELEGABLE.map((r) => ({ name: `del-${ROLES.indexOf(r)}`, upn: `del-${ROLES.indexOf(r)}@mssp.example`, password: PASSWORD })),
        subscriptions: [{ name: 'soc', id: M.sub, providers: ['Microsoft.OperationalInsights', 'Microsoft.SecurityInsights'] }],
      },
      {
        name: 'other', id: O.tenant, displayName: 'Unrelated', domain: 'other.example',
        users: ROLES.map((_, i) => ({ name: `oth-${i}`, upn: `oth-${i}@other.example`, password: PASSWORD })),
        subscriptions: [{
          name: 'own', id: O.sub, providers: ['Microsoft.OperationalInsights', 'Microsoft.SecurityInsights'],
          roleAssignments: ROLES.map((r, i) => ({ principal: `oth-${i}`, role: r })),
        }],
      },
      customerDirectory('custa', A, true),
      customerDirectory('custb', B, false),
    ],
  });
}

// --- The route table: what each route is, and the action it needs (written by hand from ARM's operation names).
interface Ctx { sub: string; role: RoleName; col: Column; cell: string; ownerAssignmentName: string }
interface Route {
  name: string;
  method: string;
  action: string;
  path: (c: Ctx) => string;
  body?: (c: Ctx) => unknown;
  /** Success status when allowed. */
  ok: number[];
  /** A GET by the customer Owner that must read the same before and after a denied call. */
  probe?: (c: Ctx) => string;
  /** For per-item lists: allowed means "the item is visible", not the status. */
  visible?: (body: any) => boolean;
  /** How a denial looks when it is not 403 AuthorizationFailed (the query API answers as for a missing workspace). */
  denied?: { status: number; code: string };
}

const SEC = '2024-09-01';
const wsm = (c: Ctx) => ws(c.sub, 'rg-m', 'ws-m');
const cellWs = (c: Ctx) => ws(c.sub, 'rg-m', `c-${c.cell}`);
const EMPTY_TEMPLATE = { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', resources: [] };

const ROUTES: Route[] = [
  { name: 'GET resource group', method: 'GET', action: 'Microsoft.Resources/subscriptions/resourceGroups/read', ok: [200],
    path: (c) => `/subscriptions/${c.sub}/resourceGroups/rg-m?api-version=2025-04-01` },
  { name: 'PUT resource group', method: 'PUT', action: 'Microsoft.Resources/subscriptions/resourceGroups/write', ok: [201],
    path: (c) => `/subscriptions/${c.sub}/resourceGroups/rg-${c.cell}?api-version=2025-04-01`, body: () => ({ location: 'westeurope' }),
    probe: (c) => `/subscriptions/${c.sub}/resourceGroups/rg-${c.cell}?api-version=2025-04-01` },
  { name: 'GET workspace', method: 'GET', action: 'Microsoft.OperationalInsights/workspaces/read', ok: [200],
    path: (c) => `${wsm(c)}?api-version=2025-07-01` },
  { name: 'PUT workspace', method: 'PUT', action: 'Microsoft.OperationalInsights/workspaces/write', ok: [201],
    path: (c) => `${ws(c.sub, 'rg-m', `n-${c.cell}`)}?api-version=2025-07-01`, body: () => ({ location: 'westeurope' }),
    probe: (c) => `${ws(c.sub, 'rg-m', `n-${c.cell}`)}?api-version=2025-07-01` },
  { name: 'PUT onboardingStates/default', method: 'PUT', action: 'Microsoft.SecurityInsights/onboardingStates/write', ok: [201],
    path: (c) => `${cellWs(c)}/providers/Microsoft.SecurityInsights/onboardingStates/default?api-version=${SEC}`, body: () => ({ properties: {} }),
    probe: (c) => `${cellWs(c)}/providers/Microsoft.SecurityInsights/onboardingStates?api-version=${SEC}` },
  { name: 'GET onboardingStates/default', method: 'GET', action: 'Microsoft.SecurityInsights/onboardingStates/read', ok: [200],
    path: (c) => `${wsm(c)}/providers/Microsoft.SecurityInsights/onboardingStates/default?api-version=${SEC}` },
  { name: 'DELETE workspace', method: 'DELETE', action: 'Microsoft.OperationalInsights/workspaces/delete', ok: [200],
    path: (c) => `${cellWs(c)}?api-version=2025-07-01`, probe: (c) => `${cellWs(c)}?api-version=2025-07-01` },
  { name: 'GET providers', method: 'GET', action: 'Microsoft.Resources/subscriptions/providers/read', ok: [200],
    path: (c) => `/subscriptions/${c.sub}/providers?api-version=2025-04-01` },
  { name: 'POST providers/register', method: 'POST', action: 'Microsoft.SecurityInsights/register/action', ok: [200],
    path: (c) => `/subscriptions/${c.sub}/providers/Microsoft.SecurityInsights/register?api-version=2025-04-01`,
    probe: (c) => `/subscriptions/${c.sub}/providers?api-version=2025-04-01` },
  { name: 'PUT dataConnector', method: 'PUT', action: 'Microsoft.SecurityInsights/dataConnectors/write', ok: [201],
    path: (c) => `${wsm(c)}/providers/Microsoft.SecurityInsights/dataConnectors/dc-${c.cell}?api-version=${SEC}`, body: () => ({ kind: 'HttpDataCollector', properties: {} }),
    probe: (c) => `${wsm(c)}/providers/Microsoft.SecurityInsights/dataConnectors/dc-${c.cell}?api-version=${SEC}` },
  { name: 'GET dataConnectors', method: 'GET', action: 'Microsoft.SecurityInsights/dataConnectors/read', ok: [200],
    path: (c) => `${wsm(c)}/providers/Microsoft.SecurityInsights/dataConnectors?api-version=${SEC}` },
  { name: 'PUT roleAssignment', method: 'PUT', action: 'Microsoft.Authorization/roleAssignments/write', ok: [201],
    path: (c) => `/subscriptions/${c.sub}/providers/Microsoft.Authorization/roleAssignments/${raName(c.role, c.col)}?api-version=2022-04-01`,
    body: (c) => ({ properties: { roleDefinitionId: `/subscriptions/${c.sub}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.reader}`, principalId: targetGroupId(c.role, c.col, c.sub) } }),
    probe: (c) => `/subscriptions/${c.sub}/providers/Microsoft.Authorization/roleAssignments/${raName(c.role, c.col)}?api-version=2022-04-01` },
  { name: 'GET roleAssignment', method: 'GET', action: 'Microsoft.Authorization/roleAssignments/read', ok: [200],
    path: (c) => `/subscriptions/${c.sub}/providers/Microsoft.Authorization/roleAssignments/${c.ownerAssignmentName}?api-version=2022-04-01` },
  { name: 'GET registrationAssignments', method: 'GET', action: 'Microsoft.ManagedServices/registrationAssignments/read', ok: [200],
    path: (c) => `/subscriptions/${c.sub}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-10-01`,
    visible: (body) => Array.isArray(body?.value) && body.value.length > 0 },
  { name: 'GET activity log', method: 'GET', action: 'Microsoft.Insights/eventtypes/values/read', ok: [200],
    path: (c) => `/subscriptions/${c.sub}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01` },
  { name: 'PUT savedSearch', method: 'PUT', action: 'Microsoft.OperationalInsights/workspaces/savedSearches/write', ok: [200],
    path: (c) => `${wsm(c)}/savedSearches/ss-${c.cell}?api-version=2020-08-01`, body: () => ({ properties: { category: 'c', displayName: 'd', query: 'print 1' } }),
    probe: (c) => `${wsm(c)}/savedSearches/ss-${c.cell}?api-version=2020-08-01` },
  { name: 'GET savedSearches', method: 'GET', action: 'Microsoft.OperationalInsights/workspaces/savedSearches/read', ok: [200],
    path: (c) => `${wsm(c)}/savedSearches?api-version=2020-08-01` },
  { name: 'POST query', method: 'POST', action: 'Microsoft.OperationalInsights/workspaces/query/read', ok: [200],
    path: (c) => `/v1${wsm(c)}/query`, body: () => ({ query: 'print x = 1' }), denied: { status: 404, code: 'WorkspaceNotFoundError' } },
  { name: 'PUT deployment', method: 'PUT', action: 'Microsoft.Resources/deployments/write', ok: [201],
    path: (c) => `/subscriptions/${c.sub}/providers/Microsoft.Resources/deployments/dep-${c.cell}?api-version=2025-04-01`,
    body: () => ({ location: 'westeurope', properties: { mode: 'Incremental', template: EMPTY_TEMPLATE } }),
    probe: (c) => `/subscriptions/${c.sub}/providers/Microsoft.Resources/deployments/dep-${c.cell}?api-version=2025-04-01` },
];

/** Expected outcome derived from the role's permissions; 'connector' marks the delegated-connector refusal. */
function derive(route: Route, role: RoleName, col: Column): 'allow' | 'deny' | 'connector' {
  if (col === 'revoked' || col === 'unrelated') return 'deny';
  const def = findBuiltinRoleByName(role);
  assert.ok(def, role);
  if (!roleAllowsAction(def, route.action)) return 'deny';
  if (col === 'delegated' && route.name === 'PUT dataConnector') return 'connector';
  return 'allow';
}

/** Hand-written expectations, independent of roleAllowsAction. */
const SPOT: [RoleName, Column, string, 'allow' | 'deny' | 'connector'][] = [
  ['Microsoft Sentinel Responder', 'delegated', 'GET workspace', 'allow'],
  ['Microsoft Sentinel Responder', 'delegated', 'PUT workspace', 'deny'],
  ['Microsoft Sentinel Responder', 'delegated', 'DELETE workspace', 'deny'],
  ['Microsoft Sentinel Reader', 'own', 'GET dataConnectors', 'allow'],
  ['Microsoft Sentinel Reader', 'own', 'PUT dataConnector', 'deny'],
  ['Microsoft Sentinel Contributor', 'own', 'PUT dataConnector', 'allow'],
  ['Microsoft Sentinel Contributor', 'delegated', 'PUT dataConnector', 'connector'],
  ['Microsoft Sentinel Contributor', 'delegated', 'PUT onboardingStates/default', 'allow'],
  ['Reader', 'own', 'PUT resource group', 'deny'],
  ['Reader', 'own', 'GET resource group', 'allow'],
  ['Reader', 'delegated', 'GET activity log', 'allow'],
  ['Reader', 'own', 'PUT deployment', 'deny'],
  ['Owner', 'own', 'PUT roleAssignment', 'allow'],
  ['Owner', 'unrelated', 'GET resource group', 'deny'],
  ['Contributor', 'own', 'PUT roleAssignment', 'deny'],
  ['Contributor', 'delegated', 'PUT workspace', 'allow'],
  ['Contributor', 'delegated', 'POST providers/register', 'allow'],
  ['Contributor', 'delegated', 'PUT dataConnector', 'connector'],
  ['Contributor', 'revoked', 'GET workspace', 'deny'],
  ['User Access Administrator', 'own', 'PUT roleAssignment', 'allow'],
  ['User Access Administrator', 'delegated', 'PUT roleAssignment', 'allow'],
  ['User Access Administrator', 'own', 'PUT workspace', 'deny'],
  ['Log Analytics Reader', 'delegated', 'GET workspace', 'allow'],
  ['Log Analytics Reader', 'delegated', 'PUT workspace', 'deny'],
  ['Log Analytics Contributor', 'own', 'PUT workspace', 'allow'],
  ['Log Analytics Contributor', 'own', 'PUT roleAssignment', 'deny'],
  ['Microsoft Sentinel Reader', 'delegated', 'POST query', 'allow'],
  ['Log Analytics Reader', 'delegated', 'POST query', 'allow'],
  ['Reader', 'own', 'POST query', 'allow'],
  ['Microsoft Sentinel Contributor', 'revoked', 'POST query', 'deny'],
  ['Owner', 'unrelated', 'POST query', 'deny'],
  ['Microsoft Sentinel Responder', 'delegated', 'PUT savedSearch', 'deny'],
  ['Microsoft Sentinel Contributor', 'delegated', 'PUT savedSearch', 'allow'],
  ['Microsoft Sentinel Reader', 'own', 'GET savedSearches', 'allow'],
];

let t: TestServer;
const tokens = new Map<string, string>();
const adminToken = new Map<string, string>();
const ownerAssignment = new Map<string, string>();

before(async () => {
  t = await startTestServer({ environment: environment() });
  const jobs: Promise<void>[] = [];
  const get = (key: string, tenant: string, upn: string) => jobs.push(t.userToken(tenant, upn, PASSWORD).then((tok) => { tokens.set(key, tok); }));
  ROLES.forEach((r, i) => {
    get(`own:${r}`, A.tenant, `own-${i}@custa.example`);
    get(`oth:${r}`, O.tenant, `oth-${i}@other.example`);
    if (r !== 'Owner') get(`del:${r}`, M.tenant, `del-${i}@mssp.example`);
  });
  jobs.push(t.userToken(A.tenant, 'admin@custa.example', PASSWORD).then((tok) => { adminToken.set(A.sub, tok); }));
  jobs.push(t.userToken(B.tenant, 'admin@custb.example', PASSWORD).then((tok) => { adminToken.set(B.sub, tok); }));
  await Promise.all(jobs);
  for (const sub of [A.sub, B.sub]) {
    const list = await t.request('GET', `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`, { token: adminToken.get(sub)! });
    assert.equal(list.status, 200);
    const owner = (list.body.value as any[]).find((a) => a.properties.roleDefinitionId.toLowerCase().endsWith(ROLE_IDS.owner) && a.properties.scope.toLowerCase() === `/subscriptions/${sub}`);
    assert.ok(owner, 'the admin Owner assignment is listed');
    ownerAssignment.set(sub, owner.name);
  }
  // Customer B revokes its delegation before the matrix runs.
  const asg = await t.request('GET', `/subscriptions/${B.sub}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-10-01`, { token: adminToken.get(B.sub)! });
  assert.equal(asg.body.value.length, 1);
  const del = await t.request('DELETE', `${asg.body.value[0].id}?api-version=2022-10-01`, { token: adminToken.get(B.sub)! });
  assert.equal(del.status, 202);
});
after(async () => { await t?.close(); });

function callerFor(role: RoleName, col: Column): { token: string; sub: string } | undefined {
  switch (col) {
    case 'own': return { token: tokens.get(`own:${role}`)!, sub: A.sub };
    case 'delegated': return role === 'Owner' ? undefined : { token: tokens.get(`del:${role}`)!, sub: A.sub };
    case 'revoked': return role === 'Owner' ? undefined : { token: tokens.get(`del:${role}`)!, sub: B.sub };
    case 'unrelated': return { token: tokens.get(`oth:${role}`)!, sub: A.sub };
  }
}

const observed = new Map<string, 'allow' | 'deny' | 'connector'>();

test('Owner cannot be delegated: an environment delegating it is refused', async () => {
  const { db, close } = await openDatabase(':memory:');
  try {
    const env = stringify({
      directories: [
        { name: 'mssp', id: M.tenant, displayName: 'MSSP', domain: 'mssp.example', users: [{ name: 'x', upn: 'x@mssp.example', password: PASSWORD }] },
        { name: 'cust', id: A.tenant, displayName: 'Cust', domain: 'cust.example', subscriptions: [{ name: 'prod', id: A.sub, providers: ['Microsoft.ManagedServices'],
          delegations: [{ offer: 'Owner please', managedBy: 'mssp', authorizations: [{ principal: 'x', role: 'Owner' }] }] }] },
      ],
    });
    await assert.rejects(applyEnvironmentText(db, env, 'owner.yaml'), /Owner role cannot be delegated/);
    assert.equal((await db.selectFrom('registration_definitions').select('id').execute()).length, 0, 'nothing written');
  } finally { await close(); }
});

for (const col of COLUMNS) {
  test(`matrix: ${col}`, async () => {
    let cells = 0;
    for (const role of ROLES) {
      const caller = callerFor(role, col);
      if (caller === undefined) continue; // delegated Owner: not applicable (see the test above)
      const ctx: Ctx = { sub: caller.sub, role, col, cell: cellName(role, col), ownerAssignmentName: ownerAssignment.get(caller.sub)! };
      const admin = adminToken.get(caller.sub)!;
      for (const route of ROUTES) {
        const expected = derive(route, role, col);
        const where = `${role} / ${col} / ${route.name}`;
        const before = route.probe ? await t.request('GET', route.probe(ctx), { token: admin }) : undefined;
        const res = await t.request(route.method, route.path(ctx), { token: caller.token, ...(route.body ? { body: route.body(ctx) } : {}) });
        let outcome: 'allow' | 'deny' | 'connector';
        if (route.visible !== undefined) {
          assert.equal(res.status, 200, `${where}: ${JSON.stringify(res.body)}`);
          outcome = route.visible(res.body) ? 'allow' : 'deny';
        } else if (res.status === 403 && res.body?.error?.code === 'DelegatedConnectorDeploymentNotSupported') {
          outcome = 'connector';
        } else if (route.denied !== undefined && res.status === route.denied.status) {
          outcome = 'deny';
          assert.equal(res.body.error.code, route.denied.code, where);
        } else if (res.status === 403 || res.status === 401) {
          outcome = 'deny';
          assert.equal(res.status, 403, where);
          assert.equal(res.body.error.code, 'AuthorizationFailed', where);
        } else {
          outcome = 'allow';
          assert.ok(route.ok.includes(res.status), `${where}: allowed but answered ${res.status} ${JSON.stringify(res.body)}`);
        }
        assert.equal(outcome, expected, `${where}: expected ${expected}, got ${outcome} (${res.status} ${JSON.stringify(res.body?.error ?? '')})`);
        if (outcome !== 'allow' && route.probe) {
          const after = await t.request('GET', route.probe(ctx), { token: admin });
          assert.deepEqual({ status: after.status, body: after.body }, { status: before!.status, body: before!.body }, `${where}: a denied call changed state`);
        }
        observed.set(`${role}|${col}|${route.name}`, outcome);
        cells++;
      }
    }
    assert.ok(cells >= 8 * ROUTES.length);
  });
}

test('hand-written spot checks agree with what the server did', () => {
  for (const [role, col, route, expected] of SPOT) {
    assert.ok(ROUTES.some((r) => r.name === route), route);
    assert.equal(observed.get(`${role}|${col}|${route}`), expected, `${role} / ${col} / ${route}`);
  }
});

test('delegated User Access Administrator may assign only the roles the customer listed', async () => {
  const res = await t.request('PUT', `/subscriptions/${A.sub}/providers/Microsoft.Authorization/roleAssignments/${guid('f', 999)}?api-version=2022-04-01`, {
    token: tokens.get('del:User Access Administrator')!,
    body: { properties: { roleDefinitionId: `/subscriptions/${A.sub}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.contributor}`, principalId: targetGroupId('Reader', 'own') } },
  });
  assert.equal(res.status, 403);
  assert.equal(res.body.error.code, 'AuthorizationFailed');
  const probe = await t.request('GET', `/subscriptions/${A.sub}/providers/Microsoft.Authorization/roleAssignments/${guid('f', 999)}?api-version=2022-04-01`, { token: adminToken.get(A.sub)! });
  assert.equal(probe.status, 404);
});

test('no token: 401 on every route, nothing written', async () => {
  const ctx: Ctx = { sub: A.sub, role: 'Reader', col: 'own', cell: 'anon', ownerAssignmentName: ownerAssignment.get(A.sub)! };
  for (const route of ROUTES) {
    const res = await t.request(route.method, route.path(ctx), route.body ? { body: route.body(ctx) } : {});
    assert.equal(res.status, 401, route.name);
  }
  const rg = await t.request('GET', `/subscriptions/${A.sub}/resourceGroups/rg-anon?api-version=2025-04-01`, { token: adminToken.get(A.sub)! });
  assert.equal(rg.status, 404);
});
