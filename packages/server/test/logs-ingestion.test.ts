// The Logs Ingestion API with Microsoft's own client: tables API, data collection rule, upload.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { ClientSecretCredential } from '@azure/identity';
import { LogsIngestionClient } from '@azure/monitor-ingestion';
import { startTestServer, ws, type TestServer } from './harness.ts';
import { workspaceCatalog } from '../src/logstore/log-store.ts';

const TENANT = '51515151-0000-4000-8000-000000000001';
const SUB = '51515151-0000-4000-8000-0000000000aa';
const APP = { id: '51515151-0000-4000-8000-0000000000a1', secret: 'ingest-secret-0123456789' };
const ENV = `directories:
  - name: contoso
    id: ${TENANT}
    displayName: Contoso
    domain: contoso.example
    users: [{ name: admin, upn: admin@contoso.example, password: Admin-Passw0rd! }]
    servicePrincipals:
      - { name: ingest, appId: ${APP.id}, secret: ${APP.secret} }
      - { name: reader, appId: 51515151-0000-4000-8000-0000000000a2, secret: reader-secret-0123456789 }
    subscriptions:
      - name: prod
        id: ${SUB}
        providers: [Microsoft.OperationalInsights, Microsoft.SecurityInsights, Microsoft.Insights]
        resourceGroups: [{ name: rg, workspaces: [{ name: ws-contoso }, { name: ws-other }] }]
        roleAssignments:
          - { principal: admin, role: Owner }
          - { principal: ingest, role: Monitoring Metrics Publisher, scope: rg }
          - { principal: reader, role: Reader, scope: rg }
`;

