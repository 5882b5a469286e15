// The rule scheduler end to end: SecurityEvent rows sent through the Logs Ingestion API, rules
// saved through ARM, windows run on a clock the test moves, alerts read back from SecurityAlert
// through the query API. Every window exactly once (ticks repeated, a restart on the same data
// directory, an hour of downtime caught up), suppression, and a failing rule disabled.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, WORLD, ws, type TestServer } from './harness.ts';
import { INGEST, query, queryToken, queryWorld, securityEventsRule, upload } from './query-fixtures.ts';

const F = WORLD.fabrikam;
const FWS = ws(F.subscription, F.rg, F.workspace);
const RULES = `${FWS}/providers/Microsoft.SecurityInsights/alertRules`;
const V = 'api-version=2022-09-01-preview';

let clock = new Date('2026-11-27T10:00:00Z');
const dataDir = mkdtempSync(join(tmpdir(), 'vigil-detect-'));
let t: TestServer;
let admin: string;
let reader: string;
let customerId: string;
let target: { immutableId: string; stream: string };

const start = () => startTestServer({ environment: queryWorld(), now: () => clock, dataDir, config: { schedulerTickSeconds: 300 } });

before(async () => {
  t = await start();
  admin = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  reader = await queryToken(t, F.tenant, WORLD.users.fabrikamAdmin);
  customerId = (await t.request('GET', `${FWS}?api-version=2022-10-01`, { token: admin })).body.properties.customerId;
  // A data collection rule sending the standard SecurityEvent stream to the workspace.
  target = await securityEventsRule(t, admin, F, FWS, 'dcr-security-events');
});
after(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const failedLogons = (computer: string, n: number, at: string) =>
  Array.from({ length: n }, (_, i) => ({ TimeGenerated: at, Computer: computer, EventID: 4625, Account: `CONTOSO\\user${i}`, Activity: '4625 - An account failed to log on.' }));

const rule = (extra: Record<string, unknown> = {}) => ({
  kind: 'Scheduled',
  properties: {
    displayName: 'Many failed logons on {{Computer}}', severity: 'High', enabled: true,
    query: 'SecurityEvent | where EventID == 4625 | summarize Failures = count(), TimeGenerated = max(TimeGenerated) by Computer | where Failures > 10',
    queryFrequency: 'PT5M', queryPeriod: 'PT1H', triggerOperator: 'GreaterThan', triggerThreshold: 0,
    suppressionDuration: 'PT1H', suppressionEnabled: false, tactics: ['CredentialAccess'], techniques: ['T1110'],
    eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
    entityMappings: [{ entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] }],
    customDetails: { Failures: 'Failures' },
    alertDetailsOverride: { alertDisplayNameFormat: 'Brute force on {{Computer}}' },
    ...extra,
  },
});

/** Tokens live an hour on the test's clock: sign in again after moving it. */
async function signIn(): Promise<void> {
  admin = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  reader = await queryToken(t, F.tenant, WORLD.users.fabrikamAdmin);
}

async function runs(ruleName: string) {
  const id = `${FWS.toLowerCase()}/providers/microsoft.securityinsights/alertrules/${ruleName}`;
  return t.server.services.db.selectFrom('rule_runs').selectAll().where('rule_id', '=', id).orderBy('window_end').execute();
}

async function alerts(where = '') {
  const res = await query(t, reader, customerId, { query: `SecurityAlert ${where} | sort by TimeGenerated asc, AlertName asc | project AlertName, AlertSeverity, Entities, ExtendedProperties, Tactics, ProviderName, StartTime` });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.tables[0].rows as unknown[][];
}

