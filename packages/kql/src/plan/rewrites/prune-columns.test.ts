// Column pruning through the operators that pass their input's columns on (mv-expand, sample,
// serialize, make-series): the SQL names only the columns the query uses, and results stay
// what they were; distinct still compares whole rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureEngine } from '../../../test/fixture-engine.ts';

const engine = await FixtureEngine.create([{
  id: '00000000-0000-0000-0000-0000000000a1',
  name: 'prune',
  tenantId: '00000000-0000-0000-0000-000000000001',
  tables: [{
    name: 'SecurityEvent',
    columns: [
      { name: 'TimeGenerated', type: 'datetime' }, { name: 'Computer', type: 'string' },
      { name: 'Activity', type: 'string' }, { name: 'EventData', type: 'string' },
    ],
    rows: [
      ['2024-01-15T08:00:00Z', 'web01', 'one', '{"P": ["a", "b"]}'],
      ['2024-01-15T09:00:00Z', 'web01', 'two', '{"P": []}'],
      ['2024-01-15T10:00:00Z', 'db01', 'three', '{"Q": 1}'],
      ['2024-01-15T11:00:00Z', 'db01', 'four', 'not json'],
    ],
  }],
}]);

const run = (kql: string) => engine.run(kql);
const sorted = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();

test('mv-expand passes on only the columns needed above it, and the columns its expansion reads', async () => {
  const r = await run('SecurityEvent | extend P = parse_json(EventData).P | mv-expand P | project Computer, P = tostring(P)');
  assert.doesNotMatch(r.sql, /"Activity"|"TimeGenerated"/);
  // An empty array gives no row; a missing member and a non-JSON string are null: one row each.
  assert.deepEqual(sorted(r.rows), sorted([['web01', 'a'], ['web01', 'b'], ['db01', ''], ['db01', '']]));
});

test('mv-expand keeps its expanded column when nothing above uses it (it decides the rows)', async () => {
  const r = await run('SecurityEvent | mv-expand P = parse_json(EventData).P | summarize count() by Computer');
  assert.doesNotMatch(r.sql, /"Activity"|"TimeGenerated"/);
  assert.deepEqual(sorted(r.rows), sorted([['web01', 2], ['db01', 2]]));
});

test('mv-expand drops an unused item index and keeps a used one', async () => {
  const unused = await run('SecurityEvent | mv-expand with_itemindex=i P = parse_json(EventData).P | project Activity');
  assert.doesNotMatch(unused.sql, /"i"|"Computer"/);
  assert.deepEqual(sorted(unused.rows), sorted([['one'], ['one'], ['three'], ['four']]));
  const used = await run('SecurityEvent | mv-expand with_itemindex=i P = parse_json(EventData).P | where Activity == "one" | project i, P = tostring(P)');
  assert.deepEqual(sorted(used.rows), sorted([[0, 'a'], [1, 'b']]));
});

test('serialize, sample and make-series read only the columns used', async () => {
  const s = await run('SecurityEvent | serialize | extend n = row_number() | project Computer, n');
  assert.doesNotMatch(s.sql, /"Activity"|"EventData"/);
  assert.equal(s.rows.length, 4);
  const sample = await run('SecurityEvent | sample 2 | project Computer');
  assert.doesNotMatch(sample.sql, /"Activity"|"EventData"/);
  assert.equal(sample.rows.length, 2);
  const series = await run('SecurityEvent | make-series n = count() default = 0 on TimeGenerated from datetime(2024-01-15 08:00) to datetime(2024-01-15 12:00) step 2h by Computer');
  assert.doesNotMatch(series.sql, /"Activity"|"EventData"/);
  assert.deepEqual(sorted(series.rows.map((r) => [r[0], r[1]])), sorted([['web01', [2, 0]], ['db01', [0, 2]]]));
});

test('distinct still compares whole rows', async () => {
  const r = await run('SecurityEvent | distinct * | summarize count() by Computer');
  assert.deepEqual(sorted(r.rows), sorted([['web01', 2], ['db01', 2]]));
});
