// Automation rules (Microsoft.SecurityInsights/automationRules) and incident tasks over ARM:
// Microsoft's SDK for create/get/list/delete, bad input named by field, the engine end to end (a
// scheduled rule's incident assigned, raised, labelled and given a task; an update trigger on a
// status change; order, expiry and no loops), an MSSP engineer working through Lighthouse, and
// another customer's admin seeing nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SecurityInsights, type AutomationRule } from '@azure/arm-securityinsight';
import { startTestServer, WORLD, ws, type TestServer, userCredential } from './harness.ts';
import { INGEST, query, queryToken, queryWorld, upload } from './query-fixtures.ts';

const F = WORLD.fabrikam;
const N = WORLD.northwind;
const FWS = ws(F.subscription, F.rg, F.workspace);
const RULES = `${FWS}/providers/Microsoft.SecurityInsights/automationRules`;
const INCIDENTS = `${FWS}/providers/Microsoft.SecurityInsights/incidents`;
const V = 'api-version=2022-09-01-preview';

let clock = new Date('2026-11-27T10:00:00Z');
let t: TestServer;
let admin: string;
let customerId: string;

before(async () => {
  t = await startTestServer({ environment: queryWorld(), now: () => clock, config: { schedulerTickSeconds: 300 } });
  admin = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  customerId = (await t.request('GET', `${FWS}?api-version=2022-10-01`, { token: admin })).body.properties.customerId;
});
after(async () => { await t.close(); });

const credential = (tenant: string, user: { upn: string; password: string }) => userCredential(t, tenant, user);

const putRule = (id: string, properties: object, token = admin) => t.request('PUT', `${RULES}/${id}?${V}`, { token, body: { properties } });
const deleteRules = async (...ids: string[]) => {
  for (const id of ids) assert.equal((await t.request('DELETE', `${RULES}/${id}?${V}`, { token: admin })).status, 200, `delete ${id}`);
};
const titleStarts = (prefix: string) => ({ conditionType: 'Property', conditionProperties: { propertyName: 'IncidentTitle', operator: 'StartsWith', propertyValues: [prefix] } });
const onCreated = (conditions: object[], extra: object = {}) => ({ isEnabled: true, triggersOn: 'Incidents', triggersWhen: 'Created', conditions, ...extra });
const modify = (order: number, actionConfiguration: object) => ({ order, actionType: 'ModifyProperties', actionConfiguration });
const addTask = (order: number, title: string, description = '') => ({ order, actionType: 'AddIncidentTask', actionConfiguration: { title, description } });
const labelsOf = (incident: any) => incident.properties.labels.map((l: any) => l.labelName);