test('a scheduled rule runs each window once, after the ingestion delay, and its alerts land in SecurityAlert', async () => {
  await upload(t, INGEST.fabrikam, target, [...failedLogons('dc01', 12, '2026-11-27T09:30:00Z'), ...failedLogons('ws02', 3, '2026-11-27T09:30:00Z')]);
  const saved = await t.request('PUT', `${RULES}/brute-force?${V}`, { token: admin, body: rule() });
  assert.equal(saved.status, 201, JSON.stringify(saved.body));

  // Saved at 10:00: the first window ends 5 minutes (the delay) earlier, so it runs at once.
  await t.server.scheduler.tick();
  await t.server.scheduler.tick();
  let r = await runs('brute-force');
  assert.deepEqual(r.map((x) => [x.window_start, x.window_end, x.status, x.rows, x.alerts]), [['2026-11-27T08:55:00.000Z', '2026-11-27T09:55:00.000Z', 'Succeeded', 1, 1]]);

  const [first] = await alerts();
  assert.ok(first);
  const [name, severity, entities, extended, tactics, provider, startTime] = first as [string, string, string, string, string, string, string];
  assert.equal(name, 'Brute force on dc01');
  assert.equal(severity, 'High');
  assert.deepEqual(JSON.parse(entities), [{ $id: '2', Type: 'host', HostName: 'dc01' }]);
  const ext = JSON.parse(extended);
  assert.equal(ext['Analytic Rule Name'], 'Many failed logons on {{Computer}}');
  assert.equal(ext['Query Start Time UTC'], '2026-11-27T08:55:00.000Z');
  assert.deepEqual(JSON.parse(ext['Custom Details']), { Failures: ['12'] });
  assert.equal(tactics, 'CredentialAccess');
  assert.equal(provider, 'ASI Scheduled Alerts');
  assert.equal(startTime, '2026-11-27T09:30:00.000Z');

  // 10:04: the window ending 10:00 is over but not yet 5 minutes old; at 10:05 it runs.
  clock = new Date('2026-11-27T10:04:00Z');
  await t.server.scheduler.tick();
  assert.equal((await runs('brute-force')).length, 1);
  clock = new Date('2026-11-27T10:05:00Z');
  await t.server.scheduler.tick();
  r = await runs('brute-force');
  assert.deepEqual(r.map((x) => x.window_end), ['2026-11-27T09:55:00.000Z', '2026-11-27T10:00:00.000Z']);
  assert.equal((await alerts()).length, 2, 'the overlapping lookback sees dc01 again (no suppression)');
});

