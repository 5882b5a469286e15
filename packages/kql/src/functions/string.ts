// String functions. Kusto strings are never null: results that SQL may leave NULL are marked
// nullableString and read as "". Arguments of other types are converted with tostring's rules.
import { literalOf, regexEscape, scalar } from './registry.ts';
import { constantText, elementText, jsonList, listJson, literalArray, long, text } from './sql-helpers.ts';

const s = text;

scalar('strlen', ([x], c) => `CAST(length(${s(x!, c)}) AS BIGINT)`);
// Bytes of the UTF-8 text (strlen in DuckDB counts bytes).
scalar('string_size', ([x], c) => `CAST(strlen(${s(x!, c)}) AS BIGINT)`);
scalar('tolower', ([x], c) => `lower(${s(x!, c)})`);
scalar('toupper', ([x], c) => `upper(${s(x!, c)})`);
scalar('strcat', (args, c) => `concat(${args.map((a) => s(a, c)).join(', ')})`);
scalar('strcat_delim', ([d, ...args], c) => `concat_ws(${s(d!, c)}, ${args.map((a) => s(a, c)).join(', ')})`);
scalar(['strcat_array', 'array_strcat'], ([arr, d], c) =>
  `array_to_string(list_transform(${jsonList(arr!.sql)}, __e -> ${elementText('__e')}), ${s(d!, c)})`, { nullableString: true });
scalar('strcmp', ([a, b], c) => `(CASE WHEN ${s(a!, c)} < ${s(b!, c)} THEN -1 WHEN ${s(a!, c)} > ${s(b!, c)} THEN 1 ELSE 0 END)`);
scalar('reverse', ([x], c) => `reverse(${s(x!, c)})`);
scalar('isascii', ([x], c) => `regexp_matches(${s(x!, c)}, '^[\\x00-\\x7F]*$')`);
// DuckDB text is always valid UTF-8.
scalar('isutf8', ([x], c) => `(${s(x!, c)} IS NOT NULL)`);

scalar('substring', ([x, start, len], c) => {
  const str = s(x!, c);
  // Zero-based; a negative start counts from the end.
  const from = `(CASE WHEN ${long(start!, c)} < 0 THEN greatest(length(${str}) + ${long(start!, c)}, 0) ELSE ${long(start!, c)} END)`;
  return len === undefined ? `substr(${str}, ${from} + 1)` : `substr(${str}, ${from} + 1, greatest(${long(len, c)}, 0))`;
}, { nullableString: true });

scalar('strrep', ([x, n, d], c) => {
  const count = `least(greatest(${long(n!, c)}, 0), 1024)`;
  return d === undefined ? `repeat(${s(x!, c)}, ${count})` : `array_to_string(list_transform(range(${count}), __i -> ${s(x!, c)}), ${s(d, c)})`;
}, { nullableString: true });

scalar('replace_string', ([x, from, to], c) => `replace(${s(x!, c)}, ${s(from!, c)}, ${s(to!, c)})`);

/**
 * replace_strings(text, lookups, rewrites): one pass, each position taking the first lookup that
 * matches there. The text is cut into lookup matches and single characters by one regex
 * (alternation is leftmost-first in RE2), and each piece that is a lookup is rewritten.
 */
scalar('replace_strings', ([x, lookups, rewrites], c) => {
  const from = literalArray(lookups);
  const to = literalArray(rewrites);
  if (from === undefined || to === undefined) return c.unsupported('replace_strings with computed lookup or rewrite arrays', 'Give both as dynamic([...]) literals.');
  // A rewrite that is not a string leaves its lookup's matches as they are.
  const pairs = from.map((f, i) => {
    const lookup = typeof f === 'string' ? f : JSON.stringify(f);
    return [lookup, typeof to[i] === 'string' ? to[i] as string : lookup] as const;
  }).filter(([f]) => f !== '');
  if (pairs.length === 0) return s(x!, c);
  const pattern = `${pairs.map(([f]) => regexEscape(f)).join('|')}|(?s:.)`;
  const cases = pairs.map(([f, t]) => `WHEN ${c.str(f)} THEN ${c.str(t)}`).join(' ');
  return `array_to_string(list_transform(regexp_extract_all(${s(x!, c)}, ${c.str(pattern)}, 0), __p -> CASE __p ${cases} ELSE __p END), '')`;
}, { nullableString: true });

