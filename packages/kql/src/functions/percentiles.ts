// Percentiles, weighted percentiles and t-digests. All exact, by nearest rank: the smallest
// value whose cumulative weight reaches p% of the total (Kusto's are estimates with a
// documented error: never worse). A "t-digest" here is the sorted list of [value, weight]
// pairs itself, so merging and ranking stay exact too.
import { aggregate, literalOf, scalar, type SqlArg, type SqlContext } from './registry.ts';
import { dyn, jsonList, listJson } from './sql-helpers.ts';
import type { KqlType } from '../types.ts';

function percentValue(p: unknown, c: SqlContext): string {
  const n = Number(p);
  if (p === undefined || p === null || !(n >= 0 && n <= 100)) return c.unsupported(`The percentile ${String(p)}`, 'Percentiles are numbers between 0 and 100.');
  return String(n);
}

/** The percentiles asked for: literal numbers, or one literal dynamic array of them. */
function percents(ps: SqlArg[], c: SqlContext): string[] {
  if (ps.length === 1 && ps[0]!.type === 'dynamic') {
    const list = literalOf(ps[0]!);
    if (typeof list !== 'string') return c.unsupported('A computed list of percentiles', 'Give the percentiles as a dynamic([...]) literal.');
    return (JSON.parse(list) as unknown[]).map((p) => percentValue(p, c));
  }
  return ps.map((p) => {
    const v = literalOf(p);
    if (v === undefined) return c.unsupported('A computed percentile', 'Give the percentile as a number.');
    return percentValue(v, c);
  });
}

/** Nearest rank over a sorted list of values. */
const nearestRank = (sorted: string, p: string) => `${sorted}[CAST(greatest(ceil(${p} / 100.0 * len(${sorted})), 1) AS BIGINT)]`;

/**
 * Nearest rank over a sorted list of {v, w, c} structs: one pass (list_reduce) carrying the
 * cumulative weight, stopping at the first value that reaches the target.
 */
function weightedRank(sorted: string, p: string, valueType: string): string {
  const target = `greatest(ceil(${p} / 100.0 * __tw), 1)`;
  const step = `CASE WHEN __a.c = 1 THEN __a ELSE {'v': __e.v, 'w': __a.w + __e.w, 'c': CASE WHEN __a.w + __e.w >= ${target} THEN 1 ELSE 0 END} END`;
  const init = `{'v': CAST(NULL AS ${valueType}), 'w': CAST(0 AS BIGINT), 'c': CAST(0 AS BIGINT)}`;
  return `list_transform([${sorted}], __l -> list_transform([list_sum(list_transform(__l, __z -> __z.w))], __tw -> list_reduce(__l, (__a, __e) -> ${step}, ${init}).v)[1])[1]`;
}

/** A value of the column's type as a dynamic element. */
const element = (x: SqlArg, sql: string, c: SqlContext) => dyn({ ...x, sql }, c);

const sortedValues = (x: SqlArg) => `list_sort(list(${x.sql}) FILTER (WHERE ${x.sql} IS NOT NULL))`;
const sortedPairs = (x: SqlArg, w: SqlArg | undefined, c: SqlContext) => {
  const weight = w === undefined ? 'CAST(1 AS BIGINT)' : c.convert(w, 'long');
  return `list_sort(list({'v': ${x.sql}, 'w': ${weight}, 'c': CAST(0 AS BIGINT)}) FILTER (WHERE ${x.sql} IS NOT NULL AND ${weight} > 0))`;
};

aggregate(['percentile', 'percentiles'], ([x, ...ps], c) => {
  const [p, ...more] = percents(ps, c);
  if (more.length > 0) return c.unsupported('percentiles with several percentiles', 'Use one percentile() per column, or percentiles_array().');
  return `list_transform([${sortedValues(x!)}], __s -> ${nearestRank('__s', p!)})[1]`;
});
aggregate('percentiles_array', ([x, ...ps], c) => {
  const ranks = percents(ps, c).map((p) => element(x!, nearestRank('__s', p), c));
  return `list_transform([${sortedValues(x!)}], __s -> CASE WHEN coalesce(len(__s), 0) = 0 THEN NULL ELSE ${listJson(`[${ranks.join(', ')}]`)} END)[1]`;
});

