// Aggregations for summarize. Kusto's aggregates ignore nulls (and, for strings, "" where noted).
import { aggregate, literalOf } from './registry.ts';

aggregate('count', () => 'CAST(count(*) AS BIGINT)');
aggregate('countif', ([p]) => `CAST(count(*) FILTER (WHERE ${p!.sql}) AS BIGINT)`);
// dcount is exact here (Kusto's is an estimate with a documented error): never worse.
aggregate('dcount', ([x]) => `CAST(count(DISTINCT ${x!.sql}) AS BIGINT)`);
aggregate('dcountif', ([x, p]) => `CAST(count(DISTINCT ${x!.sql}) FILTER (WHERE ${p!.sql}) AS BIGINT)`);
aggregate('sum', ([x], c) => `CAST(sum(${x!.sql}) AS ${c.sqlType(c.resultType)})`);
aggregate('sumif', ([x, p], c) => `CAST(sum(${x!.sql}) FILTER (WHERE ${p!.sql}) AS ${c.sqlType(c.resultType)})`);
aggregate('avg', ([x]) => `avg(${x!.sql})`);
aggregate('avgif', ([x, p]) => `avg(${x!.sql}) FILTER (WHERE ${p!.sql})`);
aggregate('min', ([x]) => `min(${x!.sql})`);
aggregate('max', ([x]) => `max(${x!.sql})`);
aggregate('minif', ([x, p]) => `min(${x!.sql}) FILTER (WHERE ${p!.sql})`);
aggregate('maxif', ([x, p]) => `max(${x!.sql}) FILTER (WHERE ${p!.sql})`);
aggregate(['take_any', 'any'], ([x]) => `any_value(${x!.sql})`);
aggregate('stdev', ([x]) => `stddev_samp(${x!.sql})`);
aggregate('stdevp', ([x]) => `stddev_pop(${x!.sql})`);
aggregate('variance', ([x]) => `var_samp(${x!.sql})`);
aggregate('variancep', ([x]) => `var_pop(${x!.sql})`);
/** arg_max(value, by): the plan asks for one per output column. */
aggregate('arg_max', ([x, by]) => `arg_max(${x!.sql}, ${by!.sql})`);
aggregate('arg_min', ([x, by]) => `arg_min(${x!.sql}, ${by!.sql})`);

const jsonList = (list: string) => `coalesce(to_json(${list}), '[]'::JSON)`;
const element = (x: { sql: string; type: string }) => (x.type === 'dynamic' ? x.sql : `to_json(${x.sql})`);

aggregate(['make_set', 'makeset'], ([x, n]) => {
  const max = n === undefined ? 1048576 : Number(literalOf(n as never) ?? 1048576);
  return `${jsonList(`list_slice(list(DISTINCT ${element(x!)}) FILTER (WHERE ${x!.sql} IS NOT NULL), 1, ${max})`)}`;
});
aggregate(['make_list', 'makelist'], ([x, n]) => {
  const max = n === undefined ? 1048576 : Number(literalOf(n as never) ?? 1048576);
  return `${jsonList(`list_slice(list(${element(x!)}) FILTER (WHERE ${x!.sql} IS NOT NULL), 1, ${max})`)}`;
});
aggregate('make_set_if', ([x, p]) => jsonList(`list(DISTINCT ${element(x!)}) FILTER (WHERE ${p!.sql} AND ${x!.sql} IS NOT NULL)`));
aggregate('make_list_if', ([x, p]) => jsonList(`list(${element(x!)}) FILTER (WHERE ${p!.sql} AND ${x!.sql} IS NOT NULL)`));
aggregate('percentile', ([x, p]) => `quantile_cont(${x!.sql}, ${Number(literalOf(p as never)) / 100})`);
