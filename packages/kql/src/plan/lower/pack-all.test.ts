import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureEngine } from '../../../test/fixture-engine.ts';

test('pack_all(): a bag of the row\'s columns; pack_all(true) is refused rather than run differently', async () => {
  const e = await FixtureEngine.create([{ id: '5e0c0de0-0000-4000-8000-00000000c0de', name: 'w', tenantId: 't', tables: [] }]);
  const r = await e.run('datatable(a:string, b:long, c:dynamic)["x", 1, dynamic({"k":[1]}), "", long(null), dynamic(null)] | project p = pack_all()');
  assert.deepEqual(r.rows, [[{ a: 'x', b: 1, c: { k: [1] } }], [{ a: '', b: null, c: null }]]);
  await assert.rejects(e.run('print a = 1 | project p = pack_all(true)'), /pack_all\(true\)/);
});
