// The query API's guards, with stand-ins for the compiler and the store so that each guard is
// exercised on purpose: SQL that would read a workspace it was not given never runs; the time
// limit reaches the store and its timeout is a 504; a client that goes away cancels its
// queries in the store; engine failures and column mismatches are reported, not hidden.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startTestServer, WORLD, ws, type TestServer } from './harness.ts';
import { queryToken } from './query-fixtures.ts';
import type { CompileQuery } from '../src/query/compiler.ts';
import type { QueryRequest, QueryResult, QueryStore } from '../src/query/store-gateway.ts';

const F = WORLD.fabrikam;
const N = WORLD.northwind;

let t: TestServer;
let fabrikamId: string;
let northwindId: string;
let ana: string;

/** Compiles nothing: `SELECT 1` over the home workspace, or over Northwind when the text asks for 'foreign'. */
const standIn: CompileQuery = async (text, env) => ({
  sql: 'SELECT 1 AS x',
  columns: text.includes('two columns') ? [{ name: 'x', type: 'long' }, { name: 'y', type: 'long' }] : [{ name: 'x', type: 'long' }],
  workspaces: text.includes('foreign') ? [env.home.id, northwindId] : [env.home.id],
});

const calls: QueryRequest[] = [];
const cancelled: string[] = [];
let behaviour: (request: QueryRequest) => Promise<QueryResult> = async () => ({ columns: [{ name: 'x', type: 'BIGINT' }], rows: [[1n]] });
const waiting = new Map<string, (error: Error) => void>();

const store: QueryStore = {
  query(request) {
    calls.push(request);
    return behaviour(request);
  },
  async cancel(queryId) {
    cancelled.push(queryId);
    waiting.get(queryId)?.(Object.assign(new Error('cancelled'), { name: 'QueryCancelled' }));
  },
};

before(async () => {
  t = await startTestServer({ compileQuery: standIn, config: { queryTimeoutSeconds: 30, queryMaxTimeoutSeconds: 90 } });
  t.server.services.queryStore = store;
  const id = async (tenant: string, user: { upn: string; password: string }, c: { subscription: string; rg: string; workspace: string }) =>
    (await t.request('GET', `${ws(c.subscription, c.rg, c.workspace)}?api-version=2025-07-01`, { token: await t.userToken(tenant, user.upn, user.password) })).body.properties.customerId as string;
  fabrikamId = await id(F.tenant, WORLD.users.fabrikamAdmin, F);
  northwindId = await id(N.tenant, WORLD.users.northwindAdmin, N);
  ana = await queryToken(t, WORLD.soc.tenant, WORLD.users.ana);
});
after(async () => { await t.close(); });

const post = (path: string, body: object, headers: Record<string, string> = {}, signal?: AbortSignal) =>
  fetch(`${t.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ana}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });

test('compiled SQL that reads a workspace the request did not name never runs, even one the caller may read', async () => {
  const before = calls.length;
  const res = await post(`/v1/workspaces/${fabrikamId}/query`, { query: 'foreign' });
  assert.equal(res.status, 500);
  const body = (await res.json()) as any;
  assert.equal(body.error.code, 'InternalServerError');
  assert.ok(!JSON.stringify(body).includes(northwindId), 'the foreign id is not echoed');
  assert.equal(calls.length, before, 'the store was not called');
  const fine = await post(`/v1/workspaces/${fabrikamId}/query`, { query: 'fine', workspaces: [northwindId] });
  assert.equal(fine.status, 200, 'naming it makes it readable');
});

test('the time limit travels to the store (Prefer: wait, capped) and a timeout is 504 GatewayTimeout', async () => {
  behaviour = async (request) => {
    if (request.timeoutMs === 7000) throw Object.assign(new Error('interrupted'), { name: 'QueryTimeout' });
    return { columns: [{ name: 'x', type: 'BIGINT' }], rows: [[1n]] };
  };
  try {
    const timedOut = await post(`/v1/workspaces/${fabrikamId}/query`, { query: 'slow' }, { prefer: 'wait=7' });
    assert.equal(timedOut.status, 504);
    const body = (await timedOut.json()) as any;
    assert.equal(body.error.code, 'GatewayTimeout');
    assert.match(body.error.message, /7 seconds/);
    assert.equal(calls.at(-1)!.timeoutMs, 7000);
    assert.equal((await post(`/v1/workspaces/${fabrikamId}/query`, { query: 'x' })).status, 200);
    assert.equal(calls.at(-1)!.timeoutMs, 30_000, 'the configured default');
    await post(`/v1/workspaces/${fabrikamId}/query`, { query: 'x' }, { prefer: 'wait=3600' });
    assert.equal(calls.at(-1)!.timeoutMs, 90_000, 'capped by queryMaxTimeoutSeconds');
    assert.equal(calls.at(-1)!.maxRows, 500_000);
    assert.equal(calls.at(-1)!.maxBytes, 64 * 1024 * 1024);
    assert.deepEqual(calls.at(-1)!.workspaces, [fabrikamId]);
  } finally {
    behaviour = async () => ({ columns: [{ name: 'x', type: 'BIGINT' }], rows: [[1n]] });
  }
});

test('a client that goes away cancels its queries in the store (single and $batch)', async () => {
  behaviour = (request) => new Promise((_resolve, reject) => { waiting.set(request.queryId!, reject); });
  try {
    for (const [path, body, expected] of [
      [`/v1/workspaces/${fabrikamId}/query`, { query: 'long' }, 1],
      ['/v1/$batch', { requests: [1, 2].map((i) => ({ id: String(i), body: { query: 'long' }, path: '/query', method: 'POST', workspace: fabrikamId })) }, 2],
    ] as const) {
      const before = calls.length;
      const abort = new AbortController();
      const pending = post(path, body, {}, abort.signal).catch((error: unknown) => error);
      const started = await eventually(async () => calls.slice(before), (c) => c.length === expected, 'the store to receive the queries');
      abort.abort();
      assert.ok((await pending) instanceof Error, 'the client gave up');
      await eventually(async () => started.every((c) => cancelled.includes(c.queryId!)), (ok) => ok, 'every query to be cancelled');
      assert.equal(new Set(started.map((c) => c.queryId)).size, expected, 'each query has its own id');
    }
  } finally {
    behaviour = async () => ({ columns: [{ name: 'x', type: 'BIGINT' }], rows: [[1n]] });
  }
});

test('an answer sent in full cancels nothing', async () => {
  const before = cancelled.length;
  assert.equal((await post(`/v1/workspaces/${fabrikamId}/query`, { query: 'x' })).status, 200);
  assert.equal(cancelled.length, before);
});

test('an engine failure is a 400 EngineError; columns other than declared are a 500', async () => {
  behaviour = async () => { throw new Error('Conversion Error: Could not convert string \'abc\' to INT32'); };
  try {
    const failed = await post(`/v1/workspaces/${fabrikamId}/query`, { query: 'x' });
    assert.equal(failed.status, 400);
    const body = (await failed.json()) as any;
    assert.equal(body.error.innererror.code, 'EngineError');
    assert.match(body.error.message, /Could not convert/);
  } finally {
    behaviour = async () => ({ columns: [{ name: 'x', type: 'BIGINT' }], rows: [[1n]] });
  }
  const mismatch = await post(`/v1/workspaces/${fabrikamId}/query`, { query: 'two columns' });
  assert.equal(mismatch.status, 500);
});
