// Columns whose names differ only in case (Log Analytics names are case-sensitive; DuckDB's are
// not): AzureDiagnostics' clientIP_s and clientIp_s, and a custom table's own, sent through the
// Logs Ingestion API and queried through the query API, each value under its own column.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, WORLD, ws, type TestServer } from './harness.ts';
import { INGEST, query, queryToken, queryWorld, upload } from './query-fixtures.ts';

const F = WORLD.fabrikam;
const FWS = ws(F.subscription, F.rg, F.workspace);
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

let t: TestServer;
let admin: string;
let token: string;
let workspaceId: string;

/** A rule sending `stream` to `outputStream` of the fabrikam workspace. */
async function rule(name: string, stream: string, outputStream: string, declared?: object[]) {
  const res = await t.request('PUT', `/subscriptions/${F.subscription}/resourceGroups/${F.rg}/providers/Microsoft.Insights/dataCollectionRules/${name}?api-version=2023-03-11`, {
    token: admin,
    body: {
      location: 'westeurope',
      properties: {
        streamDeclarations: declared === undefined ? {} : { [stream]: { columns: declared } },
        destinations: { logAnalytics: [{ workspaceResourceId: FWS, name: 'la' }] },
        dataFlows: [{ streams: [stream], destinations: ['la'], transformKql: 'source', outputStream }],
      },
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { immutableId: res.body.properties.immutableId as string, stream };
}

async function rows(kql: string) {
  const res = await query(t, token, workspaceId, { query: kql });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const [table] = res.body.tables;
  return { columns: table.columns.map((c: { name: string }) => c.name), rows: table.rows };
}

before(async () => {
  t = await startTestServer({ environment: queryWorld() });
  admin = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  token = await queryToken(t, F.tenant, WORLD.users.fabrikamAdmin);
  workspaceId = (await t.request('GET', `${FWS}?api-version=2025-07-01`, { token: admin })).body.properties.customerId;
});
after(async () => { await t?.close(); });

test('AzureDiagnostics: clientIP_s and clientIp_s are two columns, each read as itself', async () => {
  const target = await rule('dcr-azure-diagnostics', 'Microsoft-AzureDiagnostics', 'Microsoft-AzureDiagnostics');
  // The first call fills only clientIp_s: whichever arrives first, neither takes the other's place.
  await upload(t, INGEST.fabrikam, target, [{ TimeGenerated: ago(3), Category: 'firewall', clientIp_s: '192.0.2.1' }]);
  await upload(t, INGEST.fabrikam, target, [
    { TimeGenerated: ago(2), Category: 'both', clientIP_s: '10.0.0.1', clientIp_s: '192.0.2.7' },
    { TimeGenerated: ago(1), Category: 'gateway', clientIP_s: '10.0.0.2' },
  ]);
  assert.deepEqual(await rows('AzureDiagnostics | order by TimeGenerated asc | project Category, clientIP_s, clientIp_s'), {
    columns: ['Category', 'clientIP_s', 'clientIp_s'],
    rows: [['firewall', '', '192.0.2.1'], ['both', '10.0.0.1', '192.0.2.7'], ['gateway', '10.0.0.2', '']],
  });
  assert.deepEqual((await rows('AzureDiagnostics | where clientIp_s == "192.0.2.7" | project clientIP_s')).rows, [['10.0.0.1']]);
  assert.deepEqual((await rows('AzureDiagnostics | summarize g = countif(isnotempty(clientIP_s)), f = countif(isnotempty(clientIp_s))')).rows, [[2, 2]]);
  // Names made in the query clash too, and mix with the table's.
  assert.deepEqual((await rows('AzureDiagnostics | where Category == "both" | extend CLIENTIP_S = strcat(clientIP_s, "/", clientIp_s) | project clientIp_s, CLIENTIP_S, clientIP_s')).rows,
    [['192.0.2.7', '10.0.0.1/192.0.2.7', '10.0.0.1']]);
  const schema = await rows('AzureDiagnostics | getschema | where ColumnName in~ ("clientip_s") | project ColumnName, ColumnType');
  assert.deepEqual(schema.rows, [['clientIP_s', 'string'], ['clientIp_s', 'string']]);
});

test('a custom _CL table with columns differing only in case, created through the tables API', async () => {
  const columns = [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'user_s', type: 'string' }, { name: 'User_s', type: 'string' }, { name: 'N', type: 'long' }];
  const created = await t.request('PUT', `${FWS}/tables/CaseClash_CL?api-version=2022-10-01`, { token: admin, body: { properties: { schema: { name: 'CaseClash_CL', columns } } } });
  assert.ok([200, 201].includes(created.status), JSON.stringify(created.body));
  const listed = await t.request('GET', `${FWS}/tables/CaseClash_CL?api-version=2022-10-01`, { token: admin });
  assert.deepEqual(listed.body.properties.schema.columns.map((c: { name: string }) => c.name).filter((n: string) => /user_s/i.test(n)), ['user_s', 'User_s']);
  const target = await rule('dcr-case-clash', 'Custom-CaseClash', 'Custom-CaseClash_CL', columns);
  await upload(t, INGEST.fabrikam, target, [{ TimeGenerated: ago(2), user_s: 'alice', User_s: 'ALICE', N: 1 }, { TimeGenerated: ago(1), User_s: 'BOB', N: 2 }]);
  assert.deepEqual(await rows('CaseClash_CL | order by N asc | project user_s, User_s'), { columns: ['user_s', 'User_s'], rows: [['alice', 'ALICE'], ['', 'BOB']] });
  assert.deepEqual((await rows('CaseClash_CL | getschema | where ColumnName in~ ("user_s") | project ColumnName')).rows, [['user_s'], ['User_s']]);
  // A table that exists already gains a column differing only in case: the stored column is renamed, its rows stay its own.
  const grown = [...columns, { name: 'n', type: 'long' }];
  const put = await t.request('PUT', `${FWS}/tables/CaseClash_CL?api-version=2022-10-01`, { token: admin, body: { properties: { schema: { name: 'CaseClash_CL', columns: grown } } } });
  assert.ok([200, 201].includes(put.status), JSON.stringify(put.body));
  const target2 = await rule('dcr-case-clash-2', 'Custom-CaseClash2', 'Custom-CaseClash_CL', grown);
  await upload(t, INGEST.fabrikam, target2, [{ TimeGenerated: ago(0), User_s: 'CAROL', N: 3, n: 30 }]);
  assert.deepEqual((await rows('CaseClash_CL | order by N asc | project N, n, User_s')).rows, [[1, null, 'ALICE'], [2, null, 'BOB'], [3, 30, 'CAROL']]);
});
