import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rows, values } from '../../test/functions-harness.ts';

test('has matches whole terms; a needle edge that is not a letter or digit needs no boundary', async () => {
  assert.deepEqual(await values('"run file.exe now" has "file"', '"run file.exe now" has "fil"', '"run file.exe now" has ".exe"', '"Hello World" has "WORLD"', '"Hello World" has_cs "WORLD"', '"a-b" hasprefix "b"', '"abc def" hassuffix "ef"'),
    [true, false, true, true, false, true, true]);
});

test('has_any / has_all, literal and computed term lists', async () => {
  assert.deepEqual(await rows('let f = (xs:dynamic) { datatable(s:string)["run file.exe now", "nothing", "xexe"] | project s has_any (xs), s has_all (xs), s has_any (".exe", "zzz"), s has_any ("") }; f(dynamic([".exe", "now"]))'),
    [[true, true, true, false], [false, false, false, false], [false, false, false, false]]);
});

test('has_any over a tabular argument (its first column)', async () => {
  assert.deepEqual(await rows('let terms = datatable(t:string)["exe", "zip"]; datatable(s:string)["a.exe b", "none"] | project s has_any (terms)'), [[true], [false]]);
});

test('in: literal and computed arrays, text against numbers, case-insensitive in~', async () => {
  assert.deepEqual(await rows('let f = (xs:dynamic) { datatable(s:string, n:long)["a", 1, "B", 2, "c", 3] | project s in (xs), n in (xs), s in~ (xs), s !in (xs) }; f(dynamic(["a", "x", 3, "b"]))'),
    [[true, false, true, false], [false, false, true, true], [false, true, false, true]]);
  assert.deepEqual(await rows('datatable(n:long)[1, 2] | project n in ("1", 5), n in (dynamic([2, "x"])), n !in (1)'), [[true, false, false], [false, true, true]]);
});

test('in over a subquery whose column is dynamic: the lists are flattened (make_list then in)', async () => {
  const q = 'let seen = datatable(u:string)["Mozilla/5.0 (X)", "curl/8"] | summarize make_list(u); '
    + 'let nested = print d = dynamic([["a", ["b"]], "c"]); '
    + 'datatable(s:string)["curl/8", "wget", "B", "a"] | project s in (seen), s !in (seen), s in~ (nested), s in (nested)';
  assert.deepEqual(await rows(q), [[true, false, false, false], [false, true, false, false], [false, true, true, false], [false, true, true, true]]);
});

test('between takes a datetime range given as a timespan', async () => {
  assert.deepEqual(await values('datetime(2024-01-01 10:00) between (datetime(2024-01-01) .. 12h)', '5 !between (1 .. 4)'), [true, true]);
});