let t: TestServer;
let admin: string;
let immutableId: string;
let workspaceId: string;
const WS = ws(SUB, 'rg', 'ws-contoso');
const DCR = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Insights/dataCollectionRules/dcr-app`;
const STREAM = 'Custom-AppEvents';

before(async () => {
  t = await startTestServer({ environment: ENV });
  admin = await t.userToken('contoso.example', 'admin@contoso.example', 'Admin-Passw0rd!');
  workspaceId = (await t.request('GET', `${WS}?api-version=2025-07-01`, { token: admin })).body.properties.customerId;
  const table = await t.request('PUT', `${WS}/tables/AppEvents_CL?api-version=2022-10-01`, {
    token: admin,
    body: { properties: { schema: { name: 'AppEvents_CL', columns: [
      { name: 'TimeGenerated', type: 'dateTime' }, { name: 'Computer', type: 'string' }, { name: 'EventID', type: 'int' },
      { name: 'Bytes', type: 'long' }, { name: 'Score', type: 'real' }, { name: 'Success', type: 'boolean' }, { name: 'Props', type: 'dynamic' },
    ] } } },
  });
  assert.equal(table.status, 201, JSON.stringify(table.body));
  const rule = await t.request('PUT', `${DCR}?api-version=2023-03-11`, {
    token: admin,
    body: {
      location: 'westeurope',
      properties: {
        streamDeclarations: { [STREAM]: { columns: [
          { name: 'TimeGenerated', type: 'datetime' }, { name: 'Computer', type: 'string' }, { name: 'EventID', type: 'int' },
          { name: 'Bytes', type: 'long' }, { name: 'Score', type: 'real' }, { name: 'Success', type: 'boolean' }, { name: 'Props', type: 'dynamic' },
        ] } },
        destinations: { logAnalytics: [{ workspaceResourceId: WS, name: 'la' }] },
        dataFlows: [{ streams: [STREAM], destinations: ['la'], transformKql: 'source', outputStream: 'Custom-AppEvents_CL' }],
      },
    },
  });
  assert.equal(rule.status, 201, JSON.stringify(rule.body));
  immutableId = rule.body.properties.immutableId;
  assert.match(immutableId, /^dcr-[0-9a-f]{32}$/);
});
after(async () => { await t.close(); });

const count = async (sql: string) => (await t.server.services.logStore.query({ sql, workspaces: [workspaceId] })).rows;
const T = (table: string) => `"${workspaceCatalog(workspaceId)}".main."${table}"`;

test('LogsIngestionClient uploads 100,000 rows over HTTPS; every row is in the table with the right types', async () => {
  const credential = new ClientSecretCredential(TENANT, APP.id, APP.secret, { authorityHost: t.url, disableInstanceDiscovery: true });
  const client = new LogsIngestionClient(t.url, credential);
  const base = Date.parse('2026-11-01T00:00:00Z');
  const logs = Array.from({ length: 100_000 }, (_, i) => ({
    TimeGenerated: new Date(base + i * 1000).toISOString(),
    Computer: `host-${i % 50}`,
    EventID: 4624 + (i % 3),
    Bytes: 5_000_000_000 + i,
    Score: i / 4,
    Success: i % 2 === 0,
    Props: { user: `u${i % 7}`, tags: ['a', i % 5] },
    Ignored: 'not in the stream',
  }));
  await client.upload(immutableId, STREAM, logs, { maxConcurrency: 2 });
  assert.deepEqual(await count(`SELECT count(*), count(DISTINCT _ItemId), min(Bytes), max(Bytes), sum(CASE WHEN Success THEN 1 ELSE 0 END) FROM ${T('AppEvents_CL')}`),
    [[100_000n, 100_000n, 5_000_000_000n, 5_000_099_999n, 50_000n]]);
  const [row] = await count(`SELECT Computer, EventID, Score, Props->>'$.user' AS u, Props->'$.tags'->>1 AS tag1, strftime(TimeGenerated, '%Y-%m-%dT%H:%M:%SZ'), TenantId, Type, typeof(EventID), typeof(Score) FROM ${T('AppEvents_CL')} WHERE Bytes = 5000000042`);
  assert.deepEqual(row, ['host-42', 4624, 10.5, 'u0', '2', '2026-11-01T00:00:42Z', workspaceId, 'AppEvents_CL', 'INTEGER', 'DOUBLE']);
});

test('the workspace reports what it ingested today', async () => {
  const res = await t.request('GET', `${WS}/usages?api-version=2020-08-01`, { token: admin });
  assert.equal(res.status, 200);
  assert.equal(res.body.value[0].name.value, 'DataIngested');
  assert.ok(res.body.value[0].currentValue > 1_000_000, 'the 100,000 rows were counted');
  assert.equal(res.body.value[0].limit, -1);
});

test('a reader without Monitoring Metrics Publisher is refused; a token for another tenant too', async () => {
  const reader = await t.appToken(TENANT, '51515151-0000-4000-8000-0000000000a2', 'reader-secret-0123456789', 'https://monitor.azure.com/.default');
  const res = await t.request('POST', `/dataCollectionRules/${immutableId}/streams/${STREAM}?api-version=2023-01-01`, { token: reader, body: [{ Computer: 'x' }] });
  assert.equal(res.status, 403);
  assert.match(res.body.error.message, /Microsoft\.Insights\/Telemetry\/Write/);
});

test('bad input: broken JSON, wrong types, unknown stream and rule, gzip bomb, oversized body; nothing is stored', async () => {
  const token = await t.appToken(TENANT, APP.id, APP.secret, 'https://monitor.azure.com/.default');
  const post = (rawBody: string | Buffer, headers: Record<string, string> = {}, stream = STREAM, id = immutableId) =>
    fetch(`${t.url}/dataCollectionRules/${id}/streams/${stream}?api-version=2023-01-01`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body: typeof rawBody === 'string' ? rawBody : new Uint8Array(rawBody) });
  const before = await count(`SELECT count(*) FROM ${T('AppEvents_CL')}`);

  const broken = await post('[{"Computer": "a"');
  assert.equal(broken.status, 400);
  assert.match(((await broken.json()) as { error: { message: string } }).error.message, /not valid JSON/);

  const wrong = await post(JSON.stringify([{ Computer: 'ok', EventID: 1 }, { Computer: 'bad', EventID: 'four' }]));
  assert.equal(wrong.status, 400);
  const wrongBody = (await wrong.json()) as { error: { message: string; target: string } };
  assert.match(wrongBody.error.message, /row 1, column 'EventID' \(int\)/);
  assert.equal(wrongBody.error.target, 'EventID');

  const unknownStream = await post('[]', {}, 'Custom-Nope');
  assert.equal(unknownStream.status, 400);
  assert.match(((await unknownStream.json()) as { error: { message: string } }).error.message, /Custom-Nope/);
  assert.equal((await post('[]', {}, STREAM, 'dcr-00000000000000000000000000000000')).status, 404);

  const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
  assert.ok(bomb.length < 1024 * 1024, 'the bomb itself is small');
  const bombed = await post(bomb, { 'content-encoding': 'gzip' });
  assert.equal(bombed.status, 413);

  const big = await post(Buffer.alloc(10 * 1024 * 1024, 0x20));
  assert.equal(big.status, 413);

  assert.deepEqual(await count(`SELECT count(*) FROM ${T('AppEvents_CL')}`), before, 'nothing was stored by the refused calls');
});

test('data lands only in the rule\'s workspace whatever the payload claims', async () => {
  const token = await t.appToken(TENANT, APP.id, APP.secret, 'https://monitor.azure.com/.default');
  const other = (await t.request('GET', `${ws(SUB, 'rg', 'ws-other')}?api-version=2025-07-01`, { token: admin })).body.properties.customerId;
  const res = await t.request('POST', `/dataCollectionRules/${immutableId}/streams/${STREAM}?api-version=2023-01-01`, {
    token, body: [{ Computer: 'spoof', TenantId: other, Type: 'SecurityEvent', _ResourceId: '/subscriptions/x' }],
  });
  assert.equal(res.status, 204);
  assert.deepEqual(await count(`SELECT TenantId, Type, _ResourceId FROM ${T('AppEvents_CL')} WHERE Computer = 'spoof'`), [[workspaceId, 'AppEvents_CL', null]]);
  assert.deepEqual(await t.server.services.logStore.tables(other), [], 'the other workspace received nothing');
});

test('a rule with a KQL transformation is refused with a clear error until the KQL engine exists', async () => {
  const res = await t.request('PUT', `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Insights/dataCollectionRules/dcr-kql?api-version=2023-03-11`, {
    token: admin,
    body: { location: 'westeurope', properties: {
      streamDeclarations: { [STREAM]: { columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Computer', type: 'string' }] } },
      destinations: { logAnalytics: [{ workspaceResourceId: WS, name: 'la' }] },
      dataFlows: [{ streams: [STREAM], destinations: ['la'], transformKql: 'source | where Computer != "x"', outputStream: 'Custom-AppEvents_CL' }],
    } },
  });
  assert.equal(res.status, 400);
  assert.match(res.body.error.message, /transformKql.*KQL engine/);
});
