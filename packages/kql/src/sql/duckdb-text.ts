// Kusto's text forms of values, as DuckDB SQL: how tostring prints datetimes, timespans and
// reals, and how todatetime / totimespan / todouble read text. Each function takes and returns
// SQL expression text; NULL in gives NULL out.

/** ticks -> [-][d.]hh:mm:ss[.fffffff] (Kusto's "c" format). */
export function timespanText(ticks: string): string {
  const t = `abs(${ticks})`;
  const days = `(${t} // 864000000000)`;
  const h = `lpad(CAST((${t} // 36000000000) % 24 AS VARCHAR), 2, '0')`;
  const m = `lpad(CAST((${t} // 600000000) % 60 AS VARCHAR), 2, '0')`;
  const s = `lpad(CAST((${t} // 10000000) % 60 AS VARCHAR), 2, '0')`;
  const f = `(${t} % 10000000)`;
  return `CASE WHEN ${ticks} IS NULL THEN NULL ELSE (CASE WHEN ${ticks} < 0 THEN '-' ELSE '' END) || (CASE WHEN ${days} > 0 THEN CAST(${days} AS VARCHAR) || '.' ELSE '' END) || ${h} || ':' || ${m} || ':' || ${s} || (CASE WHEN ${f} > 0 THEN '.' || lpad(CAST(${f} AS VARCHAR), 7, '0') ELSE '' END) END`;
}

/** TIMESTAMP -> 2024-01-02T03:04:05.0000000Z: tostring always prints seven fraction digits. */
export function datetimeText(ts: string): string {
  const us = `((epoch_us(${ts}) % 1000000 + 1000000) % 1000000)`;
  return `CASE WHEN ${ts} IS NULL THEN NULL ELSE strftime(${ts}, '%Y-%m-%dT%H:%M:%S') || '.' || lpad(CAST(${us} AS VARCHAR), 6, '0') || '0Z' END`;
}

/** DOUBLE -> .NET's shortest round-trip text: integral values without a fraction, exponents as E+15. */
export function realText(x: string): string {
  return `CASE WHEN isfinite(${x}) AND ${x} = trunc(${x}) AND abs(${x}) < 1e15 THEN CAST(CAST(${x} AS BIGINT) AS VARCHAR) WHEN isnan(${x}) THEN 'NaN' WHEN ${x} = 'Infinity'::DOUBLE THEN 'Infinity' WHEN ${x} = '-Infinity'::DOUBLE THEN '-Infinity' ELSE upper(CAST(${x} AS VARCHAR)) END`;
}

