// Dynamic (JSON) values: member access, arrays and property bags. A dynamic array is taken
// apart as a JSON[] list (JSON null elements become SQL NULL and back), and a bag is rebuilt
// from key and value lists through a MAP, which DuckDB serialises as a JSON object.
import { literalOf, scalar, type SqlArg, type SqlContext } from './registry.ts';
import { distinctInOrder, dyn, jsonList, listJson, long, sortedJson, text } from './sql-helpers.ts';

/** d.a.b / d["a"][0]: the plan passes the JSON path as a literal ('$."a"[0]'). */
scalar('dyn_path', ([d, path]) => `json_extract(${d!.sql}, ${path!.sql})`);
/**
 * Internal: parse_json(text).a.b read from the text itself (plan/rewrites/parse-json-members.ts).
 * Text that is not JSON is a dynamic string, which has no members: null. json_valid accepts what
 * the cast to JSON accepts and costs a fraction of a parse; TRY() would cost an exception per
 * row that is not JSON (2.4 s for 150k rows). A third argument, the member's text already read
 * (dyn_path_string_of_text), is for tostring (the dialect's conversion) and not needed here.
 */
const validText = (text: SqlArg) => `CASE WHEN json_valid(${text.sql}) THEN ${text.sql} END`;
scalar('dyn_path_of_text', ([text, path]) => `json_extract(${validText(text!)}, ${path!.sql})`);
/**
 * Internal: json_extract_string of the member `path` of JSON text, null when the text is not
 * JSON. `paths` (a JSON list of paths, `path` among them) are read in one parse: each call of
 * one list shares it (DuckDB's common-subexpression elimination), one parse for all members.
 */
scalar('dyn_path_string_of_text', ([text, path, paths], c) => {
  const list = JSON.parse(String(literalOf(paths!))) as string[];
  const at = list.indexOf(String(literalOf(path!)));
  if (list.length <= 1 || at < 0) return `json_extract_string(${validText(text!)}, ${path!.sql})`;
  return `json_extract_string(${validText(text!)}, [${list.map((p) => c.str(p)).join(', ')}])[${at + 1}]`;
});
scalar('dyn_index', ([d, i], c) => {
  // A key names a member of a bag only (a pointer would also index arrays).
  if (i!.type === 'string') return `(CASE WHEN json_type(${d!.sql}) = 'OBJECT' THEN json_extract(${d!.sql}, ${keyPath(i!.sql)}) END)`;
  // A negative index counts from the end of the array. A constant index names the array once
  // (it is often a computed one, split(...)[1], inside other calls).
  const constant = literalOf(i!);
  if ((typeof constant === 'bigint' || typeof constant === 'number') && Number.isInteger(Number(constant))) {
    return `json_extract(${d!.sql}, '$[${Number(constant) < 0 ? `#${Number(constant)}` : Number(constant)}]')`;
  }
  const n = long(i!, c);
  return `json_extract(${d!.sql}, '$[' || CAST(CASE WHEN ${n} < 0 THEN json_array_length(${d!.sql}) + ${n} ELSE ${n} END AS VARCHAR) || ']')`;
});

/** A JSON Pointer naming one key: any key text is safe, the empty key included ('/a~1b' is "a/b"). */
export const keyPath = (key: string) => `('/' || replace(replace(${key}, '~', '~0'), '/', '~1'))`;

const isArray = (d: string) => `(json_type(${d}) = 'ARRAY')`;
const isBag = (d: string) => `(json_type(${d}) = 'OBJECT')`;

/** A bag from parallel key and value lists (keys distinct). */
const bagOf = (keys: string, values: string) => `CAST(to_json(map(${keys}, ${values})) AS JSON)`;

scalar(['array_length', 'arraylength'], ([d]) => `(CASE WHEN ${isArray(d!.sql)} THEN CAST(json_array_length(${d!.sql}) AS BIGINT) END)`);