test('@azure/arm-securityinsight automation rules: create, get, list, delete', async () => {
  const client = new SecurityInsights(credential(F.tenant, WORLD.users.fabrikamAdmin), F.subscription, { endpoint: t.url });
  const rule: AutomationRule = {
    displayName: 'Raise brute force', order: 3,
    triggeringLogic: {
      isEnabled: true, triggersOn: 'Incidents', triggersWhen: 'Created', expirationTimeUtc: new Date('2030-01-01T00:00:00Z'),
      conditions: [{ conditionType: 'Property', conditionProperties: { propertyName: 'IncidentTitle', operator: 'Contains', propertyValues: ['Brute force'] } } as any],
    },
    actions: [{ order: 1, actionType: 'ModifyProperties', actionConfiguration: { severity: 'High', labels: [{ labelName: 'sdk' }] } } as any],
  };
  const created = await client.automationRules.createOrUpdate(F.rg, F.workspace, 'sdk-rule', { automationRuleToUpsert: rule });
  assert.equal(created.displayName, 'Raise brute force');
  assert.equal(created.order, 3);
  assert.equal(created.triggeringLogic.triggersWhen, 'Created');
  assert.equal(created.triggeringLogic.expirationTimeUtc?.toISOString(), '2030-01-01T00:00:00.000Z');
  assert.deepEqual((created.triggeringLogic.conditions?.[0] as any).conditionProperties.propertyValues, ['Brute force']);
  assert.equal((created.actions[0] as any).actionConfiguration.severity, 'High');
  assert.equal(created.createdBy?.userPrincipalName, WORLD.users.fabrikamAdmin.upn);
  assert.match(created.etag ?? '', /^"[0-9a-f-]{36}"$/);

  const got = await client.automationRules.get(F.rg, F.workspace, 'SDK-RULE');
  assert.equal(got.etag, created.etag);
  const listed: AutomationRule[] = [];
  for await (const r of client.automationRules.list(F.rg, F.workspace)) listed.push(r);
  assert.deepEqual(listed.map((r) => r.name), ['sdk-rule']);

  // A stale etag is refused; the current one is accepted.
  const changed = await client.automationRules.createOrUpdate(F.rg, F.workspace, 'sdk-rule', { automationRuleToUpsert: { ...rule, order: 4, etag: got.etag } });
  assert.equal(changed.order, 4);
  await assert.rejects(client.automationRules.createOrUpdate(F.rg, F.workspace, 'sdk-rule', { automationRuleToUpsert: { ...rule, etag: got.etag } }),
    (e: { statusCode?: number }) => e.statusCode === 412);

  await client.automationRules.delete(F.rg, F.workspace, 'sdk-rule');
  await assert.rejects(client.automationRules.get(F.rg, F.workspace, 'sdk-rule'), (e: { statusCode?: number }) => e.statusCode === 404);
});

