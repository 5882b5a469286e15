import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refused, rows } from '../../test/functions-harness.ts';

const shapes = 'datatable(name:string, sides:long, tag:dynamic)["triangle", 3, dynamic(["a", "b"]), "square", 4, dynamic(["b"]), "pentagon", 5, dynamic(null), "hexagon", 6, dynamic(["c", "a"])]';

test('counts, sums and averages; nulls ignored, no values give 0 (avg NaN)', async () => {
  assert.deepEqual(await rows(`${shapes} | summarize count(), countif(sides > 3), dcount(sides % 2), dcountif(name, sides > 4), sum(sides), sumif(sides, sides > 10), avg(sides), avgif(sides, sides > 4), min(name), max(sides), minif(sides, sides > 3), maxif(name, sides < 5)`),
    [[4, 3, 2, 2, 18, 0, 4.5, 5.5, 'hexagon', 6, 4, 'triangle']]);
  assert.deepEqual(await rows('datatable(x:long)[] | summarize sum(x), avg(x), stdev(x), variance(x), count(), max(x)'), [[0, Number.NaN, 0, 0, 0, null]]);
  assert.deepEqual(await rows('datatable(t:timespan, d:datetime)[1h, datetime(2020-01-01), 2h, datetime(2020-01-03)] | summarize avg(t), avg(d), avgif(d, t > 1h)'),
    [[54000000000, '2020-01-02T00:00:00.000Z', '2020-01-03T00:00:00.000Z']], 'the mean of durations and of instants');
});

test('spread: stdev, variance, covariance', async () => {
  const [stdev, stdevp, variance, variancep, cov, covp] = (await rows('datatable(x:real, y:real)[1, 14, 2, 10, 3, 17, 4, 20, 5, 50] | summarize stdev(x), stdevp(x), variance(x), variancep(x), covariance(x, y), covariancep(x, y)'))[0] as number[];
  assert.deepEqual([stdev, stdevp, variance, variancep, cov, covp].map((v) => Math.round(v! * 1e6) / 1e6), [1.581139, 1.414214, 2.5, 2, 20.5, 16.4]);
});

test('make_list keeps order; make_set flattens arrays, comes sorted; limits', async () => {
  assert.deepEqual(await rows(`${shapes} | summarize make_list(name), make_list(tag), make_set(tag), make_set(sides % 2), make_list_if(name, sides > 4), make_set_if(name, sides < 0), make_list(name, 2), make_list_with_nulls(tag)`), [[
    ['triangle', 'square', 'pentagon', 'hexagon'], [['a', 'b'], ['b'], ['c', 'a']], ['a', 'b', 'c'], [0, 1], ['pentagon', 'hexagon'], [], ['triangle', 'square'], [['a', 'b'], ['b'], null, ['c', 'a']],
  ]]);
  assert.deepEqual(await rows('range x from 1 to 200 step 1 | summarize array_length(makeset(x)), array_length(make_set(x)), array_length(makelist(x))'), [[128, 200, 128]], 'the deprecated names default to 128 elements');
  assert.deepEqual(await rows('datatable(s:string)["1", "2"] | summarize make_list(s)'), [[['1', '2']]], 'strings stay strings');
});

test('make_bag merges bags; a key keeps its first value', async () => {
  assert.deepEqual(await rows('datatable(prop:string, value:string, keep:bool)["p1", "a", true, "p2", "b", false, "p1", "c", true] | extend p = bag_pack(prop, value) | summarize make_bag(p), make_bag_if(p, keep)'),
    [[{ p1: 'a', p2: 'b' }, { p1: 'a' }]]);
});

test('arg_max / arg_min take every column from one row', async () => {
  assert.deepEqual(await rows('datatable(Fruit: string, Color: string, Version: int)["Apple", "Red", 1, "Apple", "Green", int(null), "Banana", "Yellow", int(null), "Pear", "Brown", 1, "Pear", "Green", 2] | summarize arg_max(Version, Color) by Fruit | order by Fruit asc'),
    [['Apple', 1, 'Red'], ['Banana', null, 'Yellow'], ['Pear', 2, 'Green']]);
});

test('percentiles by nearest rank; one percentile per column', async () => {
  assert.deepEqual(await rows('range x from 1 to 10 step 1 | summarize percentile(x, 50), percentile(x, 75), percentile(x, 0), percentile(x, 100), percentiles_array(x, 10, 90), percentiles_array(x, dynamic([50]))'),
    [[5, 8, 1, 10, [1, 9], [5]]]);
  await refused('range x from 1 to 10 step 1 | summarize percentiles(x, 50, 90)');
});

test('exact distinct counts through hll / hll_merge / dcount_hll', async () => {
  assert.deepEqual(await rows('range x from 1 to 10 step 1 | extend y = x % 3 | summarize h = hll(y) by g = x % 2 | summarize m = hll_merge(h) | project dcount_hll(m)'), [[3]]);
});

test('binary_all_*', async () => {
  assert.deepEqual(await rows('datatable(n:long)[12, 10] | summarize binary_all_and(n), binary_all_or(n), binary_all_xor(n)'), [[8, 14, 6]]);
});

test('weighted percentiles and t-digests by nearest rank of the cumulative weight', async () => {
  assert.deepEqual(await rows('datatable(n:long, bucket:long)[8, 10, 6, 20, 3, 30, 1, 40] | summarize percentilesw_array(bucket, n, dynamic([50, 75, 99.9])), percentilew(bucket, n, 50)'), [[[20, 20, 40], 20]]);
  assert.deepEqual(await rows('datatable(V:real, W:long)[1.0, 1, 2.0, 2] | summarize TD = tdigest(V, W) | project percentile_tdigest(TD, 50)'), [[2]]);
  assert.deepEqual(await rows('range x from 1 to 1000 step 1 | summarize t = tdigest(x) | project rank_tdigest(t, 685), percentiles_array_tdigest(t, 10, 90)'), [[685, [100, 900]]]);
  assert.deepEqual(await rows('range x from 1 to 10 step 1 | extend y = x + 10 | summarize tx = tdigest(x), ty = tdigest(y) | project m = merge_tdigest(tx, ty) | project percentile_tdigest(m, 100), percentile_tdigest(m, 50)'), [[20, 10]]);
  assert.deepEqual(await rows('datatable(x:long)[] | summarize tdigest(x), percentiles_array(x, 50), percentilesw_array(x, x, 50)'), [[null, null, null]]);
});
