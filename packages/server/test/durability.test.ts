// kill -9 during sustained ingestion, 20 times: no acknowledged row is lost, none is
// duplicated, no call is half-stored, and the store opens cleanly every time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbLogStore } from '../src/logstore/duckdb/duckdb-store.ts';
import { workspaceCatalog } from '../src/logstore/log-store.ts';
import { applyEnvironment, freePort, startChildServer, stopChildServer } from './child-server.ts';

const TENANT = '0d0d0d0d-0000-4000-8000-000000000001';
const SUB = '0d0d0d0d-0000-4000-8000-0000000000aa';
const APP = { id: '0d0d0d0d-0000-4000-8000-0000000000a1', secret: 'durable-secret-0123456789' };
const WS_ID = '0d0d0d0d-0000-4000-8000-0000000000ee';
const ENV = `directories:
  - name: d
    id: ${TENANT}
    displayName: Durable
    domain: durable.example
    users: [{ name: admin, upn: admin@durable.example, password: Admin-Passw0rd! }]
    servicePrincipals: [{ name: ingest, appId: ${APP.id}, secret: ${APP.secret} }]
    subscriptions:
      - name: s
        id: ${SUB}
        providers: [Microsoft.OperationalInsights, Microsoft.SecurityInsights, Microsoft.Insights]
        resourceGroups: [{ name: rg, workspaces: [{ name: ws-durable, customerId: ${WS_ID} }] }]
        roleAssignments:
          - { principal: admin, role: Owner }
          - { principal: ingest, role: Monitoring Metrics Publisher, scope: rg }
`;
const ROWS_PER_CALL = 500;
const ROUNDS = 20;

let dir: string;
let port: number;
let url: string;
let immutableId: string;
let child: ChildProcess | undefined;
async function startVigil(): Promise<void> {
  child = await startChildServer(dir, port);
}

async function token(form: Record<string, string>): Promise<string> {
  const res = await fetch(`${url}/${TENANT}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form) });
  return ((await res.json()) as { access_token: string }).access_token;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-durable-'));
  port = await freePort();
  url = `https://127.0.0.1:${port}`;
  applyEnvironment(dir, ENV);
  await startVigil();
  const admin = await token({ grant_type: 'password', username: 'admin@durable.example', password: 'Admin-Passw0rd!', scope: 'https://management.azure.com/.default' });
  const ws = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws-durable`;
  const call = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'PUT', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal((await call(`${ws}/tables/Seq_CL?api-version=2022-10-01`, { properties: { schema: { columns: [{ name: 'TimeGenerated', type: 'dateTime' }, { name: 'Seq', type: 'long' }, { name: 'Call', type: 'long' }, { name: 'Payload', type: 'string' }] } } })).status, 201);
  const rule = await call(`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Insights/dataCollectionRules/seq?api-version=2023-03-11`, {
    location: 'westeurope',
    properties: {
      streamDeclarations: { 'Custom-Seq': { columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Seq', type: 'long' }, { name: 'Call', type: 'long' }, { name: 'Payload', type: 'string' }] } },
      destinations: { logAnalytics: [{ workspaceResourceId: ws, name: 'la' }] },
      dataFlows: [{ streams: ['Custom-Seq'], destinations: ['la'], outputStream: 'Custom-Seq_CL' }],
    },
  });
  assert.equal(rule.status, 201);
  immutableId = ((await rule.json()) as { properties: { immutableId: string } }).properties.immutableId;
  await stopChildServer(child!);
});
after(() => {
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test(`kill -9 during sustained ingestion, ${ROUNDS} times: acknowledged rows survive exactly once, no call half-stored`, { timeout: 600_000 }, async () => {
  const acknowledged = new Set<number>();
  let nextCall = 0;
  for (let round = 0; round < ROUNDS; round++) {
    await startVigil();
    const bearer = await token({ grant_type: 'client_credentials', client_id: APP.id, client_secret: APP.secret, scope: 'https://monitor.azure.com/.default' });
    let stop = false;
    const sender = async () => {
      while (!stop) {
        const callId = nextCall++;
        const rows = Array.from({ length: ROWS_PER_CALL }, (_, i) => ({ TimeGenerated: new Date().toISOString(), Seq: callId * ROWS_PER_CALL + i, Call: callId, Payload: 'x'.repeat(64) }));
        try {
          const res = await fetch(`${url}/dataCollectionRules/${immutableId}/streams/Custom-Seq?api-version=2023-01-01`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify(rows) });
          if (res.status === 204) acknowledged.add(callId);
          else await res.arrayBuffer();
        } catch {
          return; // the server died mid-call: this call was not acknowledged
        }
      }
    };
    const senders = [sender(), sender(), sender(), sender()];
    await new Promise((r) => setTimeout(r, 150 + Math.floor(Math.random() * 500)));
    await stopChildServer(child!, 'SIGKILL');
    stop = true;
    await Promise.all(senders);

    // The store opens cleanly after every kill, and holds what was promised.
    const store = new DuckDbLogStore(dir);
    const table = `"${workspaceCatalog(WS_ID)}".main."Seq_CL"`;
    try {
      // Killed before its first commit, the server never made the table: nothing is stored, so
      // nothing may have been acknowledged either.
      if ((await store.tables(WS_ID)).length === 0) {
        assert.equal(acknowledged.size, 0, `round ${round}: calls were acknowledged but nothing is stored`);
        continue;
      }
      const [[rows, distinct]] = (await store.query({ sql: `SELECT count(*), count(DISTINCT Seq) FROM ${table}`, workspaces: [WS_ID] })).rows as [bigint, bigint][] as [[bigint, bigint]];
      assert.equal(rows, distinct, `round ${round}: no row is stored twice`);
      const perCall = (await store.query({ sql: `SELECT Call, count(*) FROM ${table} GROUP BY Call`, workspaces: [WS_ID] })).rows as [bigint, bigint][];
      for (const [call, n] of perCall) assert.equal(Number(n), ROWS_PER_CALL, `round ${round}: call ${call} is stored whole or not at all`);
      const stored = new Set(perCall.map(([call]) => Number(call)));
      const lost = [...acknowledged].filter((c) => !stored.has(c));
      assert.deepEqual(lost, [], `round ${round}: acknowledged calls lost`);
    } finally {
      await store.close();
    }
  }
  assert.ok(acknowledged.size > ROUNDS * 5, `ingestion was sustained (${acknowledged.size} calls acknowledged)`);
});
