// Near-real-time rules on a real clock: rows sent through the Logs Ingestion API raise alerts
// within moments, by ingestion time (an event that happened long ago but arrives now counts),
// each row exactly once however the sends interleave; an NRT rule may not read other workspaces.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startTestServer, WORLD, ws, type TestServer } from './harness.ts';
import { INGEST, query, queryToken, queryWorld, securityEventsRule, upload } from './query-fixtures.ts';

const F = WORLD.fabrikam;
const FWS = ws(F.subscription, F.rg, F.workspace);
const RULES = `${FWS}/providers/Microsoft.SecurityInsights/alertRules`;
const V = 'api-version=2022-09-01-preview';

let t: TestServer;
let admin: string;
let reader: string;
let customerId: string;
let target: { immutableId: string; stream: string };

before(async () => {
  t = await startTestServer({ environment: queryWorld() });
  admin = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  reader = await queryToken(t, F.tenant, WORLD.users.fabrikamAdmin);
  customerId = (await t.request('GET', `${FWS}?api-version=2022-10-01`, { token: admin })).body.properties.customerId;
  target = await securityEventsRule(t, admin, F, FWS, 'dcr-nrt');
});
after(async () => { await t.close(); });

const nrt = (query: string) => ({
  kind: 'NRT',
  properties: {
    displayName: 'Audit log cleared', severity: 'High', enabled: true, query, suppressionDuration: 'PT5H', suppressionEnabled: false,
    eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
    entityMappings: [{ entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] }],
  },
});

const alertHosts = async () => {
  const res = await query(t, reader, customerId, { query: "SecurityAlert | where ProductComponentName == 'NRT Alerts' | extend Host = tostring(parse_json(Entities)[0].HostName) | summarize n = count() by Host | sort by Host asc" });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.tables[0].rows as [string, number][];
};

test('rows raise NRT alerts as they arrive, by ingestion time, each exactly once', async () => {
  const saved = await t.request('PUT', `${RULES}/log-cleared?${V}`, { token: admin, body: nrt('SecurityEvent | where EventID == 1102 | project TimeGenerated, Computer') });
  assert.equal(saved.status, 201, JSON.stringify(saved.body));
  // One event generated a week ago but arriving now: NRT rules go by arrival.
  await upload(t, INGEST.fabrikam, target, [{ TimeGenerated: new Date(Date.now() - 7 * 86_400_000).toISOString(), Computer: 'old-host', EventID: 1102 }]);
  await eventually(alertHosts, (rows) => rows.length === 1, 'the NRT alert');
  // Twenty sends at once, one event each, interleaving with the rule's runs.
  await Promise.all(Array.from({ length: 20 }, (_, i) => upload(t, INGEST.fabrikam, target, [
    { TimeGenerated: new Date().toISOString(), Computer: `host${String(i).padStart(2, '0')}`, EventID: 1102 },
    { TimeGenerated: new Date().toISOString(), Computer: `benign${i}`, EventID: 4624 },
  ])));
  const rows = await eventually(alertHosts, (r) => r.length === 21, 'an alert per host');
  assert.deepEqual(rows, [...Array.from({ length: 20 }, (_, i) => [`host${String(i).padStart(2, '0')}`, 1]), ['old-host', 1]]);
  // The windows tile ingestion time: each starts where the previous ended.
  const runs = await t.server.services.db.selectFrom('rule_runs').select(['window_start', 'window_end']).where('rule_id', 'like', '%/log-cleared').orderBy('window_end').execute();
  for (let i = 1; i < runs.length; i++) assert.equal(runs[i]!.window_start, runs[i - 1]!.window_end);
});

test('an NRT rule may not read other workspaces', async () => {
  const res = await t.request('PUT', `${RULES}/nrt-cross?${V}`, { token: admin, body: nrt(`union SecurityEvent, workspace('${customerId}').SecurityEvent | where EventID == 1102`) });
  assert.equal(res.status, 201, 'its own workspace by workspace() is fine');
  const eli = await t.userToken(WORLD.soc.tenant, WORLD.users.eli.upn, WORLD.users.eli.password);
  const other = await t.request('GET', `${ws(WORLD.northwind.subscription, WORLD.northwind.rg, WORLD.northwind.workspace)}?api-version=2022-10-01`, { token: eli });
  assert.equal(other.status, 200);
  const cross = await t.request('PUT', `${RULES}/nrt-cross2?${V}`, { token: eli, body: nrt(`union SecurityEvent, workspace('${other.body.properties.customerId}').SecurityEvent | where EventID == 1102`) });
  assert.equal(cross.status, 400, JSON.stringify(cross.body));
  assert.match(cross.body.error.message, /near-real-time \(NRT\) rule cannot read other workspaces.*Make it a Scheduled rule/);
});