aggregate(['percentilew', 'percentilesw'], ([x, w, ...ps], c) => {
  const [p, ...more] = percents(ps, c);
  if (more.length > 0) return c.unsupported('percentilesw with several percentiles', 'Use one percentilew() per column, or percentilesw_array().');
  return weightedRank(sortedPairs(x!, w!, c), p!, c.sqlType(x!.type));
});
aggregate('percentilesw_array', ([x, w, ...ps], c) => {
  const ranks = percents(ps, c).map((p) => element(x!, weightedRank('__s', p, c.sqlType(x!.type)), c));
  return `list_transform([${sortedPairs(x!, w!, c)}], __s -> CASE WHEN coalesce(len(__s), 0) = 0 THEN NULL ELSE ${listJson(`[${ranks.join(', ')}]`)} END)[1]`;
});

// ---- t-digests: sorted [value, weight] pairs --------------------------------------------

aggregate('tdigest', ([x, w], c) => `CASE WHEN count(${x!.sql}) = 0 THEN NULL ELSE ${listJson(`list_transform(${sortedPairs(x!, w, c)}, __e -> to_json([${element(x!, '__e.v', c)}, to_json(__e.w)]))`)} END`);

/** Pairs of several digests in one list, sorted by value (numbers by value, other values by text). */
const mergedPairs = (lists: string[]) => `list_transform(list_sort(list_transform(flatten([${lists.join(', ')}]), __e -> {'n': TRY_CAST(json_extract(__e, '$[0]') AS DOUBLE), 's': json_extract_string(__e, '$[0]'), 'p': __e})), __k -> __k.p)`;

aggregate(['tdigest_merge', 'merge_tdigests'], ([td]) => listJson(mergedPairs([`flatten(list(${jsonList(td!.sql)}) FILTER (WHERE json_type(${td!.sql}) = 'ARRAY'))`])));
scalar('merge_tdigest', (args) => listJson(mergedPairs(args.map((a) => `coalesce(${jsonList(a.sql)}, [])`))));

/** A digest's pairs as {v, w, c} structs, values read as `type`. */
function digestPairs(td: SqlArg, type: KqlType, c: SqlContext): string {
  const value = c.convert({ sql: `json_extract(__e, '$[0]')`, type: 'dynamic', scalar: { kind: 'column', name: '', type: 'dynamic' } }, type);
  return `list_transform(${jsonList(td.sql)}, __e -> {'v': ${value}, 'w': CAST(json_extract(__e, '$[1]') AS BIGINT), 'c': CAST(0 AS BIGINT)})`;
}

scalar('percentile_tdigest', ([td, p], c) => weightedRank(digestPairs(td!, c.resultType, c), percents([p!], c)[0]!, c.sqlType(c.resultType)));
scalar('percentiles_array_tdigest', ([td, ...ps], c) => {
  const ranks = percents(ps, c).map((p) => `to_json(${weightedRank('__s', p, 'DOUBLE')})`);
  return `list_transform([${digestPairs(td!, 'real', c)}], __s -> CASE WHEN coalesce(len(__s), 0) = 0 THEN NULL ELSE ${listJson(`[${ranks.join(', ')}]`)} END)[1]`;
});
/** rank_tdigest(digest, v): the total weight of the values at or below v. */
scalar('rank_tdigest', ([td, v], c) => `CAST(list_sum(list_transform(list_filter(${digestPairs(td!, v!.type, c)}, __p -> __p.v <= ${v!.sql}), __p -> __p.w)) AS BIGINT)`);
