// The pipeline's contract: errors with codes and positions, workspace resolution through the
// caller's rights, the API's time range and workspaces list, reproducible SQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureEngine } from '../test/fixture-engine.ts';
import { KqlError } from './diagnostics.ts';

const A = 'aaaaaaaa-0000-0000-0000-000000000001';
const B = 'bbbbbbbb-0000-0000-0000-000000000002';
const C = 'cccccccc-0000-0000-0000-000000000003';
const events = (tenant: string, rows: [string, string][]) => ({
  name: 'SecurityEvent',
  columns: [{ name: 'TimeGenerated', type: 'datetime' as const }, { name: 'Account', type: 'string' as const }, { name: 'TenantId', type: 'string' as const }],
  rows: rows.map(([t, a]) => [t, a, tenant]),
});

const engine = await FixtureEngine.create([
  { id: A, name: 'ws-a', tenantId: 'ta', tables: [events('ta', [['2024-01-15 10:00:00', 'alice'], ['2024-01-10 10:00:00', 'old']])] },
  { id: B, name: 'ws-b', tenantId: 'tb', tables: [events('tb', [['2024-01-15 11:00:00', 'bob']])] },
  { id: C, name: 'ws-secret', tenantId: 'tc', tables: [events('tc', [['2024-01-15 11:00:00', 'carol']])] },
]);
/** The caller may read ws-a and ws-b; ws-secret exists but is not theirs. */
const readable = (ref: string) => engine.workspaces.filter((w) => w.id !== C).find((w) => w.name === ref || w.id === ref || w.resourceId.toLowerCase() === ref.toLowerCase());
const env = { resolveWorkspace: async (ref: string) => readable(ref) };

