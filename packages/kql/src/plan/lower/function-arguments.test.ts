import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureEngine } from '../../../test/fixture-engine.ts';

test('an argument of another type than its parameter converts as to<type>() would (a bool for a datetime is null)', async () => {
  const e = await FixtureEngine.create([{ id: '5e0c0de0-0000-4000-8000-00000000c0de', name: 'w', tenantId: 't', tables: [] }]);
  const r = await e.run('let f = (s:datetime = datetime(null), n:long = 0, d:bool = false) { print isnull(s), n, d }; f(true, 5)');
  assert.deepEqual(r.rows, [[true, 5, false]]);
});
