import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureEngine } from '../../test/fixture-engine.ts';

// DuckDB folds identifier case: without SQL names of their own, the second column of each pair
// would silently read the first.
test('columns whose names differ only in case keep their own values through every operator', async () => {
  const e = await FixtureEngine.create([{ id: '5e0c0de0-0000-4000-8000-00000000c0de', name: 'w', tenantId: 't', tables: [] }]);
  assert.deepEqual((await e.run('print a = 1, A = 2 | extend aA = a * 10 + A | project A, a, aA')).rows, [[2, 1, 12]]);
  assert.deepEqual((await e.run('datatable(k:string, K:string) ["x", "y", "x", "z"] | summarize n = count() by K | order by K asc')).rows, [['y', 1], ['z', 1]]);
  assert.deepEqual((await e.run('datatable(k:string, K:string) ["x", "y"] | join kind=inner (datatable(K:string, v:int) ["y", 7]) on K | project k, K, v')).rows, [['x', 'y', 7]]);
  assert.deepEqual((await e.run('datatable(k:string) ["x"] | extend K = "y" | union (print k = "p", K = "q") | order by k asc | project K, k')).rows, [['q', 'p'], ['y', 'x']]);
});
