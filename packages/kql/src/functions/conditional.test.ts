import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overT, rows, values } from '../../test/functions-harness.ts';

test('iff and case; a null condition takes the else branch', async () => {
  assert.deepEqual(await values('iff(1 > 2, "a", "b")', 'iif(true, 1, 2)', 'iff(bool(null), "a", "b")', 'case(1 > 2, "a", 2 > 1, "b", "c")', 'case(false, 1, 2)'), ['b', 1, 'b', 'b', 2]);
  assert.deepEqual(await overT('iff(b, n, -1)'), [42, -1]);
});

test('coalesce skips nulls, and "" for strings', async () => {
  assert.deepEqual(await values('coalesce(int(null), 2, 3)', 'coalesce("", "x")', 'coalesce("", "")', 'coalesce(dynamic(null), dynamic(1))'), [2, 'x', '', 1]);
  assert.deepEqual(await overT('coalesce(s, "none")'), ['Hello World', 'none']);
});

test('isempty / isnull and friends; strings are never null', async () => {
  assert.deepEqual(await overT('pack_array(isempty(s), isnull(s), isnull(n), isempty(n), isnotempty(d), isnull(d))'),
    [[false, false, false, false, true, false], [true, false, true, true, false, true]]);
  assert.deepEqual(await values('isempty(parse_json("[]"))', 'isempty(parse_json("\\"\\""))', 'isnull(parse_json("null"))'), [false, true, true]);
});

test('max_of / min_of ignore nulls', async () => {
  assert.deepEqual(await rows('datatable(A: int, B: int)[1, 6, int(null), 2, int(null), int(null)] | project max_of(A, B), min_of(A, B)'), [[6, 1], [2, 2], [null, null]]);
});

test('a value compared with null: == is false, != is true; null with null is null', async () => {
  assert.deepEqual(await rows('datatable(val:int)[5, int(null)] | project val == int(null), val != int(null), int(null) == val'), [[false, true, false], [null, null, null]]);
});

test('<> is !=; a string equals a number when its text is the number\'s', async () => {
  assert.deepEqual(await rows('datatable(ResultType:string)["0", "50126", "x"] | project ResultType == 0, ResultType != 50126, ResultType <> "0"'),
    [[true, true, false], [false, false, true], [false, true, true]]);
});

test('assert is true, or fails the query with its message', async () => {
  assert.deepEqual(await values('assert(1 < 2, "fine")'), [true]);
  await assert.rejects(values('assert(1 > 2, "Length must be greater than zero")'), /Length must be greater than zero/);
});
