// make-series: one aggregate per (group, bin) where bins are `from + k * step` below `to`, then
// per group a map bin -> value, then per group the dense arrays (absent bins take the default)
// and the axis. Kusto renders datetimes inside dynamic values with 7 fraction digits.
import type { Relation, Scalar } from '../plan/nodes.ts';
import type { KqlType } from '../types.ts';
import type { SqlCompiler } from './compiler.ts';

export function seriesSql(c: SqlCompiler, r: Relation & { kind: 'series' }): string {
  const d = c.dialect;
  const axisType = r.axis.expr.type;
  const dated = axisType === 'datetime';
  const axis = c.scalar(r.axis.expr);
  const step = c.scalar(r.step);
  let input = c.relation(r.input);
  let from = r.from !== undefined ? c.scalar(r.from) : undefined;
  let to = r.to !== undefined ? c.scalar(r.to) : undefined;
  if (from === undefined || to === undefined) {
    // Without bounds, every series spans the bins holding data (over all groups): the input is
    // read twice, so it is computed once.
    const name = c.shareText(input);
    input = `SELECT * FROM ${name}`;
    const a = `(SELECT min(${axis}) FROM ${name})`;
    const b = `(SELECT max(${axis}) FROM ${name})`;
    if (from === undefined) from = binFloor(a, step, dated);
    if (to === undefined) to = dated ? `(${binFloor(b, step, dated)} + to_microseconds(CAST((${step}) // 10 AS BIGINT)))` : `(${binFloor(b, step, dated)} + (${step}))`;
  }
  const offset = (x: string) => (dated ? `((epoch_us(${x}) - epoch_us(${from})) * 10)` : `((${x}) - (${from}))`);
  const bins = `greatest(CAST(ceil(${offset(to)} / (${step})) AS BIGINT), 0)`;
  const keys = r.keys.map((k) => d.ident(k.name));
  // Level 1: one aggregate per group and bin.
  const level1 = `SELECT ${[
    ...r.keys.map((k) => `${c.scalar(k.expr)} AS ${d.ident(k.name)}`),
    `CAST(floor(${offset(axis)} / (${step})) AS BIGINT) AS __bin`,
    ...r.aggregates.map((a, i) => `${c.aggregate(a.call)} AS __a${i}`),
  ].join(', ')} FROM (${input}) AS ${c.alias()} WHERE ${axis} >= ${from} AND ${axis} < ${to} GROUP BY ${[...r.keys.map((_, i) => String(i + 1)), String(r.keys.length + 1)].join(', ')}`;
  // Level 2: per group, bin -> value.
  const grouped = r.keys.length > 0 ? ` GROUP BY ${keys.join(', ')}` : r.nonempty ? '' : ' HAVING count(*) > 0';
  const level2 = `SELECT ${[...keys, ...r.aggregates.map((_, i) => `map_from_entries(list({'k': __bin, 'v': __a${i}})) AS __m${i}`)].join(', ')} FROM (${level1}) AS ${c.alias()}${grouped}`;
  // Level 3: the arrays.
  const element = (type: KqlType, sql: string) => (type === 'datetime' ? kustoDatetime(sql) : type === 'timespan' || type === 'string' || type === 'guid' ? c.cast(sql, type, 'string') : sql);
  const arrays = r.aggregates.map((a, i) => {
    const fill = fillSql(c, a.fill, a.call.type);
    return `to_json(list_transform(range(${bins}), lambda i: ${element(a.call.type, `coalesce(__m${i}[i], ${fill})`)}))`;
  });
  const axisArray = dated
    ? `to_json(list_transform(range(${bins}), lambda i: ${kustoDatetime(`(${from} + to_microseconds(CAST(i * (${step}) // 10 AS BIGINT)))`)}))`
    : `to_json(list_transform(range(${bins}), lambda i: (${from}) + i * (${step})))`;
  const select = r.columns.map((col) => {
    const k = r.keys.findIndex((x) => x.name === col.name);
    if (k >= 0) return d.ident(col.name);
    const a = r.aggregates.findIndex((x) => x.name === col.name);
    if (a >= 0) return `${arrays[a]} AS ${d.ident(col.name)}`;
    return `${axisArray} AS ${d.ident(col.name)}`;
  });
  return `SELECT ${select.join(', ')} FROM (${level2}) AS ${c.alias()}`;
}

function binFloor(x: string, step: string, dated: boolean): string {
  if (!dated) return `(floor((${x}) / (${step})) * (${step}))`;
  return `make_timestamp(CAST(floor(epoch_us(${x}) * 10 / (${step})) * (${step}) // 10 AS BIGINT))`;
}

/** A datetime as Kusto writes it inside dynamic values: 2024-01-02T03:04:05.0000000Z. */
function kustoDatetime(ts: string): string {
  return `strftime(${ts}, '%Y-%m-%dT%H:%M:%S.%f') || '0Z'`;
}

function fillSql(c: SqlCompiler, fill: Scalar, type: KqlType): string {
  return c.cast(c.scalar(fill), fill.type, type);
}
