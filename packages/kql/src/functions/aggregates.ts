// Aggregations for summarize (percentiles in percentiles.ts). Kusto's aggregates ignore nulls.
// dcount and dcount_hll are exact here (Kusto's are estimates with a documented error): never worse.
import { literalOf, aggregate, scalar, type SqlArg, type SqlContext } from './registry.ts';
import { keyPath } from './dynamic.ts';
import { distinctInOrder, dyn, jsonList, listJson, long, real, sortedJson } from './sql-helpers.ts';

aggregate('count', () => 'CAST(count(*) AS BIGINT)');
aggregate('countif', ([p]) => `CAST(count(*) FILTER (WHERE ${p!.sql}) AS BIGINT)`);
aggregate(['dcount', 'count_distinct'], ([x]) => `CAST(count(DISTINCT ${x!.sql}) AS BIGINT)`);
aggregate(['dcountif', 'count_distinctif'], ([x, p]) => `CAST(count(DISTINCT ${x!.sql}) FILTER (WHERE ${p!.sql}) AS BIGINT)`);
// Over no values, Kusto's sum, stdev and variance are 0 and avg is NaN (0 / 0).
aggregate('sum', ([x], c) => `CAST(coalesce(sum(${x!.sql}), 0) AS ${c.sqlType(c.resultType)})`);
aggregate('sumif', ([x, p], c) => `CAST(coalesce(sum(${x!.sql}) FILTER (WHERE ${p!.sql}), 0) AS ${c.sqlType(c.resultType)})`);
/** avg keeps datetimes and timespans in their type (their mean instant or duration). */
function average(x: SqlArg, predicate: SqlArg | undefined, c: SqlContext): string {
  const where = predicate === undefined ? '' : ` FILTER (WHERE ${predicate.sql})`;
  if (x.type === 'datetime') return `make_timestamp(CAST(round(avg(epoch_us(${x.sql}))${where}) AS BIGINT))`;
  if (x.type === 'timespan') return `CAST(round(avg(${x.sql})${where}) AS BIGINT)`;
  return `coalesce(avg(${real(x, c)})${where}, 'NaN'::DOUBLE)`;
}
aggregate('avg', ([x], c) => average(x!, undefined, c));
aggregate('avgif', ([x, p], c) => average(x!, p!, c));
aggregate('min', ([x]) => `min(${x!.sql})`);
aggregate('max', ([x]) => `max(${x!.sql})`);
aggregate('minif', ([x, p]) => `min(${x!.sql}) FILTER (WHERE ${p!.sql})`);
aggregate('maxif', ([x, p]) => `max(${x!.sql}) FILTER (WHERE ${p!.sql})`);
aggregate(['take_any', 'any'], ([x, ...rest], c) => (rest.length > 0 ? c.unsupported('take_any of several expressions', 'Use one take_any per column.') : `any_value(${x!.sql})`));
aggregate('take_anyif', ([x, p]) => `any_value(${x!.sql}) FILTER (WHERE ${p!.sql})`);
aggregate('stdev', ([x], c) => `coalesce(stddev_samp(${real(x!, c)}), 0)`);
aggregate('stdevp', ([x], c) => `coalesce(stddev_pop(${real(x!, c)}), 0)`);
aggregate('stdevif', ([x, p], c) => `coalesce(stddev_samp(${real(x!, c)}) FILTER (WHERE ${p!.sql}), 0)`);
aggregate('stdevpif', ([x, p], c) => `coalesce(stddev_pop(${real(x!, c)}) FILTER (WHERE ${p!.sql}), 0)`);
aggregate('variance', ([x], c) => `coalesce(var_samp(${real(x!, c)}), 0)`);
aggregate('variancep', ([x], c) => `coalesce(var_pop(${real(x!, c)}), 0)`);
aggregate('varianceif', ([x, p], c) => `coalesce(var_samp(${real(x!, c)}) FILTER (WHERE ${p!.sql}), 0)`);
aggregate('variancepif', ([x, p], c) => `coalesce(var_pop(${real(x!, c)}) FILTER (WHERE ${p!.sql}), 0)`);
aggregate('covariance', ([x, y], c) => `covar_samp(${real(x!, c)}, ${real(y!, c)})`);
aggregate('covariancep', ([x, y], c) => `covar_pop(${real(x!, c)}, ${real(y!, c)})`);
aggregate('covarianceif', ([x, y, p], c) => `covar_samp(${real(x!, c)}, ${real(y!, c)}) FILTER (WHERE ${p!.sql})`);
aggregate('covariancepif', ([x, y, p], c) => `covar_pop(${real(x!, c)}, ${real(y!, c)}) FILTER (WHERE ${p!.sql})`);
aggregate('binary_all_and', ([x], c) => `bit_and(${long(x!, c)})`);
aggregate('binary_all_or', ([x], c) => `bit_or(${long(x!, c)})`);
aggregate('binary_all_xor', ([x], c) => `bit_xor(${long(x!, c)})`);

/**
 * arg_max(value, by): the value from the row where `by` is largest, nulls in `value` included (so
 * that all the columns of one arg_max come from the same row). When every `by` is null, Kusto
 * still returns a row: the first one.
 */
aggregate('arg_max', ([x, by]) => `(CASE WHEN count(${by!.sql}) = 0 THEN first(${x!.sql}) ELSE arg_max_null(${x!.sql}, ${by!.sql}) END)`);
aggregate('arg_min', ([x, by]) => `(CASE WHEN count(${by!.sql}) = 0 THEN first(${x!.sql}) ELSE arg_min_null(${x!.sql}, ${by!.sql}) END)`);

// ---- lists, sets and bags ---------------------------------------------------------------