/** A JSON value's text as tostring gives it: strings unquoted, reals as reals print, null as NULL. */
export function jsonText(j: string, at?: { base: string; path: string; text?: string }): string {
  // The formula names the value a dozen times: a computed one (split(...)[1], itself inside a
  // tostring...) is bound once through a lambda, or nested calls grow the SQL exponentially
  // (Sentinel's SecurityBridge parser nests three deep: minutes of planning).
  if (at === undefined && !/^("[^"]+"|__\w+)$/.test(j.trim())) return `list_transform([${j}], lambda __j: ${jsonText('__j')})[1]`;
  // json_extract_string already gives what Kusto prints for every JSON type but reals (strings
  // unquoted, null as NULL, bags and arrays as JSON text); reals print as tostring(real) does.
  // Given the document and path of a member (d.a.b), both read it there directly (its text may
  // have been read already).
  const text = at !== undefined ? at.text ?? `json_extract_string(${at.base}, ${at.path})` : `json_extract_string(${j}, '$')`;
  return textOfJson(text, at !== undefined ? `json_type(${at.base}, ${at.path})` : `json_type(${j})`);
}

/**
 * tostring of a JSON value, given its json_extract_string text and its json_type. Each json_*
 * call parses its document again, and that parse is nearly all the cost (even of a small
 * member), so the text is read once (DuckDB's common-subexpression elimination shares the
 * repeated expression) and the type is asked only when the text could be a real's: reals print
 * with a '.' or an exponent, as 19+ digits when too large for a long, or as NaN / Inf[inity]
 * in any case; a short integer is a long's, printed as Kusto does. The cheap checks come first
 * (a CASE condition stops at the first false term); a real's text casts back to the same double.
 */
export function textOfJson(text: string, type: string): string {
  const t = text;
  const numeric = `(${t} >= '-' AND ${t} < ':' AND (strlen(${t}) > 18 OR regexp_matches(${t}, '[^-0-9]')) AND TRY_CAST(${t} AS DOUBLE) IS NOT NULL)`;
  // ascii() first: lower() of every 3- or 8-byte word costs more than the rest of the check.
  const named = `(strlen(${t}) IN (3, 8) AND ascii(${t}) IN (73, 78, 105, 110) AND lower(${t}) IN ('nan', 'inf', 'infinity'))`;
  // The real's text through a lambda, so that the double is bound once: realText names it eight
  // times, and binding those copies was a third of the planning of a two-member summarize.
  const real = `list_transform([CAST(${t} AS DOUBLE)], lambda __x: ${realText('__x')})[1]`;
  return `CASE WHEN ${numeric} OR ${named} THEN (CASE WHEN ${type} = 'DOUBLE' THEN ${real} ELSE ${t} END) ELSE ${t} END`;
}

const ISO_DATE = String.raw`^\d{4}-\d{1,2}-\d{1,2}([T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$`;
const ISO_ZONED = String.raw`^\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$`;

/** RFC 822 / RFC 850 forms (with or without weekday, seconds, 2- or 4-digit years) in UTC. */
const RFC_FORMATS = ['%a, %d %b %y %H:%M:%S', '%a, %d %b %y %H:%M', '%d %b %y %H:%M:%S', '%d %b %y %H:%M',
  '%a, %d %b %Y %H:%M:%S', '%a, %d %b %Y %H:%M', '%d %b %Y %H:%M:%S', '%d %b %Y %H:%M',
  '%A, %d-%b-%y %H:%M:%S', '%A, %d-%b-%y %H:%M', '%d-%b-%y %H:%M:%S', '%d-%b-%y %H:%M'];

/** The invariant culture's month/day/year forms, which Kusto also reads ("02/17/2016 08:40:01"). */
const US_FORMATS = ['%m/%d/%Y %H:%M:%S.%f', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %I:%M %p', '%m/%d/%Y'];

/**
 * text -> TIMESTAMP (UTC) with todatetime's accepted forms: ISO 8601 and the sortable form (T or
 * space, optional seconds and fraction, Z, an offset or GMT; no zone means UTC), RFC 822 / 850,
 * and month/day/year. Anything else is null.
 */
export function parseDatetimeText(x: string): string {
  const t = `trim(${x})`;
  const noZone = `regexp_replace(${t}, '\\s+(GMT|UTC|UT|Z)$', '')`;
  const formats = (list: string[]) => `[${list.map((f) => `'${f}'`).join(', ')}]`;
  return `(CASE WHEN regexp_matches(${noZone}, '${ISO_DATE}') THEN TRY_CAST(${noZone} AS TIMESTAMP)`
    + ` WHEN regexp_matches(${t}, '${ISO_ZONED}') THEN timezone('UTC', TRY_CAST(${t} AS TIMESTAMPTZ))`
    + ` WHEN regexp_matches(${t}, '^[A-Za-z]{3,9},?\\s|^\\d{1,2}[\\s-][A-Za-z]{3}') THEN try_strptime(${noZone}, ${formats(RFC_FORMATS)})`
    + ` WHEN regexp_matches(${t}, '^\\d{1,2}/\\d{1,2}/\\d{4}') THEN try_strptime(${noZone}, ${formats(US_FORMATS)}) END)`;
}

const TIMESPAN_CLOCK = String.raw`^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$`;
const TIMESPAN_UNITS: [string, string][] = [
  ['d|day|days', '864000000000'], ['h|hr|hrs|hour|hours', '36000000000'], ['m|min|minute|minutes', '600000000'],
  ['s|sec|second|seconds', '10000000'], ['ms|milli|millis|millisecond|milliseconds', '10000'],
  ['microsecond|microseconds|micro|micros', '10'], ['tick|ticks', '1'],
];

/** text -> ticks with totimespan's forms: [-][d.]hh:mm[:ss[.fffffff]] and 1.5d, 30m, 100ms. */
export function parseTimespanText(x: string): string {
  const t = `trim(${x})`;
  const clock = `regexp_extract(${t}, '${TIMESPAN_CLOCK}', ['sign', 'd', 'h', 'm', 's', 'f'])`;
  const part = (name: string) => `coalesce(TRY_CAST(nullif(${clock}.${name}, '') AS BIGINT), 0)`;
  const clockTicks = `(${part('d')} * 864000000000 + ${part('h')} * 36000000000 + ${part('m')} * 600000000 + ${part('s')} * 10000000 + coalesce(TRY_CAST(nullif(rpad(${clock}.f, 7, '0'), '0000000') AS BIGINT), 0))`;
  const unitCases = TIMESPAN_UNITS.map(([names, ticks]) => `WHEN regexp_matches(${t}, '^-?\\d+(\\.\\d+)?\\s*(${names})$') THEN CAST(round(TRY_CAST(regexp_extract(${t}, '^(-?\\d+(\\.\\d+)?)', 1) AS DOUBLE) * ${ticks}) AS BIGINT)`).join(' ');
  return `(CASE WHEN regexp_matches(${t}, '${TIMESPAN_CLOCK}') THEN (CASE WHEN ${clock}.sign = '-' THEN -1 ELSE 1 END) * ${clockTicks} ${unitCases} END)`;
}

/** text -> DOUBLE: decimal and exponent forms, NaN and ±Infinity; anything else is null. */
export function parseRealText(x: string): string {
  const t = `trim(${x})`;
  return `(CASE WHEN regexp_matches(${t}, '^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$') THEN TRY_CAST(${t} AS DOUBLE) WHEN lower(${t}) IN ('nan', 'infinity', '+infinity', '-infinity') THEN TRY_CAST(${t} AS DOUBLE) END)`;
}

/** text -> BIGINT: an integer, or a decimal truncated towards zero ("12.7" is 12); out of range is null. */
export function parseLongText(x: string): string {
  const t = `trim(${x})`;
  return `(CASE WHEN regexp_matches(${t}, '^[+-]?\\d+$') THEN TRY_CAST(${t} AS BIGINT) ELSE TRY_CAST(trunc(${parseRealText(x)}) AS BIGINT) END)`;
}
