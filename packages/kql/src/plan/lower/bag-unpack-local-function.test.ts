import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureEngine } from '../../../test/fixture-engine.ts';

// bag_unpack's columns are discovered and written after the call: inside a local function the
// place is found in the declaration's text (the query's, or a saved function's around it).
test('bag_unpack inside a local function, in the query and in a saved function', async () => {
  const e = await FixtureEngine.create([{ id: '5e0c0de0-0000-4000-8000-00000000c0de', name: 'w', tenantId: 't',
    tables: [{ name: 'T', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'd', type: 'dynamic' }], rows: [['2024-01-01T00:00:00Z', '{"a":1,"b":"x"}']] }],
    functions: [{ name: 'F', parameters: [], body: '// a comment first\nlet v = view () {\n  T | evaluate bag_unpack(d)\n};\nlet w = () { v | extend c = a + 1 };\nw | project a, c' }] }]);
  const discover = (sql: string) => e.sql(sql);
  assert.deepEqual((await e.run('let v = view () { T | evaluate bag_unpack(d) }; v | project a, b', { discover })).rows, [[1, 'x']]);
  assert.deepEqual((await e.run('F', { discover })).rows, [[1, 2]]);
  await assert.rejects(e.run('let v = view () { T | evaluate bag_unpack(d) }; v'), /VQ040|without an output schema/);
});