test('bad automation rules are refused, named by field, with what would be accepted', async () => {
  const good = { displayName: 'ok', order: 1, triggeringLogic: onCreated([titleStarts('x')]), actions: [modify(1, { severity: 'High' })] };
  const manyConditions = Array.from({ length: 51 }, () => titleStarts('x'));
  const manyActions = Array.from({ length: 21 }, (_, i) => modify(i, { severity: 'Low' }));
  const cases: [object, string, RegExp][] = [
    [{ ...good, displayName: '' }, 'properties.displayName', /displayName is required/],
    [{ ...good, order: 0 }, 'properties.order', /1 to 1000/],
    [{ ...good, order: 1001 }, 'properties.order', /1 to 1000/],
    [{ ...good, triggeringLogic: { ...good.triggeringLogic, triggersOn: 'Bookmarks' } }, 'properties.triggeringLogic.triggersOn', /'Incidents' or 'Alerts'/],
    [{ ...good, triggeringLogic: { ...good.triggeringLogic, triggersOn: 'Alerts', triggersWhen: 'Updated' } }, 'properties.triggeringLogic.triggersWhen', /only when they are Created/],
    [{ ...good, triggeringLogic: { ...good.triggeringLogic, expirationTimeUtc: 'next tuesday' } }, 'properties.triggeringLogic.expirationTimeUtc', /ISO 8601/],
    [{ ...good, triggeringLogic: onCreated([{ conditionType: 'Property', conditionProperties: { propertyName: 'IncidentColour', operator: 'Equals', propertyValues: ['red'] } }]) },
      'properties.triggeringLogic.conditions[0].conditionProperties.propertyName', /'IncidentColour' is not a property Vigil can test\. Supported: IncidentTitle/],
    [{ ...good, triggeringLogic: onCreated([{ conditionType: 'Property', conditionProperties: { propertyName: 'IncidentTitle', operator: 'Resembles', propertyValues: ['x'] } }]) },
      'properties.triggeringLogic.conditions[0].conditionProperties.operator', /not one of Equals, NotEquals, Contains/],
    [{ ...good, triggeringLogic: onCreated([{ conditionType: 'Property', conditionProperties: { propertyName: 'IncidentTitle', operator: 'Equals', propertyValues: [] } }]) },
      'properties.triggeringLogic.conditions[0].conditionProperties.propertyValues', /at least one value/],
    [{ ...good, triggeringLogic: onCreated([{ conditionType: 'PropertyChanged', conditionProperties: { propertyName: 'IncidentStatus', changeType: 'ChangedTo', propertyValues: ['Active'] } }]) },
      'properties.triggeringLogic.conditions[0].conditionType', /apply to rules triggered when incidents are Updated/],
    [{ ...good, triggeringLogic: { ...onCreated([titleStarts('x')]), triggersOn: 'Alerts' } }, 'properties.triggeringLogic.conditions[0].conditionProperties.propertyName', /'IncidentTitle' is a property of incidents; a rule triggered by alerts can test AlertProductNames/],
    [{ ...good, triggeringLogic: onCreated(manyConditions) }, 'properties.triggeringLogic.conditions', /51 conditions .* at most 50/],
    [{ ...good, actions: [] }, 'properties.actions', /at least one action/],
    [{ ...good, actions: manyActions }, 'properties.actions', /21 actions; an automation rule takes at most 20/],
    [{ ...good, actions: [{ order: 1, actionType: 'RunPlaybook', actionConfiguration: { logicAppResourceId: '/subscriptions/x/.../workflows/p', tenantId: F.tenant } }] },
      'properties.actions[0].actionType', /RunPlaybook is not supported: Vigil has no Logic Apps .* service principal with Microsoft Sentinel Responder/],
    [{ ...good, actions: [modify(1, {})] }, 'properties.actions[0].actionConfiguration', /at least one of severity, status/],
    [{ ...good, actions: [modify(1, { severity: 'Huge' })] }, 'properties.actions[0].actionConfiguration.severity', /Invalid option/],
    [{ ...good, actions: [modify(1, { status: 'Closed' })] }, 'properties.actions[0].actionConfiguration.classification', /closing an incident needs a classification/],
    [{ ...good, actions: [modify(1, { owner: { userPrincipalName: WORLD.users.northwindAdmin.upn } })] }, 'properties.actions[0].actionConfiguration.owner',
      /user 'admin@northwind\.example' cannot reach the incidents of workspace 'ws-fabrikam'/],
    [{ ...good, actions: [addTask(1, '')] }, 'properties.actions[0].actionConfiguration.title', /title is required/],
    [{ ...good, actions: [{ order: 1, actionType: 'SendEmail' }] }, 'properties.actions[0].actionType', /not one of ModifyProperties, AddIncidentTask/],
  ];
  for (const [properties, target, message] of cases) {
    const res = await putRule('bad-rule', properties);
    assert.equal(res.status, 400, `${target}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.target, target, res.body.error.message);
    assert.match(res.body.error.message, message);
  }
  assert.equal((await t.request('GET', `${RULES}/bad-rule?${V}`, { token: admin })).status, 404, 'nothing was saved');
});

test('incident tasks: create, list, complete with etag, at most 40, delete', async () => {
  assert.equal((await t.request('PUT', `${INCIDENTS}/tasks-1?${V}`, { token: admin, body: { properties: { title: 'Tasks 1', severity: 'Low', status: 'New' } } })).status, 201);
  const TASKS = `${INCIDENTS}/tasks-1/tasks`;
  const first = await t.request('PUT', `${TASKS}/t1?${V}`, { token: admin, body: { properties: { title: 'Reset the password', status: 'New' } } });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal(first.body.properties.createdBy.userPrincipalName, WORLD.users.fabrikamAdmin.upn);
  const done = await t.request('PUT', `${TASKS}/t1?${V}`, { token: admin, body: { etag: first.body.etag, properties: { title: 'Reset the password', status: 'Completed' } } });
  assert.equal(done.status, 200);
  assert.equal(done.body.properties.status, 'Completed');
  const stale = await t.request('PUT', `${TASKS}/t1?${V}`, { token: admin, body: { etag: first.body.etag, properties: { title: 'x', status: 'New' } } });
  assert.equal(stale.status, 412);
  assert.equal((await t.request('PUT', `${TASKS}/t2?${V}`, { token: admin, body: { properties: { title: 'Done?', status: 'Maybe' } } })).body.error.target, 'properties.status');
  for (let i = 2; i <= 40; i++) assert.equal((await t.request('PUT', `${TASKS}/t${i}?${V}`, { token: admin, body: { properties: { title: `Task ${i}` } } })).status, 201);
  const full = await t.request('PUT', `${TASKS}/t41?${V}`, { token: admin, body: { properties: { title: 'One too many' } } });
  assert.equal(full.status, 400);
  assert.match(full.body.error.message, /already has 40 tasks/);
  const list = await t.request('GET', `${TASKS}?${V}`, { token: admin });
  assert.deepEqual(list.body.value.slice(0, 3).map((x: any) => x.properties.title), ['Reset the password', 'Task 2', 'Task 3'], 'in the order they were added');
  assert.equal(list.body.value.length, 40);
  assert.equal((await t.request('DELETE', `${TASKS}/t2?${V}`, { token: admin })).status, 200);
  assert.equal((await t.request('GET', `${TASKS}/t2?${V}`, { token: admin })).status, 404);
});

test('a rule run creating an incident triggers automation: owner, severity, label and task; alert rules act on the incident too', async () => {
  const dcr = `/subscriptions/${F.subscription}/resourceGroups/${F.rg}/providers/Microsoft.Insights/dataCollectionRules/dcr-security-events`;
  const res = await t.request('PUT', `${dcr}?api-version=2023-03-11`, {
    token: admin,
    body: { location: 'westeurope', properties: {
      destinations: { logAnalytics: [{ workspaceResourceId: FWS, name: 'la' }] },
      dataFlows: [{ streams: ['Microsoft-SecurityEvent'], destinations: ['la'], outputStream: 'Microsoft-SecurityEvent' }],
    } },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const target = { immutableId: res.body.properties.immutableId, stream: 'Microsoft-SecurityEvent' };
  await upload(t, INGEST.fabrikam, target, Array.from({ length: 12 }, (_, i) => ({ TimeGenerated: '2026-11-27T09:30:00Z', Computer: 'dc01', EventID: 4625, Account: `CONTOSO\\user${i}` })));
  const analytics = await t.request('PUT', `${FWS}/providers/Microsoft.SecurityInsights/alertRules/brute-force?${V}`, { token: admin, body: { kind: 'Scheduled', properties: {
    displayName: 'Brute force', severity: 'Medium', enabled: true,
    query: 'SecurityEvent | where EventID == 4625 | summarize Failures = count(), TimeGenerated = max(TimeGenerated) by Computer | where Failures > 10',
    queryFrequency: 'PT5M', queryPeriod: 'PT1H', triggerOperator: 'GreaterThan', triggerThreshold: 0, suppressionDuration: 'PT1H', suppressionEnabled: false,
    tactics: ['CredentialAccess'], eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
    entityMappings: [{ entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] }],
    alertDetailsOverride: { alertDisplayNameFormat: 'Brute force on {{Computer}}' },
  } } });
  assert.equal(analytics.status, 201, JSON.stringify(analytics.body));
  const ruleId = analytics.body.id;

  const triage = await putRule('triage-brute-force', {
    displayName: 'Triage brute force', order: 1,
    triggeringLogic: onCreated([
      { conditionType: 'Property', conditionProperties: { propertyName: 'IncidentRelatedAnalyticRuleIds', operator: 'Equals', propertyValues: [ruleId] } },
      { conditionType: 'Property', conditionProperties: { propertyName: 'HostName', operator: 'StartsWith', propertyValues: ['DC'] } },
      { conditionType: 'Property', conditionProperties: { propertyName: 'IncidentSeverity', operator: 'NotEquals', propertyValues: ['High', 'Informational'] } },
    ]),
    actions: [
      addTask(3, 'Check the sign-ins of the accounts', 'Look for a success after the failures'),
      modify(1, { owner: { userPrincipalName: WORLD.users.ana.upn }, severity: 'High' }),
      modify(2, { labels: [{ labelName: 'brute-force' }] }),
    ],
  });
  assert.equal(triage.status, 201, JSON.stringify(triage.body));
  assert.equal(triage.body.properties.actions[1].actionConfiguration.owner.assignedTo, 'Ana (tier-1 analyst)', 'the owner resolved on save');
  const onAlert = await putRule('tag-dc-alerts', {
    displayName: 'Tag domain controller alerts', order: 1,
    triggeringLogic: { isEnabled: true, triggersOn: 'Alerts', triggersWhen: 'Created', conditions: [
      { conditionType: 'Property', conditionProperties: { propertyName: 'HostName', operator: 'EndsWith', propertyValues: ['01'] } },
      { conditionType: 'Property', conditionProperties: { propertyName: 'AlertAnalyticRuleIds', operator: 'Equals', propertyValues: [ruleId] } },
    ] },
    actions: [modify(1, { labels: [{ labelName: 'domain-controller' }] })],
  });
  assert.equal(onAlert.status, 201, JSON.stringify(onAlert.body));
  // A rule for another analytics rule's incidents must not act.
  assert.equal((await putRule('other-rule', { displayName: 'Other', order: 2, triggeringLogic: onCreated([{ conditionType: 'Property', conditionProperties: { propertyName: 'IncidentRelatedAnalyticRuleIds', operator: 'Contains', propertyValues: ['/alertRules/someone-else'] } }]), actions: [modify(1, { labels: [{ labelName: 'wrong' }] })] })).status, 201);

  await t.server.scheduler.tick();
  const list = await t.request('GET', `${INCIDENTS}?${V}&$filter=properties/severity eq 'High'`, { token: admin });
  const incident = list.body.value.find((i: any) => i.properties.title === 'Brute force on dc01');
  assert.ok(incident, JSON.stringify(list.body.value.map((i: any) => i.properties.title)));
  assert.equal(incident.properties.severity, 'High', 'raised from Medium');
  assert.equal(incident.properties.owner.userPrincipalName, WORLD.users.ana.upn, 'assigned to the MSSP analyst');
  assert.deepEqual(labelsOf(incident), ['brute-force', 'domain-controller'], 'the incident rule, then the alert rule; not the other rule');
  const tasks = await t.request('GET', `${incident.id}/tasks?${V}`, { token: admin });
  assert.deepEqual(tasks.body.value.map((x: any) => [x.properties.title, x.properties.description, x.properties.status, x.properties.createdBy.name]),
    [['Check the sign-ins of the accounts', 'Look for a success after the failures', 'New', 'Automation rule Triage brute force']]);

  const reader = await queryToken(t, F.tenant, WORLD.users.fabrikamAdmin);
  const history = await query(t, reader, customerId, { query: `SecurityIncident | where IncidentName == '${incident.name}' | sort by TimeGenerated asc | project ModifiedBy, Severity, tasks = array_length(Tasks)` });
  assert.equal(history.status, 200, JSON.stringify(history.body));
  assert.deepEqual(history.body.tables[0].rows, [
    ['Microsoft Sentinel', 'Medium', 0],
    ['Automation rule Triage brute force', 'High', 1],
    ['Automation rule Tag domain controller alerts', 'High', 1],
  ], 'a SecurityIncident row per change, automation named as the modifier');
  await deleteRules('triage-brute-force', 'tag-dc-alerts', 'other-rule');
});

test('update triggers: a status change runs them, changes made by automation trigger nothing further', async () => {
  // Order 1 would fire on a severity change; order 2 raises severity when the status becomes Active.
  assert.equal((await putRule('on-severity', {
    displayName: 'On severity change', order: 1,
    triggeringLogic: { isEnabled: true, triggersOn: 'Incidents', triggersWhen: 'Updated', conditions: [titleStarts('U '), { conditionType: 'PropertyChanged', conditionProperties: { propertyName: 'IncidentSeverity', changeType: 'ChangedTo', operator: 'Equals', propertyValues: ['High'] } }] },
    actions: [modify(1, { labels: [{ labelName: 'loop' }] })],
  })).status, 201);
  assert.equal((await putRule('on-active', {
    displayName: 'On triage', order: 2,
    triggeringLogic: { isEnabled: true, triggersOn: 'Incidents', triggersWhen: 'Updated', conditions: [titleStarts('U '), { conditionType: 'PropertyChanged', conditionProperties: { propertyName: 'IncidentStatus', changeType: 'ChangedFrom', operator: 'Equals', propertyValues: ['New'] } }] },
    actions: [modify(1, { severity: 'High', labels: [{ labelName: 'triaged' }] }), addTask(2, 'Write the triage note')],
  })).status, 201);

  const created = await t.request('PUT', `${INCIDENTS}/upd-1?${V}`, { token: admin, body: { properties: { title: 'U suspicious logon', severity: 'Low', status: 'New' } } });
  assert.equal(created.status, 201);
  assert.deepEqual(labelsOf(created.body), [], 'update rules do not run on creation');
  const renamed = await t.request('PUT', `${INCIDENTS}/upd-1?${V}`, { token: admin, body: { properties: { title: 'U suspicious logon (dc01)', severity: 'Low', status: 'New' } } });
  assert.deepEqual(labelsOf(renamed.body), [], 'a change of title is not a status change');

  const active = await t.request('PUT', `${INCIDENTS}/upd-1?${V}`, { token: admin, body: { etag: renamed.body.etag, properties: { title: 'U suspicious logon (dc01)', severity: 'Low', status: 'Active' } } });
  assert.equal(active.status, 200, JSON.stringify(active.body));
  assert.equal(active.body.properties.severity, 'High');
  assert.deepEqual(labelsOf(active.body), ['triaged'], 'the severity change made by automation did not trigger the severity rule');
  assert.equal(active.body.systemData.lastModifiedBy, 'Automation rule On triage');
  const tasks = await t.request('GET', `${INCIDENTS}/upd-1/tasks?${V}`, { token: admin });
  assert.deepEqual(tasks.body.value.map((x: any) => x.properties.title), ['Write the triage note']);

  // A person raising the severity does trigger it.
  const second = await t.request('PUT', `${INCIDENTS}/upd-2?${V}`, { token: admin, body: { properties: { title: 'U other', severity: 'Low', status: 'Active' } } });
  const raised = await t.request('PUT', `${INCIDENTS}/upd-2?${V}`, { token: admin, body: { etag: second.body.etag, properties: { title: 'U other', severity: 'High', status: 'Active' } } });
  assert.deepEqual(labelsOf(raised.body), ['loop']);
  await deleteRules('on-severity', 'on-active');
});

test('order and expiry: rules run in order, each seeing the last one\'s changes; expired and disabled rules do not run', async () => {
  const label = (name: string) => modify(1, { labels: [{ labelName: name }] });
  const hasLabel = (name: string) => ({ conditionType: 'Property', conditionProperties: { propertyName: 'IncidentLabel', operator: 'Equals', propertyValues: [name] } });
  assert.equal((await putRule('second', { displayName: 'Second', order: 20, triggeringLogic: onCreated([titleStarts('O '), hasLabel('first')]), actions: [label('second')] })).status, 201);
  assert.equal((await putRule('first', { displayName: 'First', order: 10, triggeringLogic: onCreated([titleStarts('O ')]), actions: [label('first')] })).status, 201);
  assert.equal((await putRule('before-first', { displayName: 'Before first', order: 5, triggeringLogic: onCreated([titleStarts('O '), hasLabel('first')]), actions: [label('too-early')] })).status, 201);
  assert.equal((await putRule('expiring', { displayName: 'Pen test window', order: 30, triggeringLogic: onCreated([titleStarts('O ')], { expirationTimeUtc: '2026-11-27T12:00:00Z' }), actions: [label('pentest')] })).status, 201);
  assert.equal((await putRule('disabled', { displayName: 'Disabled', order: 40, triggeringLogic: onCreated([titleStarts('O ')], { isEnabled: false }), actions: [label('disabled')] })).status, 201);
  const list = await t.request('GET', `${RULES}?${V}`, { token: admin });
  assert.deepEqual(list.body.value.map((r: any) => r.name), ['before-first', 'first', 'second', 'expiring', 'disabled'], 'listed in the order they run');

  const before = await t.request('PUT', `${INCIDENTS}/ord-1?${V}`, { token: admin, body: { properties: { title: 'O one', severity: 'Low', status: 'New' } } });
  assert.deepEqual(labelsOf(before.body), ['first', 'second', 'pentest']);
  clock = new Date('2026-11-27T12:00:00Z');
  admin = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  const afterExpiry = await t.request('PUT', `${INCIDENTS}/ord-2?${V}`, { token: admin, body: { properties: { title: 'O two', severity: 'Low', status: 'New' } } });
  assert.deepEqual(labelsOf(afterExpiry.body), ['first', 'second'], 'the expired rule no longer runs');
  await deleteRules('second', 'first', 'before-first', 'expiring', 'disabled');
});

test('an MSSP engineer creates automation rules through Lighthouse; another customer\'s admin sees nothing', async () => {
  const eli = await t.userToken(WORLD.soc.tenant, WORLD.users.eli.upn, WORLD.users.eli.password);
  const ana = await t.userToken(WORLD.soc.tenant, WORLD.users.ana.upn, WORLD.users.ana.password);
  const northwind = await t.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  const properties = { displayName: 'MSSP: assign new incidents', order: 100, triggeringLogic: onCreated([titleStarts('M ')]), actions: [modify(1, { owner: { userPrincipalName: WORLD.users.ana.upn } }), addTask(2, 'Call the customer')] };
  const made = await putRule('mssp-assign', properties, eli);
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.properties.createdBy.userPrincipalName, WORLD.users.eli.upn);
  assert.equal((await putRule('mssp-responder', { ...properties, displayName: 'Responder rule', order: 101 }, ana)).status, 201, 'Responders hold automationRules/*');

  const incident = await t.request('PUT', `${INCIDENTS}/mssp-1?${V}`, { token: admin, body: { properties: { title: 'M phishing', severity: 'Medium', status: 'New' } } });
  assert.equal(incident.body.properties.owner.userPrincipalName, WORLD.users.ana.upn);
  assert.equal((await t.request('GET', `${INCIDENTS}/mssp-1/tasks?${V}`, { token: ana })).body.value.length, 2, 'the analyst sees the tasks through the delegation');

  for (const [method, path] of [['GET', `${RULES}/mssp-assign`], ['GET', RULES], ['PUT', `${RULES}/nw-rule`], ['DELETE', `${RULES}/mssp-assign`], ['GET', `${INCIDENTS}/mssp-1/tasks`], ['PUT', `${INCIDENTS}/mssp-1/tasks/x`]] as const) {
    const r = await t.request(method, `${path}?${V}`, { token: northwind, ...(method === 'PUT' ? { body: { properties: path.includes('/tasks/') ? { title: 'x' } : properties } } : {}) });
    assert.equal(r.status, 403, `${method} ${path}`);
    assert.doesNotMatch(JSON.stringify(r.body), /MSSP: assign|Call the customer/);
  }
  assert.equal((await t.request('GET', `${RULES}/mssp-assign?${V}`, { token: admin })).status, 200, 'the customer sees the rule the MSSP made');
  await deleteRules('mssp-assign', 'mssp-responder');
});