scalar(['pack', 'bag_pack'], (args, c) => {
  if (args.length % 2 !== 0) return c.unsupported('bag_pack with an odd number of arguments');
  const pairs: string[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) pairs.push(`${text(args[i]!, c)}, ${dyn(args[i + 1]!, c)}`);
  return pairs.length === 0 ? `CAST('{}' AS JSON)` : `json_object(${pairs.join(', ')})`;
});
/** bag_pack_columns(a, b): keys are the columns' names. */
scalar('bag_pack_columns', (args, c) => {
  const pairs = args.map((a) => {
    if (a.scalar.kind !== 'column') return c.unsupported('bag_pack_columns of an expression', 'Pass columns.');
    return `${c.str(a.scalar.name)}, ${dyn(a, c)}`;
  });
  return `json_object(${pairs.join(', ')})`;
});
scalar('pack_array', (args, c) => listJson(`[${args.map((a) => dyn(a, c)).join(', ')}]::JSON[]`));

scalar('bag_keys', ([d]) => `(CASE WHEN ${isBag(d!.sql)} THEN ${listJson(`json_keys(${d!.sql})`)} END)`);

/** bag_has_key(bag, key): a plain key, or a JSONPath ('$.a.b', '$[0]'). */
scalar('bag_has_key', ([d, k], c) => {
  const v = literalOf(k!);
  const path = typeof v === 'string' && v.startsWith('$') ? c.str(v) : keyPath(text(k!, c));
  return `coalesce(${isBag(d!.sql)} AND json_exists(${d!.sql}, ${path}), FALSE)`;
});

/** Keys of bags (non-bags contribute none), first appearance first. */
const keysOf = (bags: string[]) => distinctInOrder(`flatten([${bags.map((b) => `coalesce(CASE WHEN ${isBag(b)} THEN json_keys(${b}) END, [])`).join(', ')}])`);

/** bag_merge(b1, b2, ...): a key's value comes from the leftmost bag that has it. */
scalar('bag_merge', (args) => {
  const bags = args.map((a) => a.sql);
  const value = `coalesce(${bags.map((b) => `CASE WHEN ${isBag(b)} THEN json_extract(${b}, ${keyPath('__k')}) END`).join(', ')})`;
  return `(CASE WHEN ${bags.map(isBag).join(' OR ')} THEN list_transform([${keysOf(bags)}], __ks -> ${bagOf('__ks', `list_transform(__ks, __k -> ${value})`)})[1] END)`;
});

/** bag_remove_keys(bag, keys): plain keys (JSONPath keys are refused). */
scalar('bag_remove_keys', ([d, keys], c) => {
  const list = literalOf(keys!);
  if (typeof list === 'string' && (JSON.parse(list) as unknown[]).some((k) => typeof k === 'string' && k.startsWith('$'))) {
    return c.unsupported('bag_remove_keys with JSONPath keys', 'Name the top-level keys to remove.');
  }
  const remove = `list_transform(${jsonList(keys!.sql)}, __e -> json_extract_string(__e, '$'))`;
  const kept = `list_filter(json_keys(${d!.sql}), __k -> NOT list_contains(${remove}, __k))`;
  return `(CASE WHEN ${isBag(d!.sql)} THEN list_transform([${kept}], __ks -> ${bagOf('__ks', `list_transform(__ks, __k -> json_extract(${d!.sql}, ${keyPath('__k')}))`)})[1] END)`;
});

/** bag_set_key(bag, key, value): adds or replaces a top-level key. */
scalar('bag_set_key', ([d, k, v], c) => {
  const key = literalOf(k!);
  if (typeof key === 'string' && key.startsWith('$')) return c.unsupported('bag_set_key with a JSONPath key', 'Name a top-level key.');
  const name = text(k!, c);
  const keys = `list_concat(list_filter(json_keys(${d!.sql}), __k -> __k <> ${name}), [${name}])`;
  const values = `list_transform(__ks, __k -> CASE WHEN __k = ${name} THEN ${dyn(v!, c)} ELSE json_extract(${d!.sql}, ${keyPath('__k')}) END)`;
  return `(CASE WHEN ${isBag(d!.sql)} THEN list_transform([${keys}], __ks -> ${bagOf('__ks', values)})[1] END)`;
});