async function refusal(kql: string): Promise<KqlError> {
  try {
    await engine.run(kql, env);
  } catch (error) {
    assert.ok(error instanceof KqlError, `expected a KqlError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${kql} to be refused`);
}

test('a syntax error carries the parser code, its position and the line/column', async () => {
  const e = await refusal('SecurityEvent\n| wher Account == "x"');
  assert.equal(e.kind, 'syntax');
  assert.match(e.code, /^KS/);
  assert.deepEqual(e.position('SecurityEvent\n| wher Account == "x"'), { line: 2, column: 3 });
});

test('an unknown column is a semantic error at the column', async () => {
  const text = 'SecurityEvent | where Acount == "x"';
  const e = await refusal(text);
  assert.equal(e.kind, 'semantic');
  assert.equal(text.slice(e.diagnostic.start, e.diagnostic.start + e.diagnostic.length), 'Acount');
});

test('control commands are refused, not run', async () => {
  const e = await refusal('.drop table SecurityEvent');
  assert.equal(e.code, 'VQ002');
});

test('an empty query is refused with a hint', async () => {
  const e = await refusal('   ');
  assert.equal(e.code, 'VQ004');
  assert.ok(e.diagnostic.hint);
});

test('workspace() by name, id and resource id reads that workspace, rows keep their TenantId', async () => {
  const b = engine.workspaces[1]!;
  for (const ref of ['ws-b', B, b.resourceId.toUpperCase()]) {
    const r = await engine.run(`workspace("${ref}").SecurityEvent | project Account, TenantId`, env);
    assert.deepEqual(r.rows, [['bob', 'tb']], ref);
  }
  const both = await engine.run('union SecurityEvent, workspace("ws-b").SecurityEvent | summarize n=count() by TenantId | sort by TenantId asc', env);
  assert.deepEqual(both.rows, [['ta', 2], ['tb', 1]]);
});

test('a workspace the caller may not read is not found, exactly like one that does not exist', async () => {
  const hidden = await refusal('workspace("ws-secret").SecurityEvent');
  const missing = await refusal('workspace("ws-nope").SecurityEvent');
  assert.equal(hidden.kind, 'not-found');
  assert.equal(hidden.code, missing.code);
  assert.equal(hidden.message.replace('ws-secret', 'X'), missing.message.replace('ws-nope', 'X'));
  const byId = await refusal(`workspace("${C}").SecurityEvent`);
  assert.equal(byId.kind, 'not-found');
  assert.ok(!byId.message.includes('ws-secret') && !byId.message.includes('tc'), 'names nothing the caller did not type');
});

test('the time range restricts every table read, at the scan', async () => {
  const r = await engine.run('SecurityEvent | project Account', { ...env, timeRange: { start: new Date('2024-01-14T00:00:00Z'), end: new Date('2024-01-16T00:00:00Z') } });
  assert.deepEqual(r.rows, [['alice']]);
  assert.match(r.sql, /"TimeGenerated" >= TIMESTAMP '2024-01-14 00:00:00.000000' AND "TimeGenerated" < TIMESTAMP '2024-01-16 00:00:00.000000'/);
});

test('a time range on _TimeReceived restricts ingestion time instead (near-real-time rules)', async () => {
  const received = await FixtureEngine.create([{ id: A, name: 'ws-a', tenantId: 'ta', tables: [{
    name: 'SecurityEvent',
    columns: [{ name: 'TimeGenerated', type: 'datetime' as const }, { name: 'Account', type: 'string' as const }, { name: '_TimeReceived', type: 'datetime' as const }],
    // 'late' happened long ago but arrived in the range; 'early' happened in it but arrived before.
    rows: [['2024-01-01 00:00:00', 'late', '2024-01-15 10:00:30'], ['2024-01-15 10:00:10', 'early', '2024-01-15 09:59:00']],
  }] }]);
  const range = { start: new Date('2024-01-15T10:00:00Z'), end: new Date('2024-01-15T10:01:00Z') };
  const r = await received.run('SecurityEvent | project Account', { timeRange: { ...range, column: '_TimeReceived' } });
  assert.deepEqual(r.rows, [['late']]);
  assert.match(r.sql, /"_TimeReceived" >= TIMESTAMP '2024-01-15 10:00:00.000000' AND "_TimeReceived" < TIMESTAMP '2024-01-15 10:01:00.000000'/);
  assert.deepEqual((await received.run('SecurityEvent | project Account', { timeRange: range })).rows, [['early']]);
});

test('the time range leaves the Watchlist table alone (Sentinel ignores it for watchlists), for both time columns', async () => {
  const columns = [{ name: 'TimeGenerated', type: 'datetime' as const }, { name: 'SearchKey', type: 'string' as const }, { name: '_TimeReceived', type: 'datetime' as const }];
  const lists = await FixtureEngine.create([{ id: A, name: 'ws-a', tenantId: 'ta', tables: [
    { name: 'Watchlist', columns, rows: [['2024-01-01 00:00:00', 'alice', '2024-01-01 00:00:00']] },
    { name: 'SecurityEvent', columns, rows: [['2024-01-01 00:00:00', 'alice', '2024-01-01 00:00:00']] },
  ] }]);
  const range = { start: new Date('2024-01-15T10:00:00Z'), end: new Date('2024-01-15T10:05:00Z') };
  for (const column of ['TimeGenerated', '_TimeReceived'] as const) {
    assert.deepEqual((await lists.run('Watchlist | project SearchKey', { timeRange: { ...range, column } })).rows, [['alice']]);
    assert.deepEqual((await lists.run('SecurityEvent | project SearchKey', { timeRange: { ...range, column } })).rows, []);
  }
});

test('the workspaces list unions each table across the workspaces', async () => {
  const r = await engine.run('SecurityEvent | summarize n=count() by TenantId | sort by TenantId asc', { ...env, additional: [engine.workspaces[1]!] });
  assert.deepEqual(r.rows, [['ta', 2], ['tb', 1]]);
});

test('ago() is folded to a TIMESTAMP literal (zone maps can skip data) and compiles reproducibly', async () => {
  const text = 'SecurityEvent | where TimeGenerated > ago(2d) | summarize count() by Account';
  const first = await engine.run(text, env);
  const second = await engine.run(text, env);
  assert.equal(first.sql, second.sql);
  assert.match(first.sql, /"TimeGenerated" > TIMESTAMP '2024-01-13 12:00:00.000000'/);
  assert.deepEqual(first.rows, [['alice', 1]]);
});

test('an analysis is reused only for the same schema value: a changed schema analyses again', async () => {
  const { compileQuery } = await import('./compile.ts');
  const base = engine.workspaces[0]!;
  const text = 'SecurityEvent | where Account == "alice" | project Account';
  const envFor = (home: typeof base) => ({ home, resolveWorkspace: async () => undefined, catalogOf: (id: string) => id });
  const first = await compileQuery(text, envFor(base));
  const again = await compileQuery(text, envFor(base));
  assert.equal(again.sql, first.sql);
  // The same text against a schema without the Account column must be refused, not served from the cache.
  const changed = { ...base, tables: base.tables.map((t) => ({ ...t, columns: t.columns.filter((c) => c.name !== 'Account') })) };
  await assert.rejects(compileQuery(text, envFor(changed)), (e: unknown) => e instanceof KqlError && e.kind === 'semantic');
});
