// The DuckDB dialect: how KQL's types live in DuckDB (datetime = TIMESTAMP in µs UTC, timespan =
// BIGINT 100-ns ticks, dynamic = JSON, guid = UUID), literals, and Kusto's conversion rules.
import type { SqlArg } from '../functions/registry.ts';
import type { Scalar } from '../plan/nodes.ts';
import type { KqlColumn, KqlType } from '../types.ts';
import type { Dialect } from './compiler.ts';

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

/** A timespan in ticks as Kusto prints it: [-][d.]hh:mm:ss[.fffffff]. SQL expression. */
function timespanText(ticks: string): string {
  const t = `abs(${ticks})`;
  const days = `(${t} // 864000000000)`;
  const h = `lpad(CAST((${t} // 36000000000) % 24 AS VARCHAR), 2, '0')`;
  const m = `lpad(CAST((${t} // 600000000) % 60 AS VARCHAR), 2, '0')`;
  const s = `lpad(CAST((${t} // 10000000) % 60 AS VARCHAR), 2, '0')`;
  const f = `(${t} % 10000000)`;
  return `CASE WHEN ${ticks} IS NULL THEN NULL ELSE (CASE WHEN ${ticks} < 0 THEN '-' ELSE '' END) || (CASE WHEN ${days} > 0 THEN CAST(${days} AS VARCHAR) || '.' ELSE '' END) || ${h} || ':' || ${m} || ':' || ${s} || (CASE WHEN ${f} > 0 THEN '.' || lpad(CAST(${f} AS VARCHAR), 7, '0') ELSE '' END) END`;
}

/** A datetime as Kusto's tostring prints it: 2024-01-02T03:04:05Z, or with 7 fraction digits. */
function datetimeText(ts: string): string {
  const us = `(epoch_us(${ts}) % 1000000 + 1000000) % 1000000`;
  return `CASE WHEN ${ts} IS NULL THEN NULL ELSE strftime(${ts}, '%Y-%m-%dT%H:%M:%S') || (CASE WHEN ${us} > 0 THEN '.' || lpad(CAST(${us} AS VARCHAR), 6, '0') || '0' ELSE '' END) || 'Z' END`;
}

/** A real as Kusto prints it: integral values without a fraction (1, not 1.0). */
function realText(x: string): string {
  return `CASE WHEN isfinite(${x}) AND ${x} = trunc(${x}) AND abs(${x}) < 1e15 THEN CAST(CAST(${x} AS BIGINT) AS VARCHAR) WHEN isnan(${x}) THEN 'NaN' WHEN ${x} = 'Infinity'::DOUBLE THEN 'Infinity' WHEN ${x} = '-Infinity'::DOUBLE THEN '-Infinity' ELSE CAST(${x} AS VARCHAR) END`;
}

export const duckdb: Dialect = {
  name: 'duckdb',

  ident: (name) => `"${name.replace(/"/g, '""')}"`,

  str: (value) => `'${value.replace(/'/g, "''").replace(/\0/g, '')}'`,

  sqlType: (type) => TYPES[type],

  tableRef: (catalog, table) => `${duckdb.ident(catalog)}.main.${duckdb.ident(table)}`,

  emptyRelation(columns: KqlColumn[]): string {
    const list = columns.map((c) => `CAST(NULL AS ${TYPES[c.type]}) AS ${duckdb.ident(c.name)}`).join(', ');
    return `SELECT ${list || '1 AS "__empty"'} WHERE FALSE`;
  },

  values(columns: KqlColumn[], rows: string[][]): string {
    const body = rows.map((r) => `(${r.join(', ')})`).join(', ');
    return `SELECT * FROM (VALUES ${body}) AS v(${columns.map((c) => duckdb.ident(c.name)).join(', ')})`;
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
      // A dynamic value converts through its JSON text; strings unquoted.
      const text = `json_extract_string(${x}, '$')`;
      if (to === 'string') return `coalesce(${text}, '')`;
      return duckdb.convert({ ...arg, sql: text, type: 'string' }, to);
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
        if (from === 'string') return `TRY_CAST(TRY_CAST(trim(${x}) AS DOUBLE) AS ${t})`;
        if (from === 'bool') return `CAST(${x} AS ${t})`;
        if (from === 'datetime') return `CAST(epoch_us(${x}) * 10 + 621355968000000000 AS ${t})`;
        return `TRY_CAST(${x} AS ${t})`;
      }
      case 'real': case 'decimal':
        if (from === 'string') return `TRY_CAST(trim(${x}) AS DOUBLE)`;
        if (from === 'timespan') return `CAST(${x} AS DOUBLE)`;
        return `TRY_CAST(${x} AS DOUBLE)`;
      case 'bool':
        if (from === 'string') return `CASE lower(trim(${x})) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE WHEN '1' THEN TRUE WHEN '0' THEN FALSE ELSE NULL END`;
        return `TRY_CAST(${x} <> 0 AS BOOLEAN)`;
      case 'datetime':
        if (from === 'string') return `timezone('UTC', TRY_CAST(${x} AS TIMESTAMPTZ))`;
        if (from === 'long' || from === 'int') return `make_timestamp(CAST((${x} - 621355968000000000) // 10 AS BIGINT))`;
        return `TRY_CAST(${x} AS TIMESTAMP)`;
      case 'timespan':
        if (from === 'long' || from === 'int') return `CAST(${x} AS BIGINT)`;
        if (from === 'real' || from === 'decimal') return `CAST(round(${x}) AS BIGINT)`;
        return `CAST(NULL AS BIGINT)`;
      case 'guid':
        return `TRY_CAST(${x} AS UUID)`;
      case 'dynamic':
        if (from === 'string') return `CASE WHEN json_valid(${x}) THEN CAST(${x} AS JSON) ELSE to_json(${x}) END`;
        if (from === 'datetime') return `to_json(${datetimeText(x)})`;
        if (from === 'timespan') return `to_json(${timespanText(x)})`;
        if (from === 'guid') return `to_json(CAST(${x} AS VARCHAR))`;
        return `to_json(${x})`;
    }
  },
};