/** bag_zip(keys, values): string keys paired with the value at the same index (null when missing). */
scalar('bag_zip', ([keys, values]) => {
  const k = jsonList(keys!.sql);
  const vals = `coalesce(${jsonList(values!.sql)}, [])`;
  const pairs = `list_filter(list_transform(${k}, (__e, __i) -> {'k': CASE WHEN json_type(__e) = 'VARCHAR' THEN json_extract_string(__e, '$') END, 'v': coalesce(${vals}[__i], 'null'::JSON)}), __p -> __p.k IS NOT NULL)`;
  return `(CASE WHEN ${isArray(keys!.sql)} THEN list_transform([${pairs}], __ps -> ${bagOf('list_transform(__ps, __p -> __p.k)', 'list_transform(__ps, __p -> __p.v)')})[1] END)`;
});

// ---- arrays ------------------------------------------------------------------------------

/** Whether a JSON element equals a value of a KQL type (numbers compare as numbers, strings as text). */
export function elementEquals(e: string, v: SqlArg, c: SqlContext): string {
  switch (v.type) {
    case 'string': return `(json_type(${e}) = 'VARCHAR' AND json_extract_string(${e}, '$') = ${v.sql})`;
    case 'int': case 'long': case 'real': case 'decimal':
      return `(json_type(${e}) IN ('BIGINT', 'UBIGINT', 'DOUBLE') AND TRY_CAST(${e} AS DOUBLE) = ${v.sql})`;
    case 'bool': return `(json_type(${e}) = 'BOOLEAN' AND TRY_CAST(${e} AS BOOLEAN) = ${v.sql})`;
    case 'dynamic': return `(CAST(${e} AS VARCHAR) = CAST(${v.sql} AS VARCHAR))`;
    default: return `(json_type(${e}) = 'VARCHAR' AND json_extract_string(${e}, '$') = ${text(v, c)})`;
  }
}

scalar('set_has_element', ([d, v], c) => `coalesce(len(list_filter(${jsonList(d!.sql)}, __e -> ${elementEquals('__e', v!, c)})) > 0, FALSE)`);

scalar('array_index_of', ([d, v, start, length, occurrence], c) => {
  if (start !== undefined || length !== undefined || occurrence !== undefined) return c.unsupported('array_index_of with a start, length or occurrence');
  const positions = `list_filter(list_transform(${jsonList(d!.sql)}, (__e, __i) -> CASE WHEN ${elementEquals('__e', v!, c)} THEN __i END), __p -> __p IS NOT NULL)`;
  return `(CASE WHEN ${isArray(d!.sql)} THEN CAST(coalesce(${positions}[1] - 1, -1) AS BIGINT) END)`;
});

scalar('array_concat', (args) => {
  const lists = args.map((a) => jsonList(a.sql));
  return `(CASE WHEN ${args.map((a) => isArray(a.sql)).join(' AND ')} THEN ${listJson(`flatten([${lists.join(', ')}])`)} END)`;
});

/** array_slice(arr, start, end): inclusive, negative indexes from the end, clipped to the array. */
scalar('array_slice', ([d, start, end], c) => {
  const list = jsonList(d!.sql);
  const n = `len(${list})`;
  const at = (i: string) => `(CASE WHEN ${i} < 0 THEN ${i} + ${n} ELSE ${i} END)`;
  const from = `greatest(${at(long(start!, c))}, 0)`;
  const to = `least(${at(long(end!, c))}, ${n} - 1)`;
  return `(CASE WHEN ${isArray(d!.sql)} THEN (CASE WHEN ${from} > ${to} THEN CAST('[]' AS JSON) ELSE ${listJson(`list_slice(${list}, ${from} + 1, ${to} + 1)`)} END) END)`;
});

scalar('array_reverse', ([d]) => `(CASE WHEN ${isArray(d!.sql)} THEN ${listJson(`list_reverse(${jsonList(d!.sql)})`)} END)`);

