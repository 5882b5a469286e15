import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureEngine } from '../../../test/fixture-engine.ts';

// take_any(*) and take_any(a, b): the values of one arbitrary row of each group, all from the
// same row (Kusto's rule; separate any_value() calls could mix rows). Which row is arbitrary, so
// the test checks that every answer is one of the group's rows, with nulls in the mix.
test('take_any(*) and take_any(a, b): one row per group, every value from that same row', async () => {
  const rows: unknown[][] = [];
  for (let g = 0; g < 20; g++) for (let i = 0; i < 50; i++) rows.push([`g${g}`, g * 1000 + i, i % 7 === 0 ? null : `v${g}-${i}`, `w${g}-${i}`]);
  const e = await FixtureEngine.create([{ id: '7a4e0000-0000-4000-8000-000000000001', name: 'w', tenantId: 't',
    tables: [{ name: 'T', columns: [{ name: 'G', type: 'string' }, { name: 'N', type: 'long' }, { name: 'V', type: 'string' }, { name: 'W', type: 'string' }], rows }] }]);
  const source = new Set(rows.map((r) => JSON.stringify([r[1], r[2] ?? '', r[3]])));
  const star = await e.run('T | summarize n = count(), take_any(*) by G');
  assert.deepEqual(star.columns.map((c) => c.name), ['G', 'n', 'N', 'V', 'W']);
  assert.equal(star.rows.length, 20);
  for (const r of star.rows) {
    assert.equal(r[1], 50);
    assert.ok(source.has(JSON.stringify([r[2], r[3], r[4]])), `not one row of the group: ${JSON.stringify(r)}`);
    assert.equal(String(r[2]).length > 0 && Math.floor(Number(r[2]) / 1000), Number(String(r[0]).slice(1)), 'from its own group');
  }
  const pair = await e.run('T | summarize take_any(N, W) by G');
  assert.deepEqual(pair.columns.map((c) => c.name), ['G', 'N', 'W']);
  for (const r of pair.rows) assert.equal(r[2], `w${String(r[0]).slice(1)}-${Number(r[1]) % 1000}`, 'N and W from the same row');
  const whole = await e.run('T | summarize take_any(*)');
  assert.equal(whole.rows.length, 1);
  assert.ok(source.has(JSON.stringify([whole.rows[0]![1], whole.rows[0]![2], whole.rows[0]![3]])));
});
