// The DuckDB dialect: how KQL's types live in DuckDB (datetime = TIMESTAMP in µs UTC, timespan =
// BIGINT 100-ns ticks, dynamic = JSON, guid = UUID), literals, and Kusto's conversion rules.
import type { SqlArg } from '../functions/registry.ts';
import type { Scalar } from '../plan/nodes.ts';
import type { KqlColumn, KqlType } from '../types.ts';
import type { Dialect } from './compiler.ts';
import { datetimeText, jsonText, parseDatetimeText, parseLongText, parseRealText, parseTimespanText, realText, timespanText } from './duckdb-text.ts';

const TYPES: Record<KqlType, string> = {
  bool: 'BOOLEAN', datetime: 'TIMESTAMP', dynamic: 'JSON', guid: 'UUID', int: 'INTEGER', long: 'BIGINT',
  real: 'DOUBLE', decimal: 'DOUBLE', string: 'VARCHAR', timespan: 'BIGINT',
};

/** Microseconds since the epoch as a TIMESTAMP literal (a literal, so zone maps can skip data). */
export function timestampLiteral(micros: bigint): string {
  const ms = micros / 1000n;
  let rest = micros % 1000n;
  let date = new Date(Number(ms));
  if (rest < 0n) {
    rest += 1000n;
    date = new Date(Number(ms) - 1);
  }
  if (Number.isNaN(date.getTime())) return 'CAST(NULL AS TIMESTAMP)';
  const iso = date.toISOString(); // 2024-01-02T03:04:05.678Z
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) return 'CAST(NULL AS TIMESTAMP)';
  return `TIMESTAMP '${iso.slice(0, 10)} ${iso.slice(11, 23)}${String(rest).padStart(3, '0')}'`;
}

/**
 * The document and path of a dynamic member access (`d.a.b`, compiled by dyn_path and
 * dyn_path_of_text as json_extract(<document>, '<path>')), so that conversions can read the
 * member in place; and the member's text when the plan has read it already (dyn_path_of_text's
 * third argument, a column: see plan/rewrites/parse-json-members.ts).
 */
function memberOf(arg: SqlArg, ident: (name: string) => string): { base: string; path: string; text?: string } | undefined {
  const s = arg.scalar;
  if (s.kind !== 'call' || (s.fn !== 'dyn_path' && s.fn !== 'dyn_path_of_text')) return undefined;
  const path = s.args[1];
  if (path?.kind !== 'literal' || typeof path.value !== 'string') return undefined;
  const pathSql = duckdb.str(path.value);
  const prefix = 'json_extract(';
  const suffix = `, ${pathSql})`;
  if (!arg.sql.startsWith(prefix) || !arg.sql.endsWith(suffix)) return undefined;
  const text = s.args[2];
  return {
    base: arg.sql.slice(prefix.length, arg.sql.length - suffix.length),
    path: pathSql,
    ...(text?.kind === 'column' ? { text: ident(text.name) } : {}),
  };
}

