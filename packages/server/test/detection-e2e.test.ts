// Detection end to end, as an MSSP runs it: events arrive through syslog (a Syslog connector
// over TCP) and the Logs Ingestion API; an MSSP engineer, through the Lighthouse delegation,
// writes a customer rule and an automation rule, and a cross-workspace rule in the MSSP's own
// workspace reads both customers; alerts group into incidents, automation acts on them, a
// tier-1 analyst assigns and closes them through delegation; a user of an unrelated directory
// sees none of it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as tcpConnect } from 'node:net';
import { parse, stringify } from 'yaml';
import { eventually, startTestServer, WORLD, ws, type TestServer } from './harness.ts';
import { INGEST, query, queryToken, queryWorld, securityEventsRule, upload } from './query-fixtures.ts';

const F = WORLD.fabrikam;
const N = WORLD.northwind;
const SOC = { subscription: WORLD.soc.subscription, rg: 'rg-soc', workspace: 'ws-soc' };
const FWS = ws(F.subscription, F.rg, F.workspace);
const NWS = ws(N.subscription, N.rg, N.workspace);
const SWS = ws(SOC.subscription, SOC.rg, SOC.workspace);
const V = 'api-version=2022-09-01-preview';
const VV = 'api-version=2025-01-01';
const OTHER = { tenant: '55555555-5555-5555-5555-555555555555', subscription: '00000000-0000-0000-0000-00000000cc01', upn: 'someone@unrelated.example', password: 'Unrelated-Passw0rd!' };

let clock = new Date('2026-11-27T10:00:00Z');
let t: TestServer;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

/** The example world, plus a directory that has nothing to do with the MSSP or its customers. */
function world(): string {
  const doc = parse(queryWorld()) as { directories: any[] };
  doc.directories.push({
    name: 'unrelated', id: OTHER.tenant, displayName: 'Unrelated Co', domain: 'unrelated.example',
    users: [{ name: 'someone', upn: OTHER.upn, password: OTHER.password }],
    subscriptions: [{ name: 'u', id: OTHER.subscription, providers: ['Microsoft.OperationalInsights', 'Microsoft.SecurityInsights'],
      resourceGroups: [{ name: 'rg-u', location: 'westeurope', workspaces: [{ name: 'ws-unrelated' }] }], roleAssignments: [{ principal: 'someone', role: 'Owner' }] }],
  });
  return stringify(doc);
}

async function signIn(): Promise<void> {
  tokens.fabrikam = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  tokens.northwind = await t.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  tokens.eli = await t.userToken(WORLD.soc.tenant, WORLD.users.eli.upn, WORLD.users.eli.password);
  tokens.ana = await t.userToken(WORLD.soc.tenant, WORLD.users.ana.upn, WORLD.users.ana.password);
  tokens.anaQuery = await queryToken(t, WORLD.soc.tenant, WORLD.users.ana);
  tokens.other = await t.userToken(OTHER.tenant, OTHER.upn, OTHER.password);
  tokens.otherQuery = await queryToken(t, OTHER.tenant, { upn: OTHER.upn, password: OTHER.password });
}

const failures = (computer: string, n: number) => Array.from({ length: n }, (_, i) => ({ TimeGenerated: new Date(clock.getTime() - 10 * 60_000).toISOString(), Computer: computer, EventID: 4625, Account: `user${i}` }));

before(async () => {
  t = await startTestServer({ environment: world(), now: () => clock, config: { schedulerTickSeconds: 300 } });
  await signIn();
  for (const [name, path] of [['soc', SWS], ['fabrikam', FWS], ['northwind', NWS]] as const) {
    const token = name === 'soc' ? tokens.eli! : tokens[name]!;
    ids[name] = (await t.request('GET', `${path}?api-version=2022-10-01`, { token })).body.properties.customerId;
  }
});
after(async () => { await t.close(); });

