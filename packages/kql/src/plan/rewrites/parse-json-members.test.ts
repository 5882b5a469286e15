// Members of parse_json(text) read from the text: the SQL no longer casts the text to JSON, and
// results are those of the plain form (parse_json, then the member), which the rewrite leaves
// alone when d is also used whole. Texts cover JSON of every member type, text that is not JSON,
// "", JSON scalars, and reals whose tostring Kusto prints its own way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureEngine } from '../../../test/fixture-engine.ts';

const docs = [
  '{"a": "x", "n": 1, "r": 1.0, "b": {"c": "deep"}, "k": "keep"}',
  '{"a": 2.5, "n": -7, "r": 1e20, "b": {"c": 3}, "k": "keep"}',
  '{"a": true, "n": 12345678901234567890123, "r": 1.5e-7, "b": [1], "k": "drop"}',
  '{"a": null, "r": NaN, "b": {"c": null}, "k": "keep"}',
  '{"a": [1, "two"], "r": -Infinity, "k": "keep"}',
  '{"a": {"z": 1.0}, "r": "1.0", "k": "keep"}',
  ' {"a": "spaced", "r": "NaN", "k": "keep"} ',
  'not json',
  '{"a": "unterminated"',
  '',
  '"a string"',
  '[{"a": 1}]',
  '42',
];

const engine = await FixtureEngine.create([{
  id: '00000000-0000-0000-0000-0000000000a2',
  name: 'members',
  tenantId: '00000000-0000-0000-0000-000000000001',
  tables: [{
    name: 'SecurityEvent',
    columns: [{ name: 'EventID', type: 'int' }, { name: 'EventData', type: 'string' }],
    rows: docs.map((d, i) => [i, d]),
  }],
}]);

const sorted = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();

/**
 * The query's rows, and those of the same query with d also used whole (not rewritten), whose
 * last column (tostring(d), which shows d whole) is left out of the comparison.
 */
async function againstPlain(kql: string, plain: string, extra = 1) {
  const r = await engine.run(kql);
  const p = await engine.run(plain);
  assert.match(p.sql, /TRY_CAST\("EventData" AS JSON\)/, 'the plain form is not rewritten');
  assert.deepEqual(sorted(r.rows), sorted(p.rows.map((x) => x.slice(0, x.length - extra))));
  return r;
}

test('extend d = parse_json(text), then members of d: read from the text, all in one parse', async () => {
  const r = await againstPlain(
    'SecurityEvent | extend d = parse_json(EventData) | project EventID, a = tostring(d.a), r = tostring(d.r), c = tostring(d.b.c), n = tostring(d.n), i = tostring(d[0].a)',
    'SecurityEvent | extend d = parse_json(EventData) | project EventID, a = tostring(d.a), r = tostring(d.r), c = tostring(d.b.c), n = tostring(d.n), i = tostring(d[0].a), w = tostring(d)',
  );
  assert.doesNotMatch(r.sql, /AS JSON\)/);
  assert.equal(r.sql.match(/json_extract_string\(/g)?.length, 5, 'one list extraction, five members');
  const row = (id: number) => r.rows.find((x) => x[0] === id)!.slice(1);
  assert.deepEqual(row(0), ['x', '1', 'deep', '1', '']);
  assert.deepEqual(row(1), ['2.5', '1E+20', '3', '-7', '']);
  assert.deepEqual(row(2), ['true', '1.5E-07', '', '1.2345678901234568E+22', '']);
  assert.deepEqual(row(3), ['', 'NaN', '', '', '']);
  assert.deepEqual(row(4), ['[1,"two"]', '-Infinity', '', '', '']);
  assert.deepEqual(row(5), ['{"z":1.0}', '1.0', '', '', '']);
  assert.deepEqual(row(6), ['spaced', 'NaN', '', '', '']);
  for (const id of [7, 8, 9, 10]) assert.deepEqual(row(id), ['', '', '', '', ''], `not a bag: ${docs[id]}`);
  assert.deepEqual(row(11), ['', '', '', '', '1']);
});

test('members through where, sort and take, and members kept dynamic', async () => {
  await againstPlain(
    'SecurityEvent | extend d = parse_json(EventData) | where tostring(d.k) == "keep" | sort by EventID asc | take 5 | summarize count() by a = tostring(d.a), n = tolong(d.n), isnull(d.b)',
    'SecurityEvent | extend d = parse_json(EventData) | where tostring(d.k) == "keep" and isnotnull(d) or isnull(d) | sort by EventID asc | take 5 | summarize count() by a = tostring(d.a), n = tolong(d.n), isnull(d.b)',
    0,
  );
});

test('parse_json(text).member in one expression', async () => {
  const r = await againstPlain(
    'SecurityEvent | project EventID, a = tostring(parse_json(EventData).a), r = todouble(parse_json(EventData).r), b = parse_json(EventData).b',
    'SecurityEvent | extend d = parse_json(EventData) | project EventID, a = tostring(d.a), r = todouble(d.r), b = d.b, w = tostring(d)',
  );
  assert.doesNotMatch(r.sql, /AS JSON\)/);
});

test('d used whole, or by an operator that is not followed, is left alone', async () => {
  for (const kql of [
    'SecurityEvent | extend d = parse_json(EventData) | project a = tostring(d.a), w = tostring(d)',
    'SecurityEvent | extend d = parse_json(EventData) | project a = tostring(d)',
    'SecurityEvent | extend d = parse_json(EventData) | extend e = d | project tostring(d.a), tostring(e)',
    'SecurityEvent | extend d = parse_json(EventData) | mv-expand d | project tostring(d.a)',
  ]) {
    const r = await engine.run(kql);
    assert.match(r.sql, /TRY_CAST\("EventData" AS JSON\)/, kql);
  }
});

test('a column of the same name inside toscalar() is another column', async () => {
  const r = await engine.run('SecurityEvent | extend d = parse_json(EventData) | project a = tostring(d.a), t = toscalar(SecurityEvent | extend d = parse_json(EventData) | where EventID == 0 | project d)');
  assert.match(r.sql, /TRY_CAST\("EventData" AS JSON\)/);
  assert.deepEqual(r.rows[0]![1], JSON.parse(docs[0]!));
});
