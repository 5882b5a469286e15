// Analytics rules (Microsoft.SecurityInsights/alertRules) through ARM: with Microsoft's own SDK,
// bad input named by field, the query compiled on save, who may read and write rules, etags.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SecurityInsights, type ScheduledAlertRule, type NrtAlertRule } from '@azure/arm-securityinsight';
import { startTestServer, WORLD, ws, type TestServer, userCredential } from './harness.ts';

const F = WORLD.fabrikam;
const N = WORLD.northwind;
const FWS = ws(F.subscription, F.rg, F.workspace);
const RULES = `${FWS}/providers/Microsoft.SecurityInsights/alertRules`;
const V = 'api-version=2022-09-01-preview';

let t: TestServer;
let admin: string;
before(async () => {
  t = await startTestServer();
  admin = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
});
after(async () => { await t.close(); });

const credential = (tenant: string, user: { upn: string; password: string }) => userCredential(t, tenant, user);

const scheduled = (extra: Record<string, unknown> = {}) => ({
  kind: 'Scheduled',
  properties: {
    displayName: 'Many failed logons', severity: 'High', enabled: true,
    query: 'SecurityEvent | where EventID == 4625 | summarize c = count() by Computer | where c > 10',
    queryFrequency: 'PT5M', queryPeriod: 'PT1H', triggerOperator: 'GreaterThan', triggerThreshold: 0,
    suppressionDuration: 'PT1H', suppressionEnabled: false,
    entityMappings: [{ entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] }],
    ...extra,
  },
});
const put = (id: string, body: object, token = admin, headers: Record<string, string> = {}) =>
  t.request('PUT', `${RULES}/${id}?${V}`, { token, body, headers });

test('@azure/arm-securityinsight alertRules: Scheduled and NRT create, get, list, update, delete', async () => {
  const client = new SecurityInsights(credential(F.tenant, WORLD.users.fabrikamAdmin), F.subscription, { endpoint: t.url });
  const rule: ScheduledAlertRule = {
    kind: 'Scheduled', displayName: 'Many failed logons', description: '4625 spike', severity: 'High', enabled: true,
    query: 'SecurityEvent | where EventID == 4625 | summarize c = count() by Computer | where c > 10',
    queryFrequency: 'PT5M', queryPeriod: 'PT1H', triggerOperator: 'GreaterThan', triggerThreshold: 0,
    suppressionDuration: 'PT1H', suppressionEnabled: false, tactics: ['CredentialAccess'], techniques: ['T1110'],
    eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
    entityMappings: [{ entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] }],
    incidentConfiguration: { createIncident: true, groupingConfiguration: { enabled: true, reopenClosedIncident: false, lookbackDuration: 'PT5H', matchingMethod: 'AllEntities' } },
  };
  const created = await client.alertRules.createOrUpdate(F.rg, F.workspace, 'r-failed-logons', rule) as ScheduledAlertRule;
  assert.equal(created.kind, 'Scheduled');
  assert.equal(created.name, 'r-failed-logons');
  assert.equal(created.id, `${RULES}/r-failed-logons`);
  assert.equal(created.type, 'Microsoft.SecurityInsights/alertRules');
  assert.equal(created.queryFrequency, 'PT5M');
  assert.equal(created.queryPeriod, 'PT1H');
  assert.deepEqual(created.tactics, ['CredentialAccess']);
  assert.equal(created.eventGroupingSettings?.aggregationKind, 'AlertPerResult');
  assert.equal(created.incidentConfiguration?.groupingConfiguration?.lookbackDuration, 'PT5H');
  assert.ok(created.etag);
  assert.ok(created.lastModifiedUtc instanceof Date);

  const nrt: NrtAlertRule = {
    kind: 'NRT', displayName: 'New admin', severity: 'Medium', enabled: true, query: 'SecurityEvent | where EventID == 4732',
    suppressionDuration: 'PT5H', suppressionEnabled: false,
  };
  await client.alertRules.createOrUpdate(F.rg, F.workspace, 'r-nrt', nrt);

  const got = await client.alertRules.get(F.rg, F.workspace, 'R-FAILED-LOGONS') as ScheduledAlertRule;
  assert.equal(got.etag, created.etag);
  const updated = await client.alertRules.createOrUpdate(F.rg, F.workspace, 'r-failed-logons', { ...got, severity: 'Medium', queryFrequency: 'PT10M' }) as ScheduledAlertRule;
  assert.equal(updated.severity, 'Medium');
  assert.equal(updated.queryFrequency, 'PT10M');
  assert.notEqual(updated.etag, created.etag);

  const names: string[] = [];
  for await (const r of client.alertRules.list(F.rg, F.workspace)) names.push(`${r.kind}:${r.name}`);
  assert.deepEqual(names, ['Scheduled:r-failed-logons', 'NRT:r-nrt']);

  await client.alertRules.delete(F.rg, F.workspace, 'r-nrt');
  await assert.rejects(client.alertRules.get(F.rg, F.workspace, 'r-nrt'), (e: { statusCode?: number }) => e.statusCode === 404);
});