test('after a restart and an hour of downtime, every missed window runs once, in order', async () => {
  await t.close();
  clock = new Date('2026-11-27T11:05:00Z');
  t = await start();
  await signIn();
  await t.server.scheduler.tick();
  await t.server.scheduler.tick();
  const r = await runs('brute-force');
  const ends = r.map((x) => x.window_end);
  assert.equal(new Set(ends).size, ends.length, 'no window twice');
  assert.equal(ends.length, 2 + 12);
  for (let i = 1; i < ends.length; i++) assert.equal(Date.parse(ends[i]!) - Date.parse(ends[i - 1]!), 5 * 60_000, `no gap before ${ends[i]}`);
  assert.equal(ends.at(-1), '2026-11-27T11:00:00.000Z');
  // dc01's burst at 09:30 is inside the lookback of the windows ending up to 10:25.
  assert.deepEqual(r.map((x) => x.alerts), [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  const health = await query(t, reader, customerId, { query: "SentinelHealth | where SentinelResourceKind == 'Scheduled' | summarize count() by Status, OperationName" });
  assert.deepEqual(health.body.tables[0].rows, [['Success', 'Scheduled analytics rule run', 14]]);
});

test('suppression: after an alert, the rule raises none for the suppression duration', async () => {
  clock = new Date('2026-11-27T12:00:00Z');
  await signIn();
  await upload(t, INGEST.fabrikam, target, failedLogons('dc02', 11, '2026-11-27T11:50:00Z'));
  const saved = await t.request('PUT', `${RULES}/suppressed?${V}`, { token: admin, body: rule({ suppressionEnabled: true, suppressionDuration: 'PT1H', query: "SecurityEvent | where Computer == 'dc02' and EventID == 4625 | summarize Failures = count(), TimeGenerated = max(TimeGenerated) by Computer | where Failures > 10" }) });
  assert.equal(saved.status, 201, JSON.stringify(saved.body));
  await t.server.scheduler.tick();
  clock = new Date('2026-11-27T12:10:00Z');
  await t.server.scheduler.tick();
  const r = await runs('suppressed');
  assert.deepEqual(r.map((x) => [x.rows, x.alerts]), [[1, 1], [1, 0], [1, 0]]);
  assert.equal((await alerts("| where AlertType endswith '_suppressed'")).length, 1, 'one alert from the suppressing rule');
});

test('a rule whose windows keep failing is disabled, with the reason shown', async () => {
  clock = new Date('2026-11-27T13:00:00Z');
  await signIn();
  const parser = await t.request('PUT', `${FWS}/savedSearches/logons?api-version=2020-08-01`, { token: admin, body: { properties: { category: 'Parsers', displayName: 'logons', query: 'SecurityEvent | where EventID in (4624, 4625)', functionAlias: 'Logons' } } });
  assert.equal(parser.status, 200, JSON.stringify(parser.body));
  const saved = await t.request('PUT', `${RULES}/uses-parser?${V}`, { token: admin, body: rule({ query: 'Logons | summarize Failures = count(), TimeGenerated = max(TimeGenerated) by Computer', entityMappings: [], customDetails: {}, alertDetailsOverride: null }) });
  assert.equal(saved.status, 201, JSON.stringify(saved.body));
  assert.equal((await t.request('DELETE', `${FWS}/savedSearches/logons?api-version=2020-08-01`, { token: admin })).status, 200);

  // Three windows due; each is tried three times before it is recorded as failed.
  clock = new Date('2026-11-27T13:10:00Z');
  for (let i = 0; i < 9; i++) await t.server.scheduler.tick();
  const r = await runs('uses-parser');
  assert.deepEqual(r.map((x) => x.status), ['Failed', 'Failed', 'Failed']);
  assert.match(r[0]!.error!, /Logons/);
  const got = await t.request('GET', `${RULES}/uses-parser?${V}`, { token: admin });
  assert.equal(got.body.properties.enabled, false);
  assert.match(got.body.properties.disabledReason, /its last 3 windows failed .*Logons/);
  await t.server.scheduler.tick();
  assert.equal((await runs('uses-parser')).length, 3, 'a disabled rule does not run');
});

test('alerts become incidents: one per alert without grouping, grouped by entities within the lookback with it', async () => {
  clock = new Date('2026-11-27T14:00:00Z');
  await signIn();
  await upload(t, INGEST.fabrikam, target, failedLogons('dc03', 11, '2026-11-27T13:50:00Z'));
  const kql = "SecurityEvent | where Computer == 'dc03' and EventID == 4625 | summarize Failures = count(), TimeGenerated = max(TimeGenerated) by Computer | where Failures > 10";
  const grouped = await t.request('PUT', `${RULES}/grouped?${V}`, { token: admin, body: rule({ query: kql, incidentConfiguration: { createIncident: true, groupingConfiguration: { enabled: true, lookbackDuration: 'PT5H', matchingMethod: 'AllEntities' } } }) });
  assert.equal(grouped.status, 201, JSON.stringify(grouped.body));
  const single = await t.request('PUT', `${RULES}/ungrouped?${V}`, { token: admin, body: rule({ query: kql }) });
  assert.equal(single.status, 201, JSON.stringify(single.body));
  await t.server.scheduler.tick();
  clock = new Date('2026-11-27T14:10:00Z');
  await t.server.scheduler.tick();
  assert.deepEqual((await runs('grouped')).map((x) => x.alerts), [1, 1, 1]);

  const list = await t.request('GET', `${FWS}/providers/Microsoft.SecurityInsights/incidents?${V}&$top=1000`, { token: admin });
  assert.equal(list.status, 200);
  const ruleIdOf = (name: string) => `${FWS.toLowerCase()}/providers/microsoft.securityinsights/alertrules/${name}`;
  const of = (name: string) => list.body.value.filter((i: any) => i.properties.relatedAnalyticRuleIds.includes(ruleIdOf(name)));
  assert.deepEqual(of('grouped').map((i: any) => [i.properties.title, i.properties.additionalData.alertsCount, i.properties.status]), [['Brute force on dc03', 3, 'New']]);
  assert.deepEqual(of('ungrouped').map((i: any) => i.properties.additionalData.alertsCount), [1, 1, 1]);
  const numbers = list.body.value.map((i: any) => i.properties.incidentNumber).sort((a: number, b: number) => a - b);
  assert.deepEqual(numbers, Array.from({ length: numbers.length }, (_, i) => i + 1), 'numbered 1, 2, 3... in the workspace');

  const incident = of('grouped')[0];
  const alertsOf = await t.request('POST', `${incident.id}/alerts?${V}`, { token: admin });
  assert.equal(alertsOf.body.value.length, 3);
  assert.equal(alertsOf.body.value[0].properties.alertDisplayName, 'Brute force on dc03');
  const history = await query(t, reader, customerId, { query: `SecurityIncident | where IncidentName == '${incident.name}' | summarize rows = count(), alerts = max(array_length(AlertIds))` });
  assert.equal(history.status, 200, JSON.stringify(history.body));
  assert.deepEqual(history.body.tables[0].rows, [[3, 3]], 'a SecurityIncident row per change, the last naming its 3 alerts');

  // Its entities (Sentinel's listEntities shape) and its timeline.
  const entities = await t.request('POST', `${incident.id}/entities?${V}`, { token: admin });
  assert.equal(entities.status, 200);
  assert.deepEqual(entities.body.entities.map((e: any) => [e.kind, e.properties.hostName, e.properties.friendlyName]), [['Host', 'dc03', 'dc03']]);
  assert.deepEqual(entities.body.metaData, [{ count: 1, entityKind: 'Host' }]);
  const again = await t.request('POST', `${incident.id}/entities?${V}`, { token: admin });
  assert.equal(again.body.entities[0].name, entities.body.entities[0].name, 'an entity keeps its id');
  const anaId = (await t.server.services.db.selectFrom('principals').select('id').where('user_principal_name', '=', WORLD.users.ana.upn).executeTakeFirstOrThrow()).id;
  clock = new Date(clock.getTime() + 1000);
  const current = await t.request('GET', `${incident.id}?${V}`, { token: admin });
  const assigned = await t.request('PUT', `${incident.id}?${V}`, { token: admin, body: { etag: current.body.etag, properties: { ...current.body.properties, status: 'Active', owner: { objectId: anaId } } } });
  assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
  const timeline = await t.request('GET', `${incident.id.replace('/providers/Microsoft.SecurityInsights/', '/providers/Vigil.SecurityInsights/')}/timeline?api-version=2025-01-01`, { token: admin });
  assert.equal(timeline.status, 200, JSON.stringify(timeline.body));
  const kinds = timeline.body.value.map((e: any) => e.kind);
  assert.deepEqual(kinds.filter((k: string) => k === 'Alert').length, 3);
  const change = timeline.body.value.find((e: any) => e.kind === 'Changed');
  assert.ok(change, JSON.stringify(timeline.body.value));
  assert.match(change.title, new RegExp(`Status: New -> Active; Owner: \\(unassigned\\) -> ${WORLD.users.ana.upn}`));
  assert.equal(change.by, WORLD.users.fabrikamAdmin.upn);

  const runsRes = await t.request('GET', `${FWS}/providers/Vigil.SecurityInsights/alertRules/grouped/runs?api-version=2025-01-01&$top=2`, { token: admin });
  assert.equal(runsRes.status, 200);
  assert.deepEqual(runsRes.body.value.map((r: any) => [r.status, r.alerts]), [['Succeeded', 1], ['Succeeded', 1]]);
  assert.ok(runsRes.body.value[0].windowEnd > runsRes.body.value[1].windowEnd, 'newest first');
});

test('test with current data: the alerts a rule would have raised over the last day, raising none', async () => {
  const alertsBefore = (await t.server.services.db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  const res = await t.request('POST', `${FWS}/providers/Vigil.SecurityInsights/testAlertRule?api-version=2025-01-01`, { token: admin, body: { ...rule(), days: 1 } });
  assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 500));
  // Three bursts, each inside the hour-long lookback of the five-minute windows ending up to an
  // hour after it: dc01 09:30 and dc02 11:50 in 12 windows each, dc03 13:50 in the 3 ending by
  // 14:05 (the newest window at 14:10 with the 5-minute delay).
  assert.equal(res.body.windows.length, 288);
  assert.equal(res.body.totalAlerts, 12 + 12 + 3);
  assert.equal(res.body.windowsWithAlerts, 27);
  assert.equal(res.body.windows.at(-1).end, '2026-11-27T14:05:00.000Z');
  assert.equal((await t.server.services.db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n, alertsBefore, 'nothing raised');
  const bad = await t.request('POST', `${FWS}/providers/Vigil.SecurityInsights/testAlertRule?api-version=2025-01-01`, { token: admin, body: { ...rule(), days: 30 } });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /days must be a whole number from 1 to 14/);
  const northwind = await t.userToken(WORLD.northwind.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  assert.equal((await t.request('POST', `${FWS}/providers/Vigil.SecurityInsights/testAlertRule?api-version=2025-01-01`, { token: northwind, body: { ...rule(), days: 1 } })).status, 403);
});

test('automation a run owed when the server stopped runs at the next start', async () => {
  await signIn();
  const list = await t.request('GET', `${FWS}/providers/Microsoft.SecurityInsights/incidents?${V}&$top=1&$orderby=properties/incidentNumber asc`, { token: admin });
  const incident = list.body.value[0];
  const rule = await t.request('PUT', `${FWS}/providers/Microsoft.SecurityInsights/automationRules/owed?${V}`, { token: admin, body: { properties: {
    displayName: 'Label new incidents', order: 1,
    triggeringLogic: { isEnabled: true, triggersOn: 'Incidents', triggersWhen: 'Created', conditions: [] },
    actions: [{ order: 1, actionType: 'ModifyProperties', actionConfiguration: { labels: [{ labelName: 'owed-automation' }] } }],
  } } });
  assert.equal(rule.status, 201, JSON.stringify(rule.body));
  assert.equal((await t.server.services.db.selectFrom('pending_automation').selectAll().execute()).length, 0, 'runs leave nothing owed');
  // As a run's transaction leaves it when the process stops before the automation runs.
  const incidentKey = `${FWS.toLowerCase()}/providers/microsoft.securityinsights/incidents/${incident.name.toLowerCase()}`;
  await t.server.services.db.insertInto('pending_automation').values({ workspace_id: customerId, events: JSON.stringify([{ kind: 'IncidentCreated', incidentId: incidentKey }]), created_at: clock.toISOString() }).execute();
  await t.close();
  t = await start();
  await signIn();
  const after = await t.request('GET', `${incident.id}?${V}`, { token: admin });
  assert.ok(after.body.properties.labels.some((l: any) => l.labelName === 'owed-automation'), JSON.stringify(after.body.properties.labels));
  assert.equal((await t.server.services.db.selectFrom('pending_automation').selectAll().execute()).length, 0);
});
