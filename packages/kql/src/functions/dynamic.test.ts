import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overT, refused, rows, values } from '../../test/functions-harness.ts';

test('member access, array length, pack', async () => {
  assert.deepEqual(await overT('d.list[-1]'), [2, null], 'a negative index counts from the end');
  assert.deepEqual(await values('dynamic({"": 1, "a/b": 2, "q\\"x": 3})[""]', 'dynamic({"a/b": 2})["a/b"]', 'parse_json("[1, 2]")["1"]'), [1, 2, null], 'any key text, and keys only in bags');
  assert.deepEqual(await values('array_length(dynamic([1, 2, 3, "four"]))', 'array_length(parse_json("{}"))', 'array_length(parse_json("null"))', 'bag_pack("a", 1, "b", "x", "c", int(null))', 'pack_array(1, "2", 2s)', 'bag_keys(dynamic({"a": 1, "c": {"d": 2}}))', 'bag_keys(parse_json("[1]"))'),
    [4, null, null, { a: 1, b: 'x', c: null }, [1, '2', '00:00:02'], ['a', 'c'], null]);
  assert.deepEqual(await rows('T | take 1 | project bag_pack_columns(s, n)'), [[{ s: 'Hello World', n: 42 }]]);
});

test('bags: merge (leftmost wins), remove, set, zip, has_key', async () => {
  assert.deepEqual(await values(
    'bag_merge(dynamic({"A1": 12, "B1": 2}), dynamic({"A2": 81, "A1": 1}))', 'bag_merge(parse_json("[1]"), dynamic({"a": 1}))',
    'bag_remove_keys(dynamic({"key1": 123, "key2": "abc"}), dynamic(["key2", "key4"]))', 'bag_set_key(dynamic({"key1": 1, "key3": "abc"}), "key3", 3)',
    'bag_zip(dynamic(["a", 8, "b"]), dynamic([1, "2", 2.5]))', 'bag_zip(dynamic(["a", "b"]), parse_json("1"))', 'bag_zip(parse_json("\\"a\\""), dynamic([1]))',
    'bag_has_key(dynamic({"a": {"b": 1}}), "$.a.b")', 'bag_has_key(dynamic({"a.b": 1}), "a.b")', 'bag_has_key(parse_json("[1]"), "a")'),
  [{ A1: 12, B1: 2, A2: 81 }, { a: 1 }, { key1: 123 }, { key1: 1, key3: 3 }, { a: 1, b: 2.5 }, { a: null, b: null }, null, true, true, false]);
  await refused('print bag_remove_keys(dynamic({"a": {"b": 1}}), dynamic(["$.a.b"]))', /JSONPath/);
});

test('arrays: slice, shift, rotate, sort, sum, iff, zip, concat', async () => {
  const a = 'dynamic([1, 2, 3, 4, 5])';
  assert.deepEqual(await values(`array_slice(${a}, 1, 3)`, `array_slice(${a}, -3, -2)`, `array_slice(${a}, 3, 1)`, `array_slice(${a}, 2, 99)`, `array_shift_left(${a}, 2)`, `array_shift_left(${a}, -2, -1)`, `array_shift_right(${a}, 2)`, `array_rotate_left(${a}, 2)`, `array_rotate_right(${a}, 1)`, `array_reverse(${a})`),
    [[2, 3, 4], [3, 4], [], [3, 4, 5], [3, 4, 5, null, null], [-1, -1, 1, 2, 3], [null, null, 1, 2, 3], [3, 4, 5, 1, 2], [5, 1, 2, 3, 4], [5, 4, 3, 2, 1]]);
  assert.deepEqual(await values('array_sort_asc(dynamic([10, 9, 1.5, null]))', 'array_sort_desc(dynamic([null, "blue", "yellow", "green"]), false)', 'array_sum(dynamic([1, 2.5]))', 'array_iff(dynamic([true, false, true]), dynamic([1, 2, 3]), dynamic([4, 5, 6]))', 'array_iff(dynamic([1, 0, "x"]), "yes", "no")', 'zip(dynamic([1, 3]), dynamic([2]))', 'array_concat(dynamic([1]), dynamic(["a"]))', 'array_concat(dynamic([1]), parse_json("{}"))', 'array_index_of(dynamic(["a", "b"]), "b")', 'array_index_of(dynamic([1, 2]), 3)'),
    [[1.5, 9, 10, null], [null, 'yellow', 'green', 'blue'], 3.5, [1, 5, 3], ['yes', 'no', null], [[1, 2], [3, null]], [1, 'a'], null, 1, -1]);
  await refused('print array_sort_asc(dynamic([2, 1]), dynamic(["b", "a"]))', /tuple/);
});

test('sets keep first-appearance order; elements compare by type', async () => {
  assert.deepEqual(await values('set_union(dynamic([1, 2, 1, 4]), dynamic([1, 2]), dynamic([8]))', 'set_intersect(dynamic([1, 2, 3]), dynamic([3, 2]))', 'set_difference(dynamic([1, 2, 3]), dynamic([1, 2, 3]))', 'set_difference(dynamic(["a", "b", "a"]), dynamic(["c"]))', 'set_has_element(dynamic(["this", "is"]), "is")', 'set_has_element(dynamic([1, 2]), "1")', 'set_has_element(dynamic([1.0]), 1)', 'set_equals(dynamic([1, 2, 2]), dynamic([2, 1]))'),
    [[1, 2, 4, 8], [2, 3], [], ['a', 'b'], true, false, true, true]);
});

test('range() arrays, capped at 1,048,576 elements', async () => {
  assert.deepEqual(await values('range(1, 8, 3)', 'range(5, 1, -2)', 'range(1h, 3h)', 'range(datetime(2024-01-01), datetime(2024-01-03), 1d)', 'array_length(range(1, 1000000000))', 'range(1, 0)'),
    [[1, 4, 7], [5, 3, 1], ['01:00:00', '02:00:00', '03:00:00'], ['2024-01-01T00:00:00.0000000Z', '2024-01-02T00:00:00.0000000Z', '2024-01-03T00:00:00.0000000Z'], 1048576, []]);
});