/** translate(searchList, replacementList, source): a shorter replacement list repeats its last character. */
scalar('translate', ([from, to, x], c) => {
  const f = s(from!, c);
  const t = s(to!, c);
  return `translate(${s(x!, c)}, ${f}, CASE WHEN ${t} = '' THEN '' ELSE rpad(${t}, CAST(greatest(length(${f}), 1) AS INTEGER), right(${t}, 1)) END)`;
}, { nullableString: true });

scalar('indexof', ([x, lookup, start, length, occurrence], c) => {
  if (occurrence !== undefined && literalOf(occurrence) !== 1 && literalOf(occurrence) !== 1n) {
    return c.unsupported('indexof with an occurrence other than 1', 'Use indexof on the rest of the string (substring) instead.');
  }
  const str = s(x!, c);
  // A negative start counts from the end; length is how many characters are searched (-1: all).
  const from = start === undefined ? '0' : `(CASE WHEN ${long(start, c)} < 0 THEN greatest(length(${str}) + ${long(start, c)}, 0) ELSE ${long(start, c)} END)`;
  const window = length === undefined ? `substr(${str}, ${from} + 1)` : `substr(${str}, ${from} + 1, CASE WHEN ${long(length, c)} = -1 THEN length(${str}) ELSE ${long(length, c)} END)`;
  const at = `strpos(${window}, ${s(lookup!, c)})`;
  const found = `(CASE WHEN ${at} = 0 THEN -1 ELSE ${at} - 1 + ${from} END)`;
  const sql = length !== undefined ? `(CASE WHEN ${long(length, c)} < -1 THEN NULL ELSE ${found} END)` : found;
  return `CAST(${sql} AS ${c.sqlType(c.resultType)})`;
});

/** countof: plain matches may overlap (countof("aaaa", "aa") is 3), regex matches do not. */
scalar('countof', ([x, needle, kind], c) => {
  const k = (constantText(kind, c, 'The kind of countof') ?? 'normal').toLowerCase();
  const str = s(x!, c);
  if (k === 'regex') return `CAST(len(regexp_extract_all(${str}, ${s(needle!, c)}, 0)) AS BIGINT)`;
  if (k !== 'normal') return c.unsupported(`countof kind '${k}'`, "The kind is 'normal' or 'regex'.");
  const n = s(needle!, c);
  return `CAST(CASE WHEN length(${n}) = 0 THEN 0 ELSE len(list_filter(range(greatest(length(${str}) - length(${n}) + 1, 0)), __i -> substr(${str}, __i + 1, length(${n})) = ${n})) END AS BIGINT)`;
});

scalar('split', ([x, d, index], c) => {
  const parts = `string_split(${s(x!, c)}, ${s(d!, c)})`;
  if (index === undefined) return listJson(parts);
  const i = long(index, c);
  return `(CASE WHEN ${i} >= 0 AND ${i} < len(${parts}) THEN ${listJson(`[${parts}[${i} + 1]]`)} ELSE CAST('[]' AS JSON) END)`;
});

// ---- encodings --------------------------------------------------------------------------

/** Percent-encodes every character outside `keep`, as UTF-8 bytes in hex of the given case. */
function percentEncode(str: string, keep: string, space: string, upper: boolean): string {
  const hex = `regexp_replace(hex(encode(__c)), '(..)', '%\\1', 'g')`;
  return `array_to_string(list_transform(string_split(${str}, ''), __c -> CASE WHEN regexp_matches(__c, '^[${keep}]$') THEN __c WHEN __c = ' ' THEN ${space} ELSE ${upper ? hex : `lower(${hex})`} END), '')`;
}

