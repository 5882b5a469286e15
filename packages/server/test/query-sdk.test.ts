// Microsoft's LogsQueryClient, both generations (@azure/monitor-query-logs and the older
// @azure/monitor-query), against the query API over HTTPS as an MSSP analyst uses it: Ana signs
// in to her own directory and queries Fabrikam's workspace through the Lighthouse delegation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { LogsQueryClient, LogsQueryResultStatus } from '@azure/monitor-query-logs';
import { LogsQueryClient as LegacyLogsQueryClient, LogsQueryResultStatus as LegacyStatus } from '@azure/monitor-query';
import { startTestServer, WORLD, ws, type TestServer } from './harness.ts';
import { customTable, INGEST, queryWorld, upload } from './query-fixtures.ts';

const F = WORLD.fabrikam;
const FWS = ws(F.subscription, F.rg, F.workspace);
const NOW = Date.now();
const at = (minutes: number) => new Date(NOW - minutes * 60_000);

let t: TestServer;
let workspaceId: string;
const scopes: string[] = [];

/** Ana's credential: a password sign-in for whatever scope the SDK asks for. */
const ana: TokenCredential = {
  async getToken(requested: string | string[]): Promise<AccessToken> {
    const scope = Array.isArray(requested) ? requested.join(' ') : requested;
    scopes.push(scope);
    return { token: await t.userToken(WORLD.soc.tenant, WORLD.users.ana.upn, WORLD.users.ana.password, scope), expiresOnTimestamp: Date.now() + 50 * 60_000 };
  },
};

before(async () => {
  // Three rows fit a result here: the fourth makes a partial answer.
  t = await startTestServer({ environment: queryWorld(), config: { queryMaxRows: 3 } });
  const admin = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  workspaceId = (await t.request('GET', `${FWS}?api-version=2025-07-01`, { token: admin })).body.properties.customerId;
  await upload(t, INGEST.fabrikam, await customTable(t, admin, F, 'Logons_CL'), [
    { TimeGenerated: at(5).toISOString(), Computer: 'dc01', EventID: 4625, Bytes: 5_000_000_000, Score: 0.5, Success: false, Props: { user: 'bob', tags: ['a', 1] }, Session: '6e2c1c4e-0f4b-4a31-9d2b-2a2c8d1f3b5e' },
    { TimeGenerated: at(6).toISOString(), Computer: 'dc01', EventID: 4625, Bytes: 1, Score: 1, Success: false, Props: null },
    { TimeGenerated: at(7).toISOString(), Computer: 'web02', EventID: 4624, Bytes: 2, Score: 2, Success: true, Props: [1, 2] },
    { TimeGenerated: at(8).toISOString(), Computer: 'web03', EventID: 4624, Bytes: 3, Score: 3, Success: true, Props: {} },
  ]);
});
after(async () => { await t.close(); });

const TYPED = 'Logons_CL | where Bytes == 5000000000 | project TimeGenerated, Computer, EventID, Bytes, Score, Success, Props, Session, Elapsed = 90s';

function checkTypedRow(row: unknown[]) {
  const [time, computer, eventId, bytes, score, success, props, session, elapsed] = row;
  assert.ok(time instanceof Date, 'datetime becomes a Date');
  assert.equal((time as Date).toISOString(), at(5).toISOString());
  assert.deepEqual([computer, eventId, bytes, score, success], ['dc01', 4625, 5_000_000_000, 0.5, false]);
  assert.deepEqual(props, { user: 'bob', tags: ['a', 1] }, 'dynamic is parsed from its JSON string');
  assert.equal(session, '6e2c1c4e-0f4b-4a31-9d2b-2a2c8d1f3b5e');
  assert.equal(elapsed, '00:01:30');
}

test('@azure/monitor-query-logs queryWorkspace: typed rows, statistics, render, the api.loganalytics.io scope', async () => {
  const client = new LogsQueryClient(ana, { endpoint: `${t.url}/v1` });
  const result = await client.queryWorkspace(workspaceId, TYPED, { duration: 'P1D' }, { includeQueryStatistics: true, serverTimeoutInSeconds: 60 });
  assert.equal(result.status, LogsQueryResultStatus.Success);
  if (result.status !== LogsQueryResultStatus.Success) return;
  assert.deepEqual(result.tables[0]!.columnDescriptors.map((c) => c.type), ['datetime', 'string', 'int', 'long', 'real', 'bool', 'dynamic', 'guid', 'timespan']);
  assert.equal(result.tables[0]!.rows.length, 1);
  checkTypedRow(result.tables[0]!.rows[0]!);
  assert.ok((result.statistics as any)?.query?.executionTime !== undefined);
  assert.ok(scopes.includes('https://api.loganalytics.io/.default'), scopes.join());

  const chart = await client.queryWorkspace(workspaceId, 'Logons_CL | summarize count() by Computer | render barchart', { startTime: at(60), endTime: new Date(NOW + 60_000) }, { includeVisualization: true });
  assert.equal(chart.status, LogsQueryResultStatus.Success);
  assert.equal((chart.visualization as any)?.visualization, 'barchart');

  // Without /v1 in the endpoint the SDK sends /workspaces/{id}/query: served too.
  const rootClient = new LogsQueryClient(ana, { endpoint: t.url });
  const root = await rootClient.queryWorkspace(F.workspace, 'Logons_CL | count', { duration: 'PT1H' });
  assert.equal(root.status, LogsQueryResultStatus.Success);
  if (root.status === LogsQueryResultStatus.Success) assert.deepEqual(root.tables[0]!.rows, [[4]]);
});