/** array_rotate_left(arr, n): elements move n places left, wrapping around (negative n rotates right). */
const rotate = (d: string, shift: string) => {
  const list = jsonList(d);
  const n = `len(${list})`;
  return `(CASE WHEN ${isArray(d)} THEN ${listJson(`list_transform(range(${n}), __i -> ${list}[((__i + ${shift}) % ${n} + ${n}) % ${n} + 1])`)} END)`;
};
scalar('array_rotate_left', ([d, s], c) => rotate(d!.sql, long(s!, c)));
scalar('array_rotate_right', ([d, s], c) => rotate(d!.sql, `-(${long(s!, c)})`));

/** array_shift_left(arr, n[, fill]): elements move n places left, vacated places take fill (null). */
const shift = (d: string, by: string, fill: string) => {
  const list = jsonList(d);
  const n = `len(${list})`;
  return `(CASE WHEN ${isArray(d)} THEN ${listJson(`list_transform(range(${n}), __i -> CASE WHEN __i + ${by} BETWEEN 0 AND ${n} - 1 THEN ${list}[__i + ${by} + 1] ELSE ${fill} END)`)} END)`;
};
scalar('array_shift_left', ([d, s, fill], c) => shift(d!.sql, long(s!, c), fill === undefined ? "'null'::JSON" : dyn(fill, c)));
scalar('array_shift_right', ([d, s, fill], c) => shift(d!.sql, `-(${long(s!, c)})`, fill === undefined ? "'null'::JSON" : dyn(fill, c)));

/**
 * array_sort_asc/desc(arr[, nulls_last]): numbers by value, strings by text (numbers first);
 * nulls last by default. Sorting several arrays together returns several columns: refused.
 */
function sortArray(args: SqlArg[], c: SqlContext, descending: boolean): string {
  const [d, ...rest] = args;
  if (rest.length > 0 && rest.some((a) => a.type === 'dynamic')) return c.unsupported('array_sort with several arrays', 'Sort one array at a time.');
  const nullsLast = rest.length === 0 ? 'TRUE' : c.convert(rest[0]!, 'bool');
  const list = jsonList(d!.sql);
  const sorted = sortedJson(`list_filter(${list}, __e -> __e IS NOT NULL AND json_type(__e) <> 'NULL')`, descending);
  const nulls = `list_transform(list_filter(${list}, __e -> __e IS NULL OR json_type(__e) = 'NULL'), __e -> 'null'::JSON)`;
  return `(CASE WHEN ${isArray(d!.sql)} THEN ${listJson(`CASE WHEN coalesce(${nullsLast}, TRUE) THEN list_concat(${sorted}, ${nulls}) ELSE list_concat(${nulls}, ${sorted}) END`)} END)`;
}
scalar('array_sort_asc', (args, c) => sortArray(args, c, false));
scalar('array_sort_desc', (args, c) => sortArray(args, c, true));

scalar('array_sum', ([d]) => `(CASE WHEN ${isArray(d!.sql)} THEN list_sum(list_transform(${jsonList(d!.sql)}, __e -> TRY_CAST(__e AS DOUBLE))) END)`);

/** array_iff(conditions, whenTrue, whenFalse): element-wise; a scalar branch applies to every element. */
scalar(['array_iff', 'array_iif'], ([cond, a, b], c) => {
  const pick = (x: SqlArg) => (x.type === 'dynamic' ? `(CASE WHEN ${isArray(x.sql)} THEN ${jsonList(x.sql)}[__i] ELSE ${x.sql} END)` : dyn(x, c));
  const truth = `(CASE json_type(__e) WHEN 'BOOLEAN' THEN TRY_CAST(__e AS BOOLEAN) WHEN 'BIGINT' THEN TRY_CAST(__e AS DOUBLE) <> 0 WHEN 'UBIGINT' THEN TRY_CAST(__e AS DOUBLE) <> 0 WHEN 'DOUBLE' THEN TRY_CAST(__e AS DOUBLE) <> 0 END)`;
  return `(CASE WHEN ${isArray(cond!.sql)} THEN ${listJson(`list_transform(${jsonList(cond!.sql)}, (__e, __i) -> CASE WHEN ${truth} THEN ${pick(a!)} WHEN NOT ${truth} THEN ${pick(b!)} END)`)} END)`;
});

