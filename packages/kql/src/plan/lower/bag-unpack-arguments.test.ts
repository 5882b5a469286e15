import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureEngine } from '../../../test/fixture-engine.ts';

// bag_unpack's named arguments: columnsConflict (error, replace_source, keep_source) and
// OutputColumnPrefix. The schema is discovered from the data.
test('bag_unpack with columnsConflict and OutputColumnPrefix', async () => {
  const e = await FixtureEngine.create([{ id: '5e0c0de0-0000-4000-8000-00000000c0de', name: 'w', tenantId: 't',
    tables: [{ name: 'T', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'A', type: 'string' }, { name: 'd', type: 'dynamic' }],
      rows: [['2024-01-01T00:00:00Z', 'source', '{"A":"bag","B":2,"x":true}'], ['2024-01-02T00:00:00Z', 'source2', '{"B":3}']] }] }]);
  const discover = (sql: string) => e.sql(sql);
  const run = async (q: string) => {
    const r = await e.run(q, { discover });
    return { columns: r.columns.map((c) => c.name), rows: r.rows };
  };
  assert.deepEqual(await run("T | evaluate bag_unpack(d, columnsConflict='replace_source') | project-away TimeGenerated"),
    { columns: ['A', 'B', 'x'], rows: [['bag', 2, true], ['', 3, null]] }, 'the key replaces the column, also where a row lacks it (a string: "")');
  assert.deepEqual(await run("T | evaluate bag_unpack(d, columnsConflict='keep_source') | project-away TimeGenerated"),
    { columns: ['A', 'B', 'x'], rows: [['source', 2, true], ['source2', 3, null]] });
  assert.deepEqual(await run("T | evaluate bag_unpack(d, OutputColumnPrefix='p_') | project-away TimeGenerated"),
    { columns: ['A', 'p_A', 'p_B', 'p_x'], rows: [['source', 'bag', 2, true], ['source2', '', 3, null]] });
  await assert.rejects(run('T | evaluate bag_unpack(d)'), /VQ041|also a column/);
  await assert.rejects(run("T | evaluate bag_unpack(d, columnsConflict='merge')"), /columnsConflict='merge'/);
});
