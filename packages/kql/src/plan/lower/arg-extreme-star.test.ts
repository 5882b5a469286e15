import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureEngine } from '../../../test/fixture-engine.ts';

// arg_min(x, *) by keys: `*` leaves out the columns a key is (`by A`, `by Foo = A`, `tostring(D)`
// of a string D) and keeps the others, renamed when a key took their name (`by tostring(C)` of a
// dynamic C gives C and C1). Each value must land under its own column: a shifted list once put
// AssessedResourceId's value under AdditionalData1 and dropped the last column.
test('arg_min(TimeGenerated, *): the columns a key is are left out, the others keep their values', async () => {
  const e = await FixtureEngine.create([{ id: '5e0c0de0-0000-4000-8000-00000000c0de', name: 'w', tenantId: 't',
    tables: [{ name: 'T', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'A', type: 'string' }, { name: 'B', type: 'string' }, { name: 'C', type: 'dynamic' }, { name: 'D', type: 'string' }],
      rows: [['2024-01-01T00:00:00Z', 'a1', 'b1', '"c1"', 'd1'], ['2024-01-02T00:00:00Z', 'a2', 'b2', '"c1"', 'd2']] }] }]);
  const run = async (q: string) => {
    const r = await e.run(q);
    return { columns: r.columns.map((c) => c.name), rows: r.rows };
  };
  assert.deepEqual(await run('T | summarize arg_min(TimeGenerated, *) by A, tostring(C), B | project-away TimeGenerated'),
    { columns: ['A', 'C', 'B', 'C1', 'D'], rows: [['a1', 'c1', 'b1', 'c1', 'd1'], ['a2', 'c1', 'b2', 'c1', 'd2']] });
  assert.deepEqual(await run('T | summarize arg_min(TimeGenerated, *) by tostring(D) | project-away TimeGenerated | sort by D asc'),
    { columns: ['D', 'A', 'B', 'C'], rows: [['d1', 'a1', 'b1', 'c1'], ['d2', 'a2', 'b2', 'c1']] });
  assert.deepEqual(await run('T | summarize arg_max(TimeGenerated, *) by A = tostring(C) | project-away TimeGenerated'),
    { columns: ['A', 'A1', 'B', 'C', 'D'], rows: [['c1', 'a2', 'b2', 'c1', 'd2']] });
  assert.deepEqual(await run('T | summarize arg_max(TimeGenerated, *) by Foo = B | project-away TimeGenerated | sort by Foo asc'),
    { columns: ['Foo', 'A', 'C', 'D'], rows: [['b1', 'a1', 'c1', 'd1'], ['b2', 'a2', 'c1', 'd2']] });
});