/** zip(a, b, ...): arrays of the i-th elements, as long as the longest (missing elements null). */
scalar('zip', (args) => {
  const lists = args.map((a) => jsonList(a.sql));
  const longest = `greatest(${lists.map((l) => `len(${l})`).join(', ')})`;
  return `(CASE WHEN ${args.map((a) => isArray(a.sql)).join(' AND ')} THEN ${listJson(`list_transform(range(1, ${longest} + 1), __i -> to_json([${lists.map((l) => `coalesce(${l}[__i], 'null'::JSON)`).join(', ')}]))`)} END)`;
});

// ---- sets -------------------------------------------------------------------------------

scalar('set_union', (args) => `(CASE WHEN ${args.map((a) => isArray(a.sql)).join(' AND ')} THEN ${listJson(distinctInOrder(`flatten([${args.map((a) => jsonList(a.sql)).join(', ')}])`))} END)`);
/** Elements compare by their JSON text (1 and 1.0 differ, as long and real do in Kusto). */
const member = (list: string) => `list_contains(list_transform(${list}, __m -> CAST(__m AS VARCHAR)), CAST(__e AS VARCHAR))`;
scalar('set_intersect', ([first, ...others]) => {
  const kept = `list_filter(${jsonList(first!.sql)}, __e -> ${others.map((o) => member(jsonList(o.sql))).join(' AND ')})`;
  return `(CASE WHEN ${[first!, ...others].map((a) => isArray(a.sql)).join(' AND ')} THEN ${listJson(distinctInOrder(kept))} END)`;
});
scalar('set_difference', ([first, ...others]) => {
  const kept = `list_filter(${jsonList(first!.sql)}, __e -> NOT (${others.map((o) => member(jsonList(o.sql))).join(' OR ')}))`;
  return `(CASE WHEN ${[first!, ...others].map((a) => isArray(a.sql)).join(' AND ')} THEN ${listJson(distinctInOrder(kept))} END)`;
});
scalar('set_equals', ([a, b]) => `(${listJson(`list_sort(list_distinct(list_transform(${jsonList(a!.sql)}, __e -> CAST(__e AS VARCHAR))))`)} = ${listJson(`list_sort(list_distinct(list_transform(${jsonList(b!.sql)}, __e -> CAST(__e AS VARCHAR))))`)})`);

// ---- range ------------------------------------------------------------------------------

/** range(start, stop[, step]): at most 1,048,576 elements, as Kusto caps it. */
scalar('range', ([start, stop, step], c) => {
  const type = start!.type;
  if (type === 'datetime') {
    const by = step === undefined ? '864000000000' : c.convert(step, 'timespan');
    const from = `epoch_us(${start!.sql})`;
    const count = `least(greatest(CAST(floor((epoch_us(${c.convert(stop!, 'datetime')}) - ${from}) * 10 / (${by})) AS BIGINT) + 1, 0), 1048576)`;
    return listJson(`list_transform(range(${count}), __i -> to_json(${datetimeElement(`make_timestamp(${from} + CAST(__i * (${by}) // 10 AS BIGINT))`, c)}))`);
  }
  const numeric = type === 'real' || type === 'decimal' ? 'DOUBLE' : 'BIGINT';
  const from = c.convert(start!, type === 'timespan' ? 'long' : type);
  const to = c.convert(stop!, type === 'timespan' ? 'long' : type);
  const by = step === undefined ? (type === 'timespan' ? '36000000000' : '1') : c.convert(step, type === 'timespan' ? 'long' : step.type);
  const count = `least(greatest(CAST(floor((${to} - (${from})) / (${by})) AS BIGINT) + 1, 0), 1048576)`;
  const element = `CAST(${from} + __i * (${by}) AS ${numeric})`;
  const json = type === 'timespan' ? `to_json(${c.convert({ sql: element, type: 'timespan', scalar: { kind: 'column', name: '', type: 'timespan' } }, 'string')})` : `to_json(${element})`;
  return listJson(`list_transform(range(${count}), __i -> ${json})`);
});

const datetimeElement = (ts: string, c: SqlContext) => c.convert({ sql: ts, type: 'datetime', scalar: { kind: 'column', name: '', type: 'datetime' } }, 'string');