// url_encode is .NET's HttpUtility.UrlEncode: lower-case hex, space as '+'.
scalar('url_encode', ([x], c) => percentEncode(s(x!, c), 'A-Za-z0-9_.!*()-', "'+'", false), { nullableString: true });
// url_encode_component is Uri.EscapeDataString: RFC 3986 unreserved characters kept, upper-case hex.
scalar('url_encode_component', ([x], c) => percentEncode(s(x!, c), 'A-Za-z0-9_.~-', "'%20'", true), { nullableString: true });
// '+' is a space (HttpUtility.UrlDecode); malformed escapes stay as they are.
scalar('url_decode', ([x], c) => `url_decode(replace(${s(x!, c)}, '+', ' '))`, { nullableString: true });

scalar(['base64_encode_tostring', 'base64_encodestring'], ([x], c) => `to_base64(encode(${s(x!, c)}))`);
// Text that is not valid base64, or whose bytes are not UTF-8, decodes to "".
scalar(['base64_decode_tostring', 'base64_decodestring'], ([x], c) => `TRY(decode(from_base64(${s(x!, c)})))`, { nullableString: true });
const bytesOfHex = (hex: string) => `list_transform(range(strlen(${hex}) // 2), __i -> CAST(('0x' || substr(${hex}, __i * 2 + 1, 2)) AS BIGINT))`;
scalar('base64_decode_toarray', ([x], c) => `(CASE WHEN TRY(from_base64(${s(x!, c)})) IS NULL THEN NULL ELSE ${listJson(bytesOfHex(`hex(from_base64(${s(x!, c)}))`))} END)`);
scalar('base64_encode_fromarray', ([arr]) =>
  `TRY(to_base64(unhex(array_to_string(list_transform(${jsonList(arr!.sql)}, __b -> lpad(hex(CAST(CAST(__b AS BIGINT) AS UTINYINT)), 2, '0')), ''))))`, { nullableString: true });
/** .NET's Guid.ToByteArray order: the first three groups little-endian. */
function guidBytesHex(hex: string): string {
  const part = (from: number, len: number) => `substr(${hex}, ${from}, ${len})`;
  const swap = (from: number, bytes: number) => Array.from({ length: bytes }, (_, i) => part(from + (bytes - 1 - i) * 2, 2)).join(' || ');
  return `(${swap(1, 4)} || ${swap(9, 2)} || ${swap(13, 2)} || ${part(17, 16)})`;
}
scalar('base64_encode_fromguid', ([g], c) => `to_base64(unhex(${guidBytesHex(`replace(CAST(${c.convert(g!, 'guid')} AS VARCHAR), '-', '')`)}))`, { nullableString: true });
scalar('base64_decode_toguid', ([x], c) => {
  const hex = `lower(hex(TRY(from_base64(${s(x!, c)}))))`;
  const h = guidBytesHex(hex);
  return `(CASE WHEN strlen(${hex}) = 32 THEN CAST(substr(${h}, 1, 8) || '-' || substr(${h}, 9, 4) || '-' || substr(${h}, 13, 4) || '-' || substr(${h}, 17, 4) || '-' || substr(${h}, 21, 12) AS UUID) END)`;
});

scalar('to_utf8', ([x], c) => listJson(bytesOfHex(`hex(encode(${s(x!, c)}))`)));
scalar('unicode_codepoints_from_string', ([x], c) => listJson(`list_transform(string_split(${s(x!, c)}, ''), __c -> CAST(unicode(__c) AS BIGINT))`));
/** Code points given as numbers and/or dynamic arrays of numbers, concatenated. */
scalar(['unicode_codepoints_to_string', 'make_string'], (args, c) => {
  const pieces = args.map((a) => (a.type === 'dynamic'
    ? `array_to_string(list_transform(${jsonList(a.sql)}, __p -> chr(CAST(__p AS INTEGER))), '')`
    : `chr(CAST(${long(a, c)} AS INTEGER))`));
  return `concat(${pieces.join(', ')})`;
}, { nullableString: true });