test('the MSSP world detects across customers, automation acts, analysts close through delegation, outsiders see nothing', async () => {
  // The customer deploys its Syslog connector itself (connectors need a direct sign-in).
  const connector = await t.request('PUT', `${FWS}/providers/Microsoft.SecurityInsights/dataConnectors/linux-syslog?${V}`, { token: tokens.fabrikam, body: { kind: 'Syslog', properties: { protocol: 'tcp', port: 0 } } });
  assert.equal(connector.status, 201, JSON.stringify(connector.body));
  const syslogPort = connector.body.properties.connectivity.listening.port as number;
  const fabrikamEvents = await securityEventsRule(t, tokens.fabrikam!, F, FWS, 'dcr-se');
  const northwindEvents = await securityEventsRule(t, tokens.northwind!, N, NWS, 'dcr-se');

  // Events arrive first (the server's own scheduler ticks a few seconds after start, on its own
  // clock, and must find them there): sshd failures over TCP syslog, logon failures through the
  // ingestion API.
  const lines = Array.from({ length: 4 }, (_, i) => `<38>Nov 27 09:58:0${i} web01 sshd[4242]: Failed password for root from 203.0.113.9 port 22 ssh2\n`).join('');
  await new Promise<void>((resolve, reject) => { const s = tcpConnect(syslogPort, '127.0.0.1', () => s.end(lines)); s.on('close', () => resolve()); s.on('error', reject); });
  await upload(t, INGEST.fabrikam, fabrikamEvents, failures('fab-dc01', 8));
  await upload(t, INGEST.northwind, northwindEvents, failures('nw-sql02', 7));
  // Syslog over TCP is taken asynchronously: wait until its rows are in (or fail saying so).
  await eventually(() => query(t, tokens.anaQuery!, ids.fabrikam!, { query: 'Syslog | count' }), (r) => r.status === 200 && r.body.tables[0].rows[0][0] === 4, 'the 4 syslog lines in Fabrikam\'s Syslog table');
  // Eli, an MSSP engineer, works in Fabrikam through the delegation: an NRT rule on syslog and an automation rule.
  const sshRule = await t.request('PUT', `${FWS}/providers/Microsoft.SecurityInsights/alertRules/ssh-root?${V}`, { token: tokens.eli, body: { kind: 'NRT', properties: {
    displayName: 'SSH root login failures', severity: 'Medium', enabled: true, suppressionDuration: 'PT1H', suppressionEnabled: false,
    query: "Syslog | where ProcessName == 'sshd' and SyslogMessage has 'Failed password for root' | summarize Attempts = count() by HostName | where Attempts >= 3",
    entityMappings: [{ entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'HostName' }] }],
    eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
  } } });
  assert.equal(sshRule.status, 201, JSON.stringify(sshRule.body));
  const automation = await t.request('PUT', `${FWS}/providers/Microsoft.SecurityInsights/automationRules/triage?${V}`, { token: tokens.eli, body: { properties: {
    displayName: 'Escalate SSH incidents', order: 1,
    triggeringLogic: { isEnabled: true, triggersOn: 'Incidents', triggersWhen: 'Created', conditions: [{ conditionType: 'Property', conditionProperties: { propertyName: 'IncidentTitle', operator: 'Contains', propertyValues: ['SSH'] } }] },
    actions: [{ order: 1, actionType: 'ModifyProperties', actionConfiguration: { severity: 'High', labels: [{ labelName: 'auto-escalated' }] } }],
  } } });
  assert.equal(automation.status, 201, JSON.stringify(automation.body));

  // The MSSP's own cross-workspace rule, in its own workspace, reading both customers.
  const cross = await t.request('PUT', `${SWS}/providers/Microsoft.SecurityInsights/alertRules/cross-brute-force?${V}`, { token: tokens.eli, body: { kind: 'Scheduled', properties: {
    displayName: 'Brute force at a customer', severity: 'Medium', enabled: true, queryFrequency: 'PT5M', queryPeriod: 'PT1H', triggerOperator: 'GreaterThan', triggerThreshold: 0,
    suppressionDuration: 'PT1H', suppressionEnabled: false,
    query: "union workspace('ws-fabrikam').SecurityEvent, workspace('ws-northwind').SecurityEvent | where EventID == 4625 | summarize Failures = count() by Computer, TenantId | where Failures > 5",
    entityMappings: [{ entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] }],
    eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
  } } });
  assert.equal(cross.status, 201, JSON.stringify(cross.body));

  clock = new Date(clock.getTime() + 60_000);
  await t.server.scheduler.tick();

  // Fabrikam: the NRT alert became an incident that automation escalated and labelled.
  const queue = await t.request('GET', `/providers/Vigil.SecurityInsights/incidents?${VV}`, { token: tokens.ana });
  assert.equal(queue.status, 200);
  const byTitle = (title: string) => (queue.body.value as any[]).filter((i) => i.properties.title === title);
  const [ssh] = byTitle('SSH root login failures');
  assert.ok(ssh, JSON.stringify(queue.body.value.map((i: any) => i.properties.title)));
  assert.equal(ssh.properties.workspace.directoryName, 'Fabrikam');
  assert.equal(ssh.properties.severity, 'High', 'automation raised the severity');
  assert.ok(ssh.properties.labels.some((l: any) => l.labelName === 'auto-escalated'));
  // The MSSP's workspace: one incident per customer host, each naming its customer.
  const crossIncidents = byTitle('Brute force at a customer');
  assert.deepEqual(crossIncidents.map((i: any) => i.properties.workspace.name), ['ws-soc', 'ws-soc']);
  assert.deepEqual(crossIncidents.flatMap((i: any) => i.properties.labels.map((l: any) => l.labelName)).sort(), ['Customer: Fabrikam', 'Customer: Northwind Traders']);
  const mssp = await query(t, tokens.anaQuery!, ids.soc!, { query: "SecurityAlert | extend c = parse_json(tostring(parse_json(ExtendedProperties).Customers)) | mv-expand c | project Host = tostring(parse_json(Entities)[0].HostName), Customer = tostring(c.directory), Workspace = tostring(c.workspace) | sort by Host asc" });
  assert.deepEqual(mssp.body.tables[0].rows, [['fab-dc01', 'Fabrikam', 'ws-fabrikam'], ['nw-sql02', 'Northwind Traders', 'ws-northwind']]);

  // Ana (tier 1, Responder through the delegation) takes the Fabrikam incident and closes it.
  const anaId = (await t.server.services.db.selectFrom('principals').select('id').where('user_principal_name', '=', WORLD.users.ana.upn).executeTakeFirstOrThrow()).id;
  clock = new Date(clock.getTime() + 1000);
  const took = await t.request('POST', `/providers/Vigil.SecurityInsights/incidents/bulkUpdate?${VV}`, { token: tokens.ana, body: { incidentIds: [ssh.id], properties: { owner: { objectId: anaId }, status: 'Active' } } });
  assert.equal(took.body.value[0].status, 200, JSON.stringify(took.body));
  clock = new Date(clock.getTime() + 1000);
  const current = await t.request('GET', `${ssh.id}?${V}`, { token: tokens.ana });
  const closed = await t.request('PUT', `${ssh.id}?${V}`, { token: tokens.ana, body: { etag: current.body.etag, properties: { ...current.body.properties, status: 'Closed', classification: 'TruePositive', classificationReason: 'SuspiciousActivity', classificationComment: 'root brute force blocked at the firewall' } } });
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
  assert.equal(closed.body.properties.owner.userPrincipalName, WORLD.users.ana.upn);
  const history = await query(t, tokens.anaQuery!, ids.fabrikam!, { query: `SecurityIncident | where IncidentName == '${ssh.name}' | summarize arg_max(TimeGenerated, Status, Classification, ModifiedBy)` });
  assert.deepEqual(history.body.tables[0].rows[0].slice(1), ['Closed', 'TruePositive', WORLD.users.ana.upn]);
  const activity = await t.request('GET', `/subscriptions/${F.subscription}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01`, { token: tokens.fabrikam });
  assert.ok((activity.body.value as any[]).some((e) => e.operationName.value === 'Microsoft.SecurityInsights/incidents/write' && e.caller === WORLD.users.ana.upn && e.properties.delegatedThrough), 'the customer sees the MSSP analyst\'s change in its own activity log');

  // Someone from an unrelated directory sees none of it, by any route.
  assert.deepEqual((await t.request('GET', `/providers/Vigil.SecurityInsights/incidents?${VV}`, { token: tokens.other })).body.value, []);
  for (const path of [`${FWS}/providers/Microsoft.SecurityInsights/incidents`, `${SWS}/providers/Microsoft.SecurityInsights/incidents`, `${ssh.id}`, `${FWS}/providers/Microsoft.SecurityInsights/alertRules`, `${FWS}/providers/Microsoft.SecurityInsights/automationRules`]) {
    const res = await t.request('GET', `${path}?${V}`, { token: tokens.other });
    assert.equal(res.status, 403, path);
    assert.doesNotMatch(JSON.stringify(res.body), /SSH root|Brute force|fab-dc01/);
  }
  for (const workspace of [ids.fabrikam!, ids.soc!, 'ws-fabrikam']) {
    const res = await query(t, tokens.otherQuery!, workspace, { query: 'SecurityAlert | take 1' });
    assert.equal(res.status, 404, workspace);
  }
  const bulk = await t.request('POST', `/providers/Vigil.SecurityInsights/incidents/bulkUpdate?${VV}`, { token: tokens.other, body: { incidentIds: [ssh.id, crossIncidents[0].id], properties: { severity: 'Low' } } });
  assert.deepEqual(bulk.body.value.map((r: any) => r.status), [404, 404]);
});
