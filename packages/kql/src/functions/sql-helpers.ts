// SQL building blocks the families share: Kusto's conversions of arguments, dynamic arrays as
// DuckDB lists, and constant arguments. Lambda parameters are named __x (never a column of a
// KQL table), so that a template's lambda cannot capture a column an argument refers to.
import type { LiteralValue } from '../plan/nodes.ts';
import { literalOf, type SqlArg, type SqlContext } from './registry.ts';

/** The argument as a string, with Kusto's tostring rules. */
export const text = (a: SqlArg, c: SqlContext): string => c.convert(a, 'string');

/**
 * The argument as a dynamic value to be stored (packed into a bag or array, collected by
 * make_list): a string stays a string. (todynamic() of a string parses it instead.)
 */
export const dyn = (a: SqlArg, c: SqlContext): string => (a.type === 'string' ? `to_json(${a.sql})` : c.convert(a, 'dynamic'));

/** The argument as a long (BIGINT). */
export const long = (a: SqlArg, c: SqlContext): string => c.convert(a, 'long');

/** Datetime (TIMESTAMP, µs) plus a timespan (BIGINT ticks). */
export const plusTicks = (ts: string, ticks: string): string => `(${ts} + to_microseconds(CAST((${ticks}) // 10 AS BIGINT)))`;

/** The argument as a real (DOUBLE). */
export const real = (a: SqlArg, c: SqlContext): string => c.convert(a, 'real');

/** A dynamic value's elements as a JSON[] list; NULL when it is not an array. */
export const jsonList = (d: string): string => `(CASE WHEN json_type(${d}) = 'ARRAY' THEN CAST(${d} AS JSON[]) END)`;

/** A JSON[] list (SQL NULL elements are JSON null) as a dynamic array. */
export const listJson = (list: string): string => `CAST(to_json(${list}) AS JSON)`;

/** A JSON element (or SQL NULL) as Kusto's tostring of a dynamic value: strings unquoted, null as "". */
export const elementText = (e: string): string => `coalesce(json_extract_string(${e}, '$'), '')`;

/**
 * Distinct elements in order of first appearance (Kusto's sets keep that order), in O(n log n):
 * sort (value, position) pairs, keep the first of each run of equal values, sort back by position.
 * The one-element list binds the sorted list to a lambda parameter so it is computed once.
 */
export const distinctInOrder = (list: string): string => `list_transform([list_sort(list_transform(${list}, (__v, __i) -> {'v': __v, 'i': __i}))], __sl -> list_transform(list_sort(list_transform(list_filter(__sl, (__s, __j) -> __j = 1 OR __s.v IS DISTINCT FROM __sl[__j - 1].v), __s -> {'i': __s.i, 'v': __s.v})), __t -> __t.v))[1]`;

/**
 * JSON values sorted: numbers by value first, then everything else by its JSON text. Sets
 * built by aggregates come out in this order (Kusto leaves their order undefined): hashing and
 * sorting the distinct values is far cheaper than tracking first appearances over a group.
 */
export const sortedJson = (list: string, descending = false): string => `list_transform(list_sort(list_transform(${list}, __e -> {'t': CASE WHEN json_type(__e) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN 0 ELSE 1 END, 'n': CASE WHEN json_type(__e) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN TRY_CAST(__e AS DOUBLE) END, 's': CAST(__e AS VARCHAR), 'v': __e}), '${descending ? 'DESC' : 'ASC'}'), __k -> __k.v)`;

/** A constant argument's value; a non-constant one is refused (the SQL needs it when compiling). */
export function constant(arg: SqlArg | undefined, c: SqlContext, what: string): LiteralValue | undefined {
  if (arg === undefined) return undefined;
  const v = literalOf(arg);
  if (v === undefined) return c.unsupported(`${what} with a computed value`, `Write ${what} as a literal.`);
  return v;
}

/** A constant string argument (case kinds, format strings, units). */
export function constantText(arg: SqlArg | undefined, c: SqlContext, what: string): string | undefined {
  const v = constant(arg, c, what);
  return v === undefined || v === null ? undefined : String(v);
}

/** The elements of a literal dynamic array argument, or undefined when it is not one. */
export function literalArray(arg: SqlArg | undefined): unknown[] | undefined {
  if (arg === undefined || arg.type !== 'dynamic') return undefined;
  const v = literalOf(arg);
  if (typeof v !== 'string') return undefined;
  const parsed = JSON.parse(v) as unknown;
  return Array.isArray(parsed) ? parsed : undefined;
}

/** A JSON text as a SQL JSON literal. */
export const jsonLiteral = (value: unknown, c: SqlContext): string => `CAST(${c.str(JSON.stringify(value))} AS JSON)`;
