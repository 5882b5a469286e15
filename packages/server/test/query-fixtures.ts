// Data for the query API's tests, sent the way customers send it: a custom table, a data
// collection rule and the Logs Ingestion API, by a service principal holding Monitoring
// Metrics Publisher in the customer's resource group.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { EXAMPLE_ENVIRONMENT, WORLD, ws, type TestServer } from './harness.ts';

/** The ingesting app of each customer in queryWorld(). */
export const INGEST = {
  fabrikam: { tenant: WORLD.fabrikam.tenant, appId: '66666666-0000-4000-8000-0000000000f1', secret: 'fabrikam-ingest-secret-0123' },
  northwind: { tenant: WORLD.northwind.tenant, appId: '66666666-0000-4000-8000-0000000000b1', secret: 'northwind-ingest-secret-0123' },
} as const;

/** docs/examples/mssp.yaml, plus an ingesting app per customer (and Microsoft.Insights registered). */
export function queryWorld(): string {
  const doc = parse(readFileSync(EXAMPLE_ENVIRONMENT, 'utf8')) as { directories: any[] };
  for (const [name, app] of Object.entries(INGEST)) {
    const dir = doc.directories.find((d) => d.name === name);
    dir.servicePrincipals = [...(dir.servicePrincipals ?? []), { name: 'ingest', appId: app.appId, displayName: `${name} ingestion`, secret: app.secret }];
    const sub = dir.subscriptions[0];
    sub.providers = [...sub.providers, 'Microsoft.Insights'];
    sub.roleAssignments.push({ principal: 'ingest', role: 'Monitoring Metrics Publisher', scope: sub.resourceGroups[0].name });
  }
  return stringify(doc);
}

export interface Customer {
  tenant: string;
  subscription: string;
  rg: string;
  workspace: string;
}

export const COLUMNS = [
  { name: 'TimeGenerated', type: 'datetime' }, { name: 'Computer', type: 'string' }, { name: 'EventID', type: 'int' },
  { name: 'Bytes', type: 'long' }, { name: 'Score', type: 'real' }, { name: 'Success', type: 'boolean' }, { name: 'Props', type: 'dynamic' },
  { name: 'Session', type: 'guid' },
];

/** Creates `table` (a _CL table of COLUMNS) and a rule sending stream Custom-<table> to it; returns the rule's immutable id. */
export async function customTable(t: TestServer, adminToken: string, c: Customer, table: string): Promise<{ immutableId: string; stream: string }> {
  const path = ws(c.subscription, c.rg, c.workspace);
  const created = await t.request('PUT', `${path}/tables/${table}?api-version=2022-10-01`, { token: adminToken, body: { properties: { schema: { name: table, columns: COLUMNS } } } });
  assert.ok([200, 201].includes(created.status), JSON.stringify(created.body));
  const stream = `Custom-${table.replace(/_CL$/, '')}`;
  const dcr = `/subscriptions/${c.subscription}/resourceGroups/${c.rg}/providers/Microsoft.Insights/dataCollectionRules/dcr-${table.toLowerCase().replace(/_/g, '-')}`;
  const rule = await t.request('PUT', `${dcr}?api-version=2023-03-11`, {
    token: adminToken,
    body: {
      location: 'westeurope',
      properties: {
        streamDeclarations: { [stream]: { columns: COLUMNS } },
        destinations: { logAnalytics: [{ workspaceResourceId: path, name: 'la' }] },
        dataFlows: [{ streams: [stream], destinations: ['la'], transformKql: 'source', outputStream: `Custom-${table}` }],
      },
    },
  });
  assert.equal(rule.status, 201, JSON.stringify(rule.body));
  return { immutableId: rule.body.properties.immutableId, stream };
}

/**
 * A data collection rule `name` in the customer's resource group sending the standard
 * Microsoft-SecurityEvent stream to `workspacePath`; returns where to upload() to.
 */
export async function securityEventsRule(t: TestServer, adminToken: string, c: { subscription: string; rg: string }, workspacePath: string, name: string): Promise<{ immutableId: string; stream: string }> {
  const res = await t.request('PUT', `/subscriptions/${c.subscription}/resourceGroups/${c.rg}/providers/Microsoft.Insights/dataCollectionRules/${name}?api-version=2023-03-11`, {
    token: adminToken,
    body: { location: 'westeurope', properties: {
      destinations: { logAnalytics: [{ workspaceResourceId: workspacePath, name: 'la' }] },
      dataFlows: [{ streams: ['Microsoft-SecurityEvent'], destinations: ['la'], outputStream: 'Microsoft-SecurityEvent' }],
    } },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { immutableId: res.body.properties.immutableId, stream: 'Microsoft-SecurityEvent' };
}

/** Sends rows through the Logs Ingestion API as the customer's ingesting app. */
export async function upload(t: TestServer, app: { tenant: string; appId: string; secret: string }, target: { immutableId: string; stream: string }, rows: object[]): Promise<void> {
  const token = await t.appToken(app.tenant, app.appId, app.secret, 'https://monitor.azure.com/.default');
  const res = await t.request('POST', `/dataCollectionRules/${target.immutableId}/streams/${target.stream}?api-version=2023-01-01`, { token, body: rows });
  assert.equal(res.status, 204, JSON.stringify(res.body));
}

/** A token for the query API (audience api.loganalytics.io). */
export function queryToken(t: TestServer, tenant: string, user: { upn: string; password: string }): Promise<string> {
  return t.userToken(tenant, user.upn, user.password, 'https://api.loganalytics.io/.default');
}

/** POST /v1/workspaces/{workspace}/query. */
export function query(t: TestServer, token: string, workspace: string, body: object, headers: Record<string, string> = {}) {
  return t.request('POST', `/v1/workspaces/${workspace}/query`, { token, body, headers });
}