test('@azure/monitor-query-logs: a result past the limit is a PartialFailure with the rows that fit; a bad query rejects', async () => {
  const client = new LogsQueryClient(ana, { endpoint: `${t.url}/v1` });
  const partial = await client.queryWorkspace(workspaceId, 'Logons_CL | project Computer', { duration: 'P1D' });
  assert.equal(partial.status, LogsQueryResultStatus.PartialFailure);
  if (partial.status === LogsQueryResultStatus.PartialFailure) {
    assert.equal(partial.partialTables[0]!.rows.length, 3);
    assert.equal(partial.partialError.code, 'PartialError');
  }
  await assert.rejects(client.queryWorkspace(workspaceId, 'Logons_CL | where', { duration: 'P1D' }), (e: any) => {
    assert.equal(e.statusCode, 400);
    assert.equal(e.details?.error?.code, 'BadArgumentError');
    assert.equal(e.details?.error?.innererror?.code, 'SyntaxError');
    return true;
  });
});

test('@azure/monitor-query-logs queryBatch and queryResource', async () => {
  const client = new LogsQueryClient(ana, { endpoint: `${t.url}/v1` });
  const results = await client.queryBatch([
    { workspaceId, query: 'Logons_CL | count', timespan: { duration: 'P1D' } },
    { workspaceId, query: TYPED, timespan: { duration: 'P1D' }, includeQueryStatistics: true },
    { workspaceId, query: 'Nope_CL | count', timespan: { duration: 'P1D' } },
  ]);
  assert.equal(results.length, 3);
  assert.equal(results[0]!.status, LogsQueryResultStatus.Success);
  if (results[0]!.status === LogsQueryResultStatus.Success) assert.deepEqual(results[0]!.tables[0]!.rows, [[4]]);
  if (results[1]!.status === LogsQueryResultStatus.Success) checkTypedRow(results[1]!.tables[0]!.rows[0]!);
  else assert.fail(`second query: ${JSON.stringify(results[1])}`);
  // This SDK reports a failed query of a batch as a partial failure without tables.
  assert.notEqual(results[2]!.status, LogsQueryResultStatus.Success);
  assert.equal((results[2] as any).partialError?.code ?? (results[2] as any).code, 'BadArgumentError');

  const byResource = await client.queryResource(FWS, 'Logons_CL | count', { duration: 'P1D' });
  assert.equal(byResource.status, LogsQueryResultStatus.Success);
  if (byResource.status === LogsQueryResultStatus.Success) assert.deepEqual(byResource.tables[0]!.rows, [[4]]);
});

test('@azure/monitor-query (the previous generation): queryWorkspace, partial results, errors, queryBatch, queryResource', async () => {
  const client = new LegacyLogsQueryClient(ana, { endpoint: t.url });
  const result = await client.queryWorkspace(workspaceId, TYPED, { duration: 'P1D' }, { includeQueryStatistics: true, includeVisualization: true });
  assert.equal(result.status, LegacyStatus.Success);
  if (result.status === LegacyStatus.Success) checkTypedRow(result.tables[0]!.rows[0]!);

  const partial = await client.queryWorkspace(workspaceId, 'Logons_CL | project Computer', { duration: 'P1D' });
  assert.equal(partial.status, LegacyStatus.PartialFailure);
  if (partial.status === LegacyStatus.PartialFailure) {
    assert.equal(partial.partialTables[0]!.rows.length, 3);
    assert.equal(partial.partialError.code, 'PartialError');
  }

  await assert.rejects(client.queryWorkspace(workspaceId, 'Logons_CL | where', { duration: 'P1D' }), (e: any) => {
    assert.equal(e.statusCode, 400);
    assert.equal(e.code, 'BadArgumentError');
    return true;
  });

  const results = await client.queryBatch([
    { workspaceId, query: 'Logons_CL | count', timespan: { duration: 'P1D' } },
    { workspaceId: F.workspace, query: 'Logons_CL | where EventID == 4625 | count', timespan: { startTime: at(60), duration: 'PT2H' }, includeQueryStatistics: true },
    { workspaceId, query: 'Logons_CL | where', timespan: { duration: 'P1D' } },
  ]);
  assert.deepEqual(results.map((r) => r.status), [LegacyStatus.Success, LegacyStatus.Success, LegacyStatus.Failure]);
  if (results[1]!.status === LegacyStatus.Success) assert.deepEqual(results[1]!.tables[0]!.rows, [[2]]);
  assert.equal((results[2] as any).code, 'BadArgumentError');

  const byResource = await client.queryResource(FWS, 'Logons_CL | count', { duration: 'P1D' });
  assert.equal(byResource.status, LegacyStatus.Success);
  if (byResource.status === LegacyStatus.Success) assert.deepEqual(byResource.tables[0]!.rows, [[4]]);
});
