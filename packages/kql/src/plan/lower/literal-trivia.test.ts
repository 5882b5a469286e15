import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureEngine } from '../../../test/fixture-engine.ts';

test('a literal preceded by a comment (its leading trivia) reads as the literal alone', async () => {
  const e = await FixtureEngine.create([{ id: '5e0c0de0-0000-4000-8000-00000000c0de', name: 'w', tenantId: 't', tables: [] }]);
  const r = await e.run(`datatable(code:long, d:datetime, t:timespan, r:real)[
    // codes 9000-11999, see https://example.org/a--b
    0, // the first
    datetime(2024-01-01), 1h, 1.5
  ]`);
  assert.deepEqual(r.rows, [[0, '2024-01-01T00:00:00.000Z', r.rows[0]![2], 1.5]]);
});

test('datetime literals: quoted text and the comma form datetime(y, m, d[, h, mi, s])', async () => {
  const e = await FixtureEngine.create([{ id: '5e0c0de0-0000-4000-8000-00000000c0de', name: 'w', tenantId: 't', tables: [] }]);
  const r = await e.run('print a = datetime("2015-12-14"), b = datetime(2025, 6, 14), c = datetime(2025, 6, 14, 9, 5, 7.25), d = datetime(\'2024-01-02 03:04\')');
  assert.deepEqual(r.rows, [['2015-12-14T00:00:00.000Z', '2025-06-14T00:00:00.000Z', '2025-06-14T09:05:07.250Z', '2024-01-02T03:04:00.000Z']]);
});
