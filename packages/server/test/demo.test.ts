// The demo world of the first start (docs/demo.md): docs/examples/demo.yaml applied to an empty
// data directory, its customers onboarded through Microsoft's Lighthouse template, the traffic
// generator's events arriving through every path in every customer workspace, incidents from
// its attacks; `vigil serve --no-demo` and VIGIL_DEMO=0 start empty; a restart runs the traffic
// again but never applies the file again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { eventually, startTestServer, ws, type TestServer } from './harness.ts';
import { spawn } from 'node:child_process';
import { childEnv, freePort, machineLock, SERVE_NODE_ARGS, stopChildServer, VIGIL_BIN } from './child-server.ts';
import { resolveConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { DEMO_ENVIRONMENT_FILE, DEMO_MARKER, installDemo, startDemoTraffic } from '../src/demo/demo.ts';
import type { TrafficGenerator } from '../src/demo/traffic.ts';
import { ATTACKS } from '../src/demo/events.ts';
import { ROLE_IDS } from '../src/access/builtin-roles.ts';

const SOC = { tenant: 'contososoc.example', sub: '5a0c0000-0000-4000-8000-0000000000f1' };
const CUSTOMERS = [
  { name: 'fabrikam', tenant: 'fabrikam.example', sub: '5a0c0000-0000-4000-8000-0000000002a1', rg: 'rg-sentinel', ws: 'ws-fabrikam', admin: ['admin@fabrikam.example', 'Fabrikam-Passw0rd!'] },
  { name: 'northwind', tenant: 'northwind.example', sub: '5a0c0000-0000-4000-8000-0000000003a1', rg: 'rg-sec', ws: 'ws-northwind', admin: ['admin@northwind.example', 'Northwind-Passw0rd!'] },
  { name: 'tailspin', tenant: 'tailspintoys.example', sub: '5a0c0000-0000-4000-8000-0000000004a1', rg: 'rg-soc-tailspin', ws: 'ws-tailspin', admin: ['admin@tailspintoys.example', 'Tailspin-Passw0rd!'] },
] as const;
const ANA = ['ana@contososoc.example', 'Tier1-Passw0rd!'] as const;
const LEE = ['lee@contososoc.example', 'Lead-Passw0rd!'] as const;
const SI = 'api-version=2024-09-01';

let dataDir: string;
let t: TestServer;
let traffic: TrafficGenerator;
let unlock: (() => void) | undefined;

before(async () => {
  // The demo's connectors listen on fixed ports: one demo at a time on this machine (the quick-start test runs one too).
  unlock = await machineLock('vigil-demo-ports');
  dataDir = join(mkdtempSync(join(tmpdir(), 'vigil-demo-')), 'data');
  const config = resolveConfig({ dataDir, scheduledRuleDelaySeconds: 0, schedulerTickSeconds: 1 });
  // As `vigil serve` does on an empty data directory: apply the demo, then start the server.
  const summary = await installDemo(config);
  assert.ok(summary.created.length > 100, `the demo creates its world (${summary.created.length})`);
  t = await startTestServer({ environment: '', dataDir, config: { scheduledRuleDelaySeconds: 0, schedulerTickSeconds: 1 } });
  // Faster than the defaults (15 s rounds, first attacks after 20 s), for a test under a minute.
  traffic = (await startDemoTraffic(t.server, { tickMs: 400, firstAttackMs: 500, attackEveryMs: 60_000, azureActivityEveryMs: 60_000 })).traffic;
});

after(async () => {
  await traffic?.stop();
  await t?.close();
  rmSync(join(dataDir, '..'), { recursive: true, force: true });
  unlock?.();
});

test('the demo file is an ordinary environment file: the MSSP, its groups and three customers', async () => {
  const spec = parseYaml(readFileSync(DEMO_ENVIRONMENT_FILE, 'utf8')) as { directories: { displayName: string }[] };
  assert.deepEqual(spec.directories.map((d) => d.displayName), ['Contoso SOC', 'Fabrikam', 'Northwind Traders', 'Tailspin Toys']);
  assert.ok(existsSync(join(dataDir, DEMO_MARKER)));

  // Ana (tier 1) sees the SOC's subscription and, through Lighthouse, every customer's.
  const ana = await t.userToken(SOC.tenant, ...ANA);
  const subs = await t.request('GET', '/subscriptions?api-version=2022-12-01', { token: ana });
  assert.equal(subs.status, 200);
  assert.deepEqual(subs.body.value.map((s: { subscriptionId: string }) => s.subscriptionId).sort(), [SOC.sub, ...CUSTOMERS.map((c) => c.sub)].sort());
  // Responder through the delegation: she may work incidents, not write rules.
  const rule = await t.request('PUT', `${ws(CUSTOMERS[0].sub, CUSTOMERS[0].rg, CUSTOMERS[0].ws)}/providers/Microsoft.SecurityInsights/alertRules/${randomUUID()}?${SI}`, {
    token: ana, body: { kind: 'NRT', properties: { displayName: 'x', severity: 'Low', enabled: true, query: 'SecurityEvent', suppressionDuration: 'PT1H', suppressionEnabled: false } },
  });
  assert.equal(rule.status, 403, JSON.stringify(rule.body));
});

test('each customer was onboarded through the Lighthouse template, with an eligible Contributor role for the lead', async () => {
  for (const c of CUSTOMERS) {
    const admin = await t.userToken(c.tenant, c.admin[0], c.admin[1]);
    const dep = await t.request('GET', `/subscriptions/${c.sub}/providers/Microsoft.Resources/deployments/lighthouse-onboarding?api-version=2025-04-01`, { token: admin });
    assert.equal(dep.status, 200, JSON.stringify(dep.body));
    assert.equal(dep.body.properties.provisioningState, 'Succeeded');
    assert.equal(dep.body.properties.outputs.mspOfferName.value, 'Managed by Contoso SOC managed Sentinel');
    const defs = await t.request('GET', `/subscriptions/${c.sub}/providers/Microsoft.ManagedServices/registrationDefinitions?api-version=2022-10-01`, { token: admin });
    assert.equal(defs.status, 200);
    assert.equal(defs.body.value.length, 1);
    const d = defs.body.value[0].properties;
    assert.equal(d.managedByTenantId, '5a0c0000-0000-4000-8000-000000000001');
    assert.ok(d.authorizations.some((a: { roleDefinitionId: string }) => a.roleDefinitionId === ROLE_IDS.sentinelResponder));
    assert.deepEqual(d.eligibleAuthorizations.map((e: { roleDefinitionId: string; justInTimeAccessPolicy: { maximumActivationDuration: string } }) => [e.roleDefinitionId, e.justInTimeAccessPolicy.maximumActivationDuration]), [[ROLE_IDS.contributor, 'PT4H']]);
  }
  // Lee may not write until he activates Contributor just in time; then he may.
  const lee = await t.userToken(SOC.tenant, ...LEE);
  const oid = JSON.parse(Buffer.from(lee.split('.')[1]!, 'base64url').toString()).oid as string;
  const c = CUSTOMERS[1];
  const rgPath = `/subscriptions/${c.sub}/resourceGroups/rg-lead?api-version=2025-04-01`;
  assert.equal((await t.request('PUT', rgPath, { token: lee, body: { location: 'westeurope' } })).status, 403, 'eligible is not active');
  const activated = await t.request('PUT', `/subscriptions/${c.sub}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${randomUUID()}?api-version=2022-04-01`, {
    token: lee, body: { properties: { principalId: oid, roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.contributor}`, requestType: 'SelfActivate', justification: 'Demo: containing an incident', scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT1H' } } } },
  });
  assert.equal(activated.status, 201, JSON.stringify(activated.body));
  assert.equal(activated.body.properties.status, 'Provisioned');
  assert.equal((await t.request('PUT', rgPath, { token: lee, body: { location: 'westeurope' } })).status, 201);
});

test("the generator's events arrive through every path in every customer workspace, and incidents follow", async () => {
  const ana = await t.userToken(SOC.tenant, ...ANA, 'https://api.loganalytics.io/.default');
  const tables = ['SecurityEvent', 'SigninLogs', 'OfficeActivity', 'Syslog', 'CommonSecurityLog', 'AzureActivity'];
  const query = tables.map((name) => `(${name} | summarize n = count() | extend t = '${name}')`).join(', ');
  for (const c of CUSTOMERS) {
    const workspaceId = (await openWorkspaceId(c)).toString();
    await eventually(async () => {
      const res = await t.request('POST', `/v1/workspaces/${workspaceId}/query`, { token: ana, body: { query: `union ${query} | project t, n` } });
      if (res.status !== 200) throw new Error(JSON.stringify(res.body));
      return Object.fromEntries((res.body.tables[0].rows as [string, number][]).map(([name, n]) => [name, n]));
    }, (counts) => tables.every((name) => (counts[name] ?? 0) > 0), `events of every path in ${c.ws}`);
  }
  // Realistic values: Windows logons of the customer's own domain, sign-ins of its own users.
  const fab = await t.request('POST', `/v1/workspaces/${await openWorkspaceId(CUSTOMERS[0])}/query`, { token: ana, body: { query: "SigninLogs | summarize any(UserPrincipalName)" } });
  assert.match(String(fab.body.tables[0].rows[0][0]), /@fabrikam\.example$/);

  // The first attacks (a near-real-time one per customer) become incidents Ana sees in each workspace.
  const arm = await t.userToken(SOC.tenant, ...ANA);
  for (const c of CUSTOMERS) {
    const incidents = await eventually(async () => {
      const res = await t.request('GET', `${ws(c.sub, c.rg, c.ws)}/providers/Microsoft.SecurityInsights/incidents?${SI}`, { token: arm });
      if (res.status !== 200) throw new Error(JSON.stringify(res.body));
      return res.body.value as { properties: { title: string; severity: string } }[];
    }, (list) => list.length > 0, `an incident in ${c.ws}`);
    assert.match(incidents[0]!.properties.title, /added a member to Domain Admins|Security log cleared on/);
  }
  const sent = traffic.sent.get('fabrikam')!;
  assert.equal(sent.failures, 0, JSON.stringify(sent));
});

test("every attack is caught by its rule's query in the customer's workspace", async () => {
  const c = CUSTOMERS[0];
  // The first wave made attacks 0 and 2 on Fabrikam; make the others now (the role assignment one last).
  for (let i = 1; i < ATTACKS.length; i++) if (i !== 2) await traffic.attack(c.name, i);
  const arm = await t.userToken(SOC.tenant, ...ANA);
  const rules = await t.request('GET', `${ws(c.sub, c.rg, c.ws)}/providers/Microsoft.SecurityInsights/alertRules?${SI}`, { token: arm });
  assert.equal(rules.status, 200);
  const expected = new Set(traffic.attacks.filter((a) => a.directory === c.name).map((a) => a.expect));
  assert.equal(expected.size, ATTACKS.length, 'one attack for each rule');
  const scheduled = (rules.body.value as { kind: string; properties: { displayName: string; query: string; queryFrequency: string } }[]).filter((r) => r.kind === 'Scheduled');
  assert.equal(scheduled.length, 8);
  const ana = await t.userToken(SOC.tenant, ...ANA, 'https://api.loganalytics.io/.default');
  const workspaceId = await openWorkspaceId(c);
  for (const r of scheduled) {
    assert.ok(expected.has(r.properties.displayName), r.properties.displayName);
    assert.equal(r.properties.queryFrequency, 'PT5M');
    // The rule's query over the last hour (its windows are 5 minutes; the test does not wait for one) finds the attack.
    await eventually(async () => {
      const res = await t.request('POST', `/v1/workspaces/${workspaceId}/query`, { token: ana, body: { query: r.properties.query, timespan: 'PT1H' } });
      if (res.status !== 200) throw new Error(JSON.stringify(res.body));
      return res.body.tables[0].rows.length as number;
    }, (n) => n > 0, `a result of '${r.properties.displayName}'`);
  }
});

test('the role assignment attack is made through ARM, seen in AzureActivity, and removed when the generator stops', async () => {
  // It comes round to each customer later in the rotation; make it now.
  const c = CUSTOMERS[2];
  const admin = await t.userToken(c.tenant, c.admin[0], c.admin[1]);
  const owners = async () => {
    const list = await t.request('GET', `/subscriptions/${c.sub}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`, { token: admin });
    assert.equal(list.status, 200);
    return list.body.value.filter((a: { properties: { roleDefinitionId: string } }) => a.properties.roleDefinitionId.endsWith(ROLE_IDS.owner)).length as number;
  };
  await traffic.attack(c.name, ATTACKS.length - 1);
  assert.equal(await owners(), 2, 'the attack made the forwarder app Owner');
  const ana = await t.userToken(SOC.tenant, ...ANA, 'https://api.loganalytics.io/.default');
  await eventually(async () => {
    const res = await t.request('POST', `/v1/workspaces/${await openWorkspaceId(c)}/query`, { token: ana, body: { query: "AzureActivity | where OperationNameValue =~ 'Microsoft.Authorization/roleAssignments/write' | count" } });
    return res.body.tables[0].rows[0][0] as number;
  }, (n) => n > 0, 'the role assignment in AzureActivity');
  await traffic.stop();
  assert.equal(await owners(), 1, 'only the admin is Owner again');
});

test('a restart runs the demo traffic again but never applies the file again; --no-demo and VIGIL_DEMO=0 start empty', async () => {
  const admin = await t.userToken(CUSTOMERS[0].tenant, CUSTOMERS[0].admin[0], CUSTOMERS[0].admin[1]);
  // The customer deletes one of the demo's rules: a restart must not bring it back.
  const ruleId = '7ede9741-6a6b-4f5f-b304-841c5a641f62';
  const del = await t.request('DELETE', `${ws(CUSTOMERS[0].sub, CUSTOMERS[0].rg, CUSTOMERS[0].ws)}/providers/Microsoft.SecurityInsights/alertRules/${ruleId}?${SI}`, { token: admin });
  assert.equal(del.status, 200);
  const marker = readFileSync(join(dataDir, DEMO_MARKER), 'utf8');
  await t.close();

  // The restart and two first starts without the demo, all at once (each start takes seconds).
  const restarted = serveOnce(dataDir, [], childEnv(), 'Sign in with');
  const empties = ([[['--no-demo'], childEnv()], [[], { ...childEnv(), VIGIL_DEMO: '0' }]] as const).map(async ([args, env]) => {
    const empty = join(dataDir, '..', `empty-${args.length}`);
    return { empty, text: await serveOnce(empty, [...args], env, 'Vigil is listening') };
  });
  const out = await restarted;
  assert.match(out, /Demo world .* is running again/);
  assert.doesNotMatch(out, /Demo world set up|setting up the demo/);
  assert.equal(readFileSync(join(dataDir, DEMO_MARKER), 'utf8'), marker);
  const { db, close } = await openDatabase(dataDir);
  try {
    const rules = await db.selectFrom('alert_rules').select('id').where('id', 'like', `%/alertrules/${ruleId}`).execute();
    assert.equal(rules.length, 2, 'the deleted rule stays deleted (the other customers keep theirs)');
  } finally {
    await close();
  }

  for (const { empty, text } of await Promise.all(empties)) {
    assert.doesNotMatch(text, /demo world/i);
    assert.equal(existsSync(join(empty, DEMO_MARKER)), false);
    const opened = await openDatabase(empty);
    try {
      assert.equal((await opened.db.selectFrom('directories').select('id').execute()).length, 0, 'no directories');
    } finally {
      await opened.close();
    }
  }
});

/** `vigil serve` on `dir` until its output shows `until` (and a moment more), then stopped; its output. */
async function serveOnce(dir: string, args: string[], env: NodeJS.ProcessEnv, until: string): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, [...SERVE_NODE_ARGS, VIGIL_BIN, 'serve', '--data-dir', dir, '--port', String(port), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += String(d); });
  child.stderr.on('data', (d) => { out += String(d); });
  try {
    // A start takes seconds, more on a loaded machine: a generous deadline of its own.
    const deadline = Date.now() + 90_000;
    while (!out.includes(until)) {
      if (child.exitCode !== null) throw new Error(`vigil serve exited (${child.exitCode}): ${out}`);
      if (Date.now() > deadline) throw new Error(`vigil serve did not print '${until}' within 90 s: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    await stopChildServer(child);
  }
  return out;
}

async function openWorkspaceId(c: (typeof CUSTOMERS)[number]): Promise<string> {
  const row = await t.server.services.db.selectFrom('workspaces').select('customer_id').where('name', '=', c.ws).executeTakeFirstOrThrow();
  return row.customer_id;
}

test('a demo that fails to apply leaves the data directory empty, so that the next start tries again', async () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-demo-broken-'));
  try {
    const broken = join(root, 'broken.yaml');
    writeFileSync(broken, readFileSync(DEMO_ENVIRONMENT_FILE, 'utf8').replace('template: Brute force against a Windows account', 'template: No such template'));
    const empty = join(root, 'data');
    await assert.rejects(installDemo(resolveConfig({ dataDir: empty }), broken), /broken\.yaml:\d+:\d+: .*'No such template' is not a rule template/);
    assert.deepEqual(readdirSync(empty), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
