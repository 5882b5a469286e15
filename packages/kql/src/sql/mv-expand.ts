// mv-expand as DuckDB's UNNEST in the select list: several UNNESTs of one SELECT expand in
// parallel and pad the shorter lists with NULL, which is Kusto's rule, and keep the input's row
// order (a lateral join would not). Each dynamic value becomes a list first: an array its
// elements, a bag its entries, null a one-element list (one row with null), anything else itself.
import type { Relation } from '../plan/nodes.ts';
import type { SqlCompiler } from './compiler.ts';

export function mvExpandSql(c: SqlCompiler, r: Relation & { kind: 'mvexpand' }): string {
  const d = c.dialect;
  const values = r.expand.map((_, i) => `__v${i}`);
  const lists = r.expand.map((_, i) => `__l${i}`);
  // Level 1: each expanded expression once.
  const level1 = `SELECT *, ${r.expand.map((e, i) => `CAST(${c.scalar(e.expr)} AS JSON) AS ${values[i]}`).join(', ')} FROM (${c.relation(r.input)}) AS ${c.alias()}`;
  // Level 2: the lists, converted to the target type and limited.
  // A JSON text that starts with '[' is an array: that common case costs no json_type (a parse).
  const listOf = (v: string, bags: 'bag' | 'array') => `CASE WHEN starts_with(${v}, '[') THEN CAST(${v} AS JSON[]) `
    + `WHEN ${v} IS NULL OR json_type(${v}) = 'NULL' THEN [NULL::JSON] `
    + `WHEN json_type(${v}) = 'ARRAY' THEN CAST(${v} AS JSON[]) `
    + `WHEN json_type(${v}) = 'OBJECT' THEN list_transform(map_entries(CAST(${v} AS MAP(VARCHAR, JSON))), lambda e: ${bags === 'bag' ? 'json_object(e.key, e.value)' : 'json_array(e.key, e.value)'}) `
    + `ELSE [${v}] END`;
  const level2 = `SELECT *, ${r.expand.map((e, i) => {
    let list = listOf(values[i]!, e.bags);
    if (r.limit !== undefined) list = `list_slice(${list}, 1, ${Math.max(0, Math.trunc(r.limit))})`;
    return `${list} AS ${lists[i]}`;
  }).join(', ')} FROM (${level1}) AS ${c.alias()}`;
  const longest = lists.length === 1 ? `len(${lists[0]})` : `greatest(${lists.map((l) => `len(${l})`).join(', ')})`;
  const select = r.columns.map((col) => {
    const i = r.expand.findIndex((e) => e.name === col.name);
    if (i >= 0) return `unnest(${lists[i]}) AS ${d.ident(col.name)}`;
    if (col.name === r.indexColumn) return `unnest(range(${longest})) AS ${d.ident(col.name)}`;
    return d.ident(col.name);
  });
  const expanded = `SELECT ${select.join(', ')} FROM (${level2}) AS ${c.alias()}`;
  if (r.expand.every((e) => e.type === 'dynamic')) return expanded;
  // `to typeof(T)`: converted after the expansion, so that padding nulls convert too (a string is "").
  const typed = r.columns.map((col) => {
    const e = r.expand.find((x) => x.name === col.name);
    return e === undefined || e.type === 'dynamic' ? d.ident(col.name) : `${c.cast(d.ident(col.name), 'dynamic', e.type)} AS ${d.ident(col.name)}`;
  });
  return `SELECT ${typed.join(', ')} FROM (${expanded}) AS ${c.alias()}`;
}