/** The size limit argument: a constant, at most 1,048,576; the deprecated names default to 128. */
function maxSize(n: SqlArg | undefined, c: SqlContext, legacy: boolean): number {
  if (n === undefined) return legacy ? 128 : 1_048_576;
  const v = literalOf(n);
  if (v === undefined || v === null) return c.unsupported('A computed maxSize', 'Give the size limit as a number.');
  return Math.max(0, Math.min(Number(v), 1_048_576));
}

const jsonArray = (list: string) => `coalesce(${listJson(list)}, CAST('[]' AS JSON))`;
const filter = (conditions: string[]) => (conditions.length > 0 ? ` FILTER (WHERE ${conditions.join(' AND ')})` : '');
const notNull = (x: SqlArg) => (x.type === 'dynamic' ? `(${x.sql} IS NOT NULL AND json_type(${x.sql}) <> 'NULL')` : `${x.sql} IS NOT NULL`);

/** make_list: every non-null value, in input order. */
function makeList(x: SqlArg, predicate: SqlArg | undefined, max: number, c: SqlContext, withNulls = false): string {
  const conditions = [...(predicate !== undefined ? [predicate.sql] : []), ...(withNulls ? [] : [notNull(x)])];
  const value = withNulls ? `coalesce(${dyn(x, c)}, 'null'::JSON)` : dyn(x, c);
  return jsonArray(`list_slice(list(${value})${filter(conditions)}, 1, ${max})`);
}

/**
 * make_set: distinct non-null values; the elements of an array value count one by one. The set
 * comes sorted (its order is undefined in Kusto): distinct values by hashing, then sorted.
 */
function makeSet(x: SqlArg, predicate: SqlArg | undefined, max: number, c: SqlContext): string {
  const conditions = [...(predicate !== undefined ? [predicate.sql] : []), notNull(x)];
  if (x.type !== 'dynamic') {
    return jsonArray(`list_transform(list_slice(list_sort(list(DISTINCT ${x.sql})${filter(conditions)}), 1, ${max}), __e -> ${dyn({ ...x, sql: '__e' }, c)})`);
  }
  const elements = `flatten(list(CASE WHEN json_type(${x.sql}) = 'ARRAY' THEN list_filter(CAST(${x.sql} AS JSON[]), __e -> __e IS NOT NULL AND json_type(__e) <> 'NULL') ELSE [${x.sql}] END)${filter(conditions)})`;
  return jsonArray(`list_slice(${sortedJson(`list_distinct(${elements})`)}, 1, ${max})`);
}

aggregate('make_list', ([x, n], c) => makeList(x!, undefined, maxSize(n, c, false), c));
aggregate('makelist', ([x, n], c) => makeList(x!, undefined, maxSize(n, c, true), c));
aggregate(['make_list_if', 'makelist_if'], ([x, p, n], c) => makeList(x!, p!, maxSize(n, c, false), c));
aggregate('make_list_with_nulls', ([x, n], c) => makeList(x!, undefined, maxSize(n, c, false), c, true));
aggregate('make_set', ([x, n], c) => makeSet(x!, undefined, maxSize(n, c, false), c));
aggregate('makeset', ([x, n], c) => makeSet(x!, undefined, maxSize(n, c, true), c));
aggregate(['make_set_if', 'makeset_if'], ([x, p, n], c) => makeSet(x!, p!, maxSize(n, c, false), c));

/** make_bag: the keys of every bag in the group; a key seen in several rows keeps its first value. */
function makeBag(x: SqlArg, predicate: SqlArg | undefined, max: number): string {
  const bags = `list(${x.sql}) FILTER (WHERE ${[...(predicate !== undefined ? [predicate.sql] : []), `json_type(${x.sql}) = 'OBJECT'`].join(' AND ')})`;
  const keys = `list_slice(${distinctInOrder(`flatten(list_transform(__bs, __b -> json_keys(__b)))`)}, 1, ${max})`;
  const value = `list_filter(list_transform(__bs, __b -> json_extract(__b, ${keyPath('__k')})), __v -> __v IS NOT NULL)[1]`;
  return `coalesce(list_transform([${bags}], __bs -> list_transform([${keys}], __ks -> CAST(to_json(map(__ks, list_transform(__ks, __k -> ${value}))) AS JSON))[1])[1], CAST('{}' AS JSON))`;
}
aggregate(['make_bag', 'make_dictionary'], ([x, n], c) => makeBag(x!, undefined, maxSize(n, c, false)));
aggregate('make_bag_if', ([x, p, n], c) => makeBag(x!, p!, maxSize(n, c, false)));

// ---- distinct counts as sets (exact stand-ins for HyperLogLog sketches) -----------------

/** hll(x): here the sketch is the set of distinct values itself, so dcount_hll is exact. */
const distinctSet = (x: SqlArg, conditions: string[], c: SqlContext) => listJson(`list_transform(list_sort(list(DISTINCT ${x.sql})${filter([...conditions, notNull(x)])}), __e -> ${dyn({ ...x, sql: '__e' }, c)})`);
aggregate('hll', ([x], c) => distinctSet(x!, [], c));
aggregate('hll_if', ([x, p], c) => distinctSet(x!, [p!.sql], c));
scalar('dcount_hll', ([h]) => `(CASE WHEN json_type(${h!.sql}) = 'ARRAY' THEN CAST(json_array_length(${h!.sql}) AS BIGINT) END)`);
aggregate('hll_merge', ([h]) => jsonArray(sortedJson(`list_distinct(flatten(list(${jsonList(h!.sql)}) FILTER (WHERE json_type(${h!.sql}) = 'ARRAY')))`)));
