// JSON text read without making it dynamic first: extract_json / extractjson (a JSONPath into a
// string), and parse_csv (one CSV record -> an array of strings).
import { literalOf, scalar } from './registry.ts';
import { listJson, text } from './sql-helpers.ts';

/** Kusto's bracket steps ($['a b'], $["x"]) in DuckDB's form ($."a b"); other steps pass through. */
export function duckdbJsonPath(path: string): string {
  return path.replace(/\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]/g, (_m, single: string | undefined, double: string | undefined) => `.${JSON.stringify(single ?? double ?? '')}`);
}

/** extract_json(path, text[, typeof(T)]): the value as text ("" when missing or not JSON). */
scalar(['extract_json', 'extractjson'], ([path, source], c) => {
  const p = literalOf(path!);
  const pathSql = typeof p === 'string' ? c.str(duckdbJsonPath(p)) : text(path!, c);
  const doc = text(source!, c);
  const value = `(CASE WHEN json_valid(${doc}) THEN json_extract(${doc}, ${pathSql}) END)`;
  const asText = `(CASE json_type(${value}) WHEN 'VARCHAR' THEN json_extract_string(${value}, '$') WHEN 'NULL' THEN NULL ELSE CAST(${value} AS VARCHAR) END)`;
  if (c.resultType === 'string') return asText;
  return c.convert({ sql: asText, type: 'string', scalar: { kind: 'column', name: '', type: 'string' } }, c.resultType);
}, { nullableString: true });

/**
 * parse_csv(record): fields split on commas; a field in double quotes may hold commas, and ""
 * inside it is one quote. The record is cut into quoted fields, unquoted runs and commas, and
 * each comma becomes a separator no field can contain (\x01).
 */
scalar('parse_csv', ([x], c) => {
  const tokens = `regexp_extract_all(${text(x!, c)}, '"(?:[^"]|"")*"|[^,"]+|,', 0)`;
  const joined = `array_to_string(list_transform(${tokens}, __t -> CASE WHEN __t = ',' THEN chr(1) WHEN starts_with(__t, '"') THEN replace(substr(__t, 2, length(__t) - 2), '""', '"') ELSE __t END), '')`;
  return listJson(`string_split(${joined}, chr(1))`);
});
