import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureEngine } from '../test/fixture-engine.ts';
import { SYSTEM_FUNCTIONS, withSystemFunctions } from './system-functions.ts';
import type { KqlColumn } from './types.ts';

const WATCHLIST: KqlColumn[] = ([['TimeGenerated', 'datetime'], ['_DTItemType', 'string'], ['WatchlistAlias', 'string'], ['_DTTimestamp', 'datetime'],
  ['_DTItemStatus', 'string'], ['LastUpdatedTimeUTC', 'datetime'], ['SearchKey', 'string'], ['WatchlistItem', 'dynamic'], ['_DTItemId', 'string']] as const)
  .map(([name, type]) => ({ name, type }));

const item = (at: string, id: string, status: string, key: string, fields: object, alias = 'vip') =>
  ['2024-01-01T00:00:00Z', 'watchlist-item', alias, at, status, at, key, JSON.stringify(fields), id];

async function engine(rows: unknown[][]) {
  return FixtureEngine.create([{ id: '5e0c0de0-0000-4000-8000-00000000c0de', name: 'w', tenantId: 't',
    tables: [{ name: 'Watchlist', columns: WATCHLIST, rows }], functions: [...SYSTEM_FUNCTIONS] }]);
}

test('_GetWatchlist: the latest version of each item, deleted ones left out, fields unpacked', async () => {
  const e = await engine([
    item('2024-01-01T00:00:00Z', '1', 'Create', 'alice', { User: 'alice', Tier: 'old' }),
    item('2024-01-02T00:00:00Z', '1', 'Update', 'alice', { User: 'alice', Tier: 'gold' }),
    item('2024-01-01T00:00:00Z', '2', 'Create', 'bob', { User: 'bob', Tier: 'silver' }),
    item('2024-01-03T00:00:00Z', '2', 'Delete', 'bob', { User: 'bob', Tier: 'silver' }),
    item('2024-01-01T00:00:00Z', '3', 'Create', 'x', { Other: 1 }, 'another'),
  ]);
  const r = await e.run("_GetWatchlist('vip')", { discover: (sql) => e.sql(sql), now: new Date('2024-02-01T00:00:00Z') });
  assert.deepEqual(r.columns.map((c) => c.name), ['_DTItemId', 'LastUpdatedTimeUTC', 'SearchKey', 'Tier', 'User']);
  assert.deepEqual(r.rows, [['1', '2024-01-02T00:00:00.000Z', 'alice', 'gold', 'alice']]);
});

test('_GetWatchlist with no items still has SearchKey, so filters on it compile', async () => {
  const e = await engine([]);
  const r = await e.run("_GetWatchlist('vip') | where SearchKey in ('a') | project SearchKey, _DTItemId, LastUpdatedTimeUTC", { discover: (sql) => e.sql(sql) });
  assert.deepEqual(r.columns.map((c) => c.name), ['SearchKey', '_DTItemId', 'LastUpdatedTimeUTC']);
  assert.deepEqual(r.rows, []);
});

test('withSystemFunctions adds them, a saved function of the same name wins', () => {
  const ws = { id: 'x', name: 'w', resourceId: 'r', tenantId: 't', tables: [], functions: [] };
  assert.deepEqual(withSystemFunctions(ws).functions.map((f) => f.name), ['_GetWatchlist']);
  assert.equal(withSystemFunctions(ws), withSystemFunctions(ws), 'the same object each time (the analyser caches symbols per workspace object)');
  const own = { ...ws, functions: [{ name: '_getwatchlist', parameters: [], body: 'print 1' }] };
  assert.equal(withSystemFunctions(own), own);
});