export const duckdb: Dialect = {
  name: 'duckdb',

  ident: (name) => `"${name.replace(/"/g, '""')}"`,

  str: (value) => `'${value.replace(/'/g, "''").replace(/\0/g, '')}'`,

  sqlType: (type) => TYPES[type],

  tableRef: (catalog, table) => `${duckdb.ident(catalog)}.main.${duckdb.ident(table)}`,

  emptyRelation(columns: KqlColumn[]): string {
    // this.ident: a compiler may give columns other SQL names (sql/case-distinct-names.ts).
    const list = columns.map((c) => `CAST(NULL AS ${TYPES[c.type]}) AS ${this.ident(c.name)}`).join(', ');
    return `SELECT ${list || '1 AS "__empty"'} WHERE FALSE`;
  },

  values(columns: KqlColumn[], rows: string[][]): string {
    const body = rows.map((r) => `(${r.join(', ')})`).join(', ');
    return `SELECT * FROM (VALUES ${body}) AS v(${columns.map((c) => this.ident(c.name)).join(', ')})`;
  },

  literal(s: Scalar & { kind: 'literal' }): string {
    const { value, type } = s;
    if (value === null) return type === 'string' ? "''" : `CAST(NULL AS ${TYPES[type]})`;
    switch (type) {
      case 'string': return duckdb.str(String(value));
      case 'bool': return value === true ? 'TRUE' : 'FALSE';
      case 'int': return `CAST(${String(value)} AS INTEGER)`;
      case 'long': return `CAST(${String(value)} AS BIGINT)`;
      case 'timespan': return `CAST(${String(value)} AS BIGINT)`;
      case 'real': case 'decimal': {
        const n = Number(value);
        if (Number.isNaN(n)) return "'NaN'::DOUBLE";
        if (!Number.isFinite(n)) return n > 0 ? "'Infinity'::DOUBLE" : "'-Infinity'::DOUBLE";
        return `CAST(${String(n)} AS DOUBLE)`;
      }
      case 'datetime': return timestampLiteral(BigInt(value as bigint));
      case 'guid': return `CAST(${duckdb.str(String(value))} AS UUID)`;
      case 'dynamic': return `CAST(${duckdb.str(String(value))} AS JSON)`;
    }
  },

  convert(arg: SqlArg, to: KqlType): string {
    const x = arg.sql;
    const from = arg.type;
    if (from === to) return x;
    if (from === 'dynamic') {
      // A dynamic value converts through its text (strings unquoted, reals as tostring prints them).
      if (to === 'string') return `coalesce(${jsonText(x, memberOf(arg, (name) => this.ident(name)))}, '')`;
      if (to === 'bool') return `(CASE json_type(${x}) WHEN 'BOOLEAN' THEN CAST(${x} AS BOOLEAN) WHEN 'VARCHAR' THEN ${duckdb.convert({ ...arg, sql: `json_extract_string(${x}, '$')`, type: 'string' }, 'bool')} WHEN 'NULL' THEN NULL ELSE TRY_CAST(CAST(${x} AS DOUBLE) <> 0 AS BOOLEAN) END)`;
      return duckdb.convert({ ...arg, sql: `json_extract_string(${x}, '$')`, type: 'string' }, to);
    }
    switch (to) {
      case 'string':
        if (from === 'datetime') return `coalesce(${datetimeText(x)}, '')`;
        if (from === 'timespan') return `coalesce(${timespanText(x)}, '')`;
        if (from === 'real' || from === 'decimal') return `coalesce(${realText(x)}, '')`;
        if (from === 'bool') return `coalesce(CASE WHEN ${x} THEN 'true' ELSE 'false' END, '')`;
        return `coalesce(CAST(${x} AS VARCHAR), '')`;
      case 'long': case 'int': {
        const t = TYPES[to];
        if (from === 'real' || from === 'decimal') return `TRY_CAST(trunc(${x}) AS ${t})`;
        if (from === 'string') return to === 'long' ? parseLongText(x) : `TRY_CAST(${parseLongText(x)} AS INTEGER)`;
        if (from === 'bool') return `CAST(${x} AS ${t})`;
        if (from === 'datetime') return `TRY_CAST(epoch_us(${x}) * 10 + 621355968000000000 AS ${t})`;
        return `TRY_CAST(${x} AS ${t})`;
      }
      case 'real': case 'decimal':
        if (from === 'string') return parseRealText(x);
        if (from === 'datetime') return `CAST(epoch_us(${x}) * 10 + 621355968000000000 AS DOUBLE)`;
        return `TRY_CAST(${x} AS DOUBLE)`;
      case 'bool':
        if (from === 'string') return `(CASE lower(trim(${x})) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE WHEN '1' THEN TRUE WHEN '0' THEN FALSE END)`;
        return `TRY_CAST(${x} <> 0 AS BOOLEAN)`;
      case 'datetime':
        if (from === 'string') return parseDatetimeText(x);
        // A number is ticks (100 ns) since 0001-01-01.
        if (from === 'long' || from === 'int' || from === 'real' || from === 'decimal') return `make_timestamp(CAST((${x} - 621355968000000000) // 10 AS BIGINT))`;
        return `TRY_CAST(${x} AS TIMESTAMP)`;
      case 'timespan':
        if (from === 'long' || from === 'int') return `CAST(${x} AS BIGINT)`;
        if (from === 'real' || from === 'decimal') return `TRY_CAST(round(${x}) AS BIGINT)`;
        if (from === 'string') return parseTimespanText(x);
        return `CAST(NULL AS BIGINT)`;
      case 'guid':
        if (from === 'string') return `TRY_CAST(trim(${x}) AS UUID)`;
        return `CAST(NULL AS UUID)`;
      case 'dynamic':
        // Text that is not JSON is a dynamic string (parse_json of a plain word).
        // One parse: TRY_CAST is NULL for text that is not JSON (measured 12% faster than json_valid then CAST).
        if (from === 'string') return `coalesce(TRY_CAST(${x} AS JSON), to_json(${x}))`;
        if (from === 'datetime') return `to_json(${datetimeText(x)})`;
        if (from === 'timespan') return `to_json(${timespanText(x)})`;
        if (from === 'guid') return `to_json(CAST(${x} AS VARCHAR))`;
        if (from === 'real' || from === 'decimal') return `(CASE WHEN isfinite(${x}) THEN to_json(${x}) WHEN ${x} IS NOT NULL THEN to_json(${realText(x)}) END)`;
        return `to_json(${x})`;
    }
  },
};