test('rule settings are checked, every problem named by its field, and nothing is saved', async () => {
  const cases: [string, object, RegExp][] = [
    ['no kind', { properties: scheduled().properties }, /kind/],
    ['an unknown kind', { kind: 'Fusion', properties: {} }, /kind must be one of Scheduled, NRT; got 'Fusion'/],
    ['missing settings', { kind: 'Scheduled', properties: { displayName: 'x' } }, /properties\.severity.*properties\.enabled.*properties\.query/],
    ['a bad duration', scheduled({ queryFrequency: '5 minutes' }), /properties\.queryFrequency: '5 minutes' is not an ISO 8601 duration/],
    ['a month', scheduled({ queryPeriod: 'P1M' }), /properties\.queryPeriod/],
    ['a lookback past 14 days', scheduled({ queryPeriod: 'P15D' }), /properties\.queryPeriod: must be from 1 minute to 14 days; got P15D/],
    ['frequency above lookback', scheduled({ queryFrequency: 'PT2H' }), /properties\.queryFrequency: \(2 hours\) must not be longer than queryPeriod \(1 hour\)/],
    ['an identifier of another entity type', scheduled({ entityMappings: [{ entityType: 'Host', fieldMappings: [{ identifier: 'Address', columnName: 'Computer' }] }] }),
      /properties\.entityMappings\.0\.fieldMappings\.0\.identifier: 'Address' is not an identifier of Host entities; use one of .*HostName/],
    ['an unknown entity type', scheduled({ entityMappings: [{ entityType: 'Spaceship', fieldMappings: [{ identifier: 'Name', columnName: 'Computer' }] }] }), /properties\.entityMappings\.0\.entityType: entityType must be one of Account/],
    ['eleven entity mappings', scheduled({ entityMappings: Array.from({ length: 11 }, () => ({ entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] })) }), /at most 10 entity mappings/],
    ['a bad tactic', scheduled({ tactics: ['Hacking'] }), /properties\.tactics\.0/],
    ['a bad technique', scheduled({ techniques: ['1110'] }), /properties\.techniques\.0: a technique is a MITRE ATT&CK id such as T1110/],
    ['grouping by an unknown detail', scheduled({ incidentConfiguration: { createIncident: true, groupingConfiguration: { enabled: true, matchingMethod: 'Selected', groupByCustomDetails: ['Nope'] } } }),
      /groupByCustomDetails\.0: 'Nope' is not a key of customDetails/],
    ['a grouping window of 1 minute', scheduled({ incidentConfiguration: { groupingConfiguration: { enabled: true, lookbackDuration: 'PT1M' } } }), /lookbackDuration: must be from 5 minutes to 7 days/],
    ['a query that does not parse', scheduled({ query: 'SecurityEvent | where (' }), /properties\.query: The query could not be parsed/],
    ['a query naming an unknown table', scheduled({ query: 'NoSuchTable | take 1' }), /properties\.query: .*NoSuchTable/],
    ['an entity column the query does not output', scheduled({ query: 'SecurityEvent | summarize c = count() by Account' }), /properties\.entityMappings\[0\]\.fieldMappings\[0\]\.columnName.*Computer/],
  ];
  for (const [what, body, message] of cases) {
    const res = await put('r-bad', body);
    assert.equal(res.status, 400, `${what}: ${JSON.stringify(res.body)}`);
    assert.match(res.body.error.message, message, what);
  }
  const missing = await t.request('GET', `${RULES}/r-bad?${V}`, { token: admin });
  assert.equal(missing.status, 404);
});

test('a rule keeps its kind; a stale etag is refused', async () => {
  const first = await put('r-etag', scheduled());
  assert.equal(first.status, 201);
  const kind = await put('r-etag', { kind: 'NRT', properties: { displayName: 'x', severity: 'Low', enabled: true, query: 'SecurityEvent' } });
  assert.equal(kind.status, 400);
  assert.match(kind.body.error.message, /is of kind 'Scheduled'; its kind cannot change to 'NRT'/);
  const again = await put('r-etag', { ...scheduled({ severity: 'Low' }), etag: first.body.etag });
  assert.equal(again.status, 200);
  const stale = await put('r-etag', { ...scheduled({ severity: 'Medium' }), etag: first.body.etag });
  assert.equal(stale.status, 412);
  const header = await put('r-etag', scheduled(), admin, { 'if-match': first.body.etag });
  assert.equal(header.status, 412);
  const now = await t.request('GET', `${RULES}/r-etag?${V}`, { token: admin });
  assert.equal(now.body.properties.severity, 'Low');
});

test('who may write and read rules: Contributor through delegation yes, Responder no, another customer nothing', async () => {
  const eli = await t.userToken(WORLD.soc.tenant, WORLD.users.eli.upn, WORLD.users.eli.password);
  const ana = await t.userToken(WORLD.soc.tenant, WORLD.users.ana.upn, WORLD.users.ana.password);
  const northwind = await t.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);

  const byEli = await put('r-mssp', scheduled(), eli);
  assert.equal(byEli.status, 201, JSON.stringify(byEli.body));
  assert.equal(byEli.body.systemData.createdBy, WORLD.users.eli.upn);

  const byAna = await put('r-ana', scheduled(), ana);
  assert.equal(byAna.status, 403);
  assert.equal(byAna.body.error.code, 'AuthorizationFailed');
  assert.equal((await t.request('GET', `${RULES}/r-mssp?${V}`, { token: ana })).status, 200, 'a Responder reads rules');
  assert.equal((await t.request('DELETE', `${RULES}/r-mssp?${V}`, { token: ana })).status, 403);

  for (const [method, path] of [['GET', `${RULES}/r-mssp`], ['GET', RULES], ['PUT', `${RULES}/r-northwind`], ['DELETE', `${RULES}/r-mssp`]] as const) {
    const res = await t.request(method, `${path}?${V}`, { token: northwind, ...(method === 'PUT' ? { body: scheduled() } : {}) });
    assert.equal(res.status, 403, `${method} ${path}`);
    assert.doesNotMatch(JSON.stringify(res.body), /Many failed logons/);
  }
  assert.equal((await t.request('GET', `${RULES}/r-mssp?${V}`, { token: admin })).status, 200, 'the rule is still there');
});
