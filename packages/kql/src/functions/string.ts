// String functions. Kusto strings are never null: results that SQL may leave NULL are marked
// nullableString and read as "".
import { literalOf, scalar, type SqlArg, type SqlContext } from './registry.ts';

const s = (a: SqlArg, c: SqlContext) => c.convert(a, 'string');

scalar('strlen', ([x], c) => `CAST(length(${s(x!, c)}) AS BIGINT)`);
scalar('tolower', ([x], c) => `lower(${s(x!, c)})`);
scalar('toupper', ([x], c) => `upper(${s(x!, c)})`);
scalar('strcat', (args, c) => `concat(${args.map((a) => s(a, c)).join(', ')})`);
scalar('strcat_delim', ([d, ...args], c) => `concat_ws(${s(d!, c)}, ${args.map((a) => s(a, c)).join(', ')})`);
scalar('substring', ([x, start, len], c) => {
  // Kusto: 0-based start, clipped to the string; a negative start counts from 0.
  const from = `greatest(${start!.sql}, 0) + 1`;
  return len === undefined ? `substr(${s(x!, c)}, ${from})` : `substr(${s(x!, c)}, ${from}, greatest(${len.sql} + least(${start!.sql}, 0), 0))`;
}, { nullableString: true });
scalar('trim', ([chars, x], c) => `regexp_replace(${s(x!, c)}, '^(' || ${s(chars!, c)} || ')+|(' || ${s(chars!, c)} || ')+$', '', 'g')`, { nullableString: true });
scalar('trim_start', ([chars, x], c) => `regexp_replace(${s(x!, c)}, '^(' || ${s(chars!, c)} || ')+', '')`, { nullableString: true });
scalar('trim_end', ([chars, x], c) => `regexp_replace(${s(x!, c)}, '(' || ${s(chars!, c)} || ')+$', '')`, { nullableString: true });
scalar('replace_string', ([x, from, to], c) => `replace(${s(x!, c)}, ${s(from!, c)}, ${s(to!, c)})`);
scalar(['replace_regex', 'replace'], ([x, re, to], c) => {
  // Kusto writes back-references as \1; RE2 in DuckDB takes \1 as well.
  return `regexp_replace(${s(x!, c)}, ${s(re!, c)}, ${s(to!, c)}, 'g')`;
});
scalar('indexof', ([x, needle, start], c) => {
  if (start !== undefined) return `CASE WHEN strpos(substr(${s(x!, c)}, ${start.sql} + 1), ${s(needle!, c)}) = 0 THEN -1 ELSE strpos(substr(${s(x!, c)}, ${start.sql} + 1), ${s(needle!, c)}) - 1 + ${start.sql} END`;
  return `CAST(strpos(${s(x!, c)}, ${s(needle!, c)}) - 1 AS BIGINT)`;
});
scalar('extract', ([re, group, x, type], c) => {
  const g = literalOf(group!);
  const sql = `nullif(regexp_extract(${s(x!, c)}, ${s(re!, c)}, ${g === undefined ? group!.sql : String(g)}), '')`;
  if (type !== undefined && c.resultType !== 'string') return c.convert({ sql, type: 'string', scalar: { kind: 'column', name: '', type: 'string' } }, c.resultType);
  return sql;
}, { nullableString: true });
scalar('split', ([x, d, index], c) => {
  const parts = `to_json(string_split(${s(x!, c)}, ${s(d!, c)}))`;
  return index === undefined ? parts : `to_json([string_split(${s(x!, c)}, ${s(d!, c)})[${index.sql} + 1]])`;
});
scalar('countof', ([x, needle, kind], c) => {
  const k = kind === undefined ? 'normal' : String(literalOf(kind));
  if (k === 'regex') return `CAST(len(regexp_extract_all(${s(x!, c)}, ${s(needle!, c)})) AS BIGINT)`;
  return `CAST((length(${s(x!, c)}) - length(replace(${s(x!, c)}, ${s(needle!, c)}, ''))) // greatest(length(${s(needle!, c)}), 1) AS BIGINT)`;
});
scalar('reverse', ([x], c) => `reverse(${s(x!, c)})`);
scalar('strrep', ([x, n, d], c) => (d === undefined ? `repeat(${s(x!, c)}, ${n!.sql})` : `array_to_string(list_transform(range(${n!.sql}), i -> ${s(x!, c)}), ${s(d, c)})`));
scalar('url_decode', ([x], c) => `url_decode(${s(x!, c)})`, { nullableString: true });
scalar('url_encode', ([x], c) => `url_encode(${s(x!, c)})`, { nullableString: true });
scalar(['base64_decode_tostring', 'base64_decodestring'], ([x], c) => `TRY_CAST(from_base64(${s(x!, c)}) AS VARCHAR)`, { nullableString: true });
scalar(['base64_encode_tostring', 'base64_encodestring'], ([x], c) => `to_base64(CAST(${s(x!, c)} AS BLOB))`);
scalar('string_size', ([x], c) => `CAST(octet_length(CAST(${s(x!, c)} AS BLOB)) AS BIGINT)`);
