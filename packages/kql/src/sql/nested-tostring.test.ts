import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureEngine } from '../../test/fixture-engine.ts';

// tostring of a computed dynamic value names it once: nested calls (tostring(split(tostring(...))))
// once grew the SQL by a factor of a dozen per level, and a three-deep parser took minutes to plan.
test('nested tostring(split(...)[i]) stays linear in size and gives the values', async () => {
  const e = await FixtureEngine.create([{ id: '5e0c0de0-0000-4000-8000-00000000c0de', name: 'w', tenantId: 't', tables: [] }]);
  let expr = 's';
  for (const sep of ['|', ':', ',', '=']) expr = `tostring(split(${expr}, "${sep}")[1])`;
  const r = await e.run(`print s = "a|b:c,d=e,f:g|h" | project v = ${expr}`);
  assert.deepEqual(r.rows, [['e']]);
  assert.ok(r.sql.length < 6_000, `four levels of nesting gave ${r.sql.length} characters of SQL`);
});
