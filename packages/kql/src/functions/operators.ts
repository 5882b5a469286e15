// KQL's operators: arithmetic with datetime/timespan rules, comparisons, Kusto's string
// predicates (term semantics of `has`, case rules of `==`/`=~`), `in`, `between`, logic.
import { elementEquals } from './dynamic.ts';
import { literalOf, regexEscape, scalar, type SqlArg, type SqlContext } from './registry.ts';
import { elementText, jsonList, plusTicks } from './sql-helpers.ts';

const isInteger = (a: SqlArg) => a.type === 'int' || a.type === 'long';


scalar('op:+', ([a, b], c) => {
  if (a!.type === 'datetime' && b!.type === 'timespan') return plusTicks(a!.sql, b!.sql);
  if (a!.type === 'timespan' && b!.type === 'datetime') return plusTicks(b!.sql, a!.sql);
  return `(${a!.sql} + ${b!.sql})`;
});

scalar('op:-', ([a, b]) => {
  if (a!.type === 'datetime' && b!.type === 'timespan') return `(${a!.sql} - to_microseconds(CAST((${b!.sql}) // 10 AS BIGINT)))`;
  if (a!.type === 'datetime' && b!.type === 'datetime') return `((epoch_us(${a!.sql}) - epoch_us(${b!.sql})) * 10)`;
  return `(${a!.sql} - ${b!.sql})`;
});

scalar('op:*', ([a, b], c) => {
  if (c.resultType === 'timespan') return `CAST(round(${a!.sql} * ${b!.sql}) AS BIGINT)`;
  return `(${a!.sql} * ${b!.sql})`;
});

scalar('op:/', ([a, b], c) => {
  // timespan / timespan is a real; timespan / number a timespan; integer / integer truncates.
  if (a!.type === 'timespan' && b!.type === 'timespan') return `(CAST(${a!.sql} AS DOUBLE) / ${b!.sql})`;
  if (c.resultType === 'timespan') return `CAST(trunc(${a!.sql} / ${b!.sql}) AS BIGINT)`;
  if (isInteger(a!) && isInteger(b!)) return `CAST(trunc(${a!.sql} / ${b!.sql}) AS ${c.sqlType(c.resultType)})`;
  return `(CAST(${a!.sql} AS DOUBLE) / ${b!.sql})`;
});

scalar('op:%', ([a, b]) => `(${a!.sql} % ${b!.sql})`);
scalar('op:neg', ([a]) => `(-${a!.sql})`);

const isNumber = (a: SqlArg) => a.type === 'int' || a.type === 'long' || a.type === 'real' || a.type === 'decimal';

/**
 * Two operands made comparable: dynamic is converted to the other side's type. A string and a
 * number (SigninLogs' `ResultType == 0`) compare as text for equality and as numbers for order,
 * so that text that is not a number never makes the engine fail.
 */
function comparable(a: SqlArg, b: SqlArg, c: SqlContext, equality: boolean): [string, string] {
  if (a.type === 'dynamic' && b.type !== 'dynamic') return [c.convert(a, b.type), b.sql];
  if (b.type === 'dynamic' && a.type !== 'dynamic') return [a.sql, c.convert(b, a.type)];
  if (a.type === 'guid' && b.type === 'string') return [`CAST(${a.sql} AS VARCHAR)`, `lower(${b.sql})`];
  if (b.type === 'guid' && a.type === 'string') return [`lower(${a.sql})`, `CAST(${b.sql} AS VARCHAR)`];
  if (a.type === 'string' && isNumber(b)) return equality ? [a.sql, c.convert(b, 'string')] : [c.convert(a, 'real'), b.sql];
  if (b.type === 'string' && isNumber(a)) return equality ? [c.convert(a, 'string'), b.sql] : [a.sql, c.convert(b, 'real')];
  return [a.sql, b.sql];
}

const isNullLiteral = (a: SqlArg) => a.scalar.kind === 'literal' && a.scalar.value === null;

for (const [op, sqlOp] of [['==', '='], ['!=', '<>'], ['<>', '<>'], ['<', '<'], ['<=', '<='], ['>', '>'], ['>=', '>=']] as const) {
  scalar(`op:${op}`, ([a, b], c) => {
    // Kusto: a value compared equal to null is false (unequal true); null against null is null.
    if ((op === '==' || op === '!=' || op === '<>') && (isNullLiteral(a!) || isNullLiteral(b!))) {
      const other = isNullLiteral(b!) ? a! : b!;
      return `(CASE WHEN ${other.sql} IS NULL THEN NULL ELSE ${op === '==' ? 'FALSE' : 'TRUE'} END)`;
    }
    const [x, y] = comparable(a!, b!, c, op === '==' || op === '!=' || op === '<>');
    return `(${x} ${sqlOp} ${y})`;
  });
}

/** lower() of a string argument, folded for literals. */
const lowered = (a: SqlArg, c: SqlContext) => {
  const v = literalOf(a);
  return typeof v === 'string' ? c.str(v.toLowerCase()) : `lower(${a.sql})`;
};
const asString = (a: SqlArg, c: SqlContext) => (a.type === 'string' ? a.sql : c.convert(a, 'string'));
const asStringArg = (a: SqlArg, c: SqlContext): SqlArg => ({ ...a, sql: asString(a, c), type: 'string' });

scalar('op:=~', ([a, b], c) => `(${lowered(asStringArg(a!, c), c)} = ${lowered(asStringArg(b!, c), c)})`);
scalar('op:!~', ([a, b], c) => `(${lowered(asStringArg(a!, c), c)} <> ${lowered(asStringArg(b!, c), c)})`);

scalar('op:and', ([a, b]) => `(${a!.sql} AND ${b!.sql})`);
scalar('op:or', ([a, b]) => `(${a!.sql} OR ${b!.sql})`);

/** A LIKE pattern matching `text` literally (with `\` as the escape character). */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/**
 * `hay ILIKE pattern` matching `needle` literally between the given wildcards. The ESCAPE clause
 * only when the needle needs it: with it DuckDB leaves its fast substring path (measured: a
 * term search over 10M rows 120 -> 210 ms).
 */
function ilike(hay: string, before: string, needle: string, after: string, c: SqlContext): string {
  if (!/[\\%_]/.test(needle)) return `(${hay} ILIKE ${c.str(`${before}${needle}${after}`)})`;
  return `(${hay} ILIKE ${c.str(`${before}${likeEscape(needle)}${after}`)} ESCAPE '\\')`;
}

/**
 * String predicates. `needle` must usually be a constant (it is in every real rule); a column
 * needle goes through the general functions.
 */
function stringPredicate(name: string, build: (hay: string, needle: string | undefined, needleSql: string, c: SqlContext) => string): void {
  scalar(`op:${name}`, ([a, b], c) => {
    const hay = asString(a!, c);
    const v = literalOf(b!);
    return build(hay, typeof v === 'string' ? v : v === null || v === undefined ? undefined : String(v), asString(b!, c), c);
  });
  scalar(`op:!${name}`, (args, c) => `(NOT ${scalarNegatable(name, args, c)})`);
}

/** Kusto terms are runs of ASCII letters and digits: `has` matches a whole term (or run of terms). */
const NOT_TERM = '[^0-9A-Za-z]';

function termRegex(needle: string, prefix: boolean, suffix: boolean, caseSensitive: boolean): string {
  const flags = caseSensitive ? '' : '(?i)';
  const left = needle.length > 0 && /^[0-9A-Za-z]/.test(needle) ? `(^|${NOT_TERM})` : '';
  const right = needle.length > 0 && /[0-9A-Za-z]$/.test(needle) ? `($|${NOT_TERM})` : '';
  return `${flags}${prefix ? left : ''}${regexEscape(needle)}${suffix ? right : ''}`;
}

/**
 * `has` with a needle known only when running: the regex is built per row, with a term
 * boundary on a side only where the needle has a letter or digit (as termRegex does).
 */
function runtimeHas(hay: string, needle: string, caseSensitive: boolean, prefix = true, suffix = true): string {
  const escaped = `regexp_replace(${needle}, '([\\\\^$.|?*+()\\[\\]{}])', '\\\\\\1', 'g')`;
  const left = prefix ? `CASE WHEN regexp_matches(${needle}, '^[0-9A-Za-z]') THEN '(^|${NOT_TERM})' ELSE '' END` : "''";
  const right = suffix ? `CASE WHEN regexp_matches(${needle}, '[0-9A-Za-z]$') THEN '($|${NOT_TERM})' ELSE '' END` : "''";
  return `(${needle} = '' OR regexp_matches(${hay}, '${caseSensitive ? '' : '(?i)'}' || ${left} || ${escaped} || ${right}))`;
}

function hasSql(hay: string, needle: string | undefined, needleSql: string, c: SqlContext, caseSensitive: boolean, prefix = true, suffix = true): string {
  if (needle === undefined) return runtimeHas(hay, needleSql, caseSensitive, prefix, suffix);
  if (needle === '') return 'TRUE';
  // A substring test first (cheap, vectorised), the term boundary check only on candidates.
  const contains = caseSensitive ? `contains(${hay}, ${c.str(needle)})` : ilike(hay, '%', needle, '%', c);
  return `(${contains} AND regexp_matches(${hay}, ${c.str(termRegex(needle, prefix, suffix, caseSensitive))}))`;
}

stringPredicate('has', (h, n, ns, c) => hasSql(h, n, ns, c, false));
stringPredicate('has_cs', (h, n, ns, c) => hasSql(h, n, ns, c, true));
stringPredicate('hasprefix', (h, n, ns, c) => hasSql(h, n, ns, c, false, true, false));
stringPredicate('hasprefix_cs', (h, n, ns, c) => hasSql(h, n, ns, c, true, true, false));
stringPredicate('hassuffix', (h, n, ns, c) => hasSql(h, n, ns, c, false, false, true));
stringPredicate('hassuffix_cs', (h, n, ns, c) => hasSql(h, n, ns, c, true, false, true));
stringPredicate('contains', (h, n, ns, c) => (n !== undefined ? ilike(h, '%', n, '%', c) : `contains(lower(${h}), lower(${ns}))`));
stringPredicate('contains_cs', (h, n, ns, c) => `contains(${h}, ${n !== undefined ? c.str(n) : ns})`);
stringPredicate('startswith', (h, n, ns, c) => (n !== undefined ? ilike(h, '', n, '%', c) : `starts_with(lower(${h}), lower(${ns}))`));
stringPredicate('startswith_cs', (h, n, ns, c) => `starts_with(${h}, ${n !== undefined ? c.str(n) : ns})`);
stringPredicate('endswith', (h, n, ns, c) => (n !== undefined ? ilike(h, '%', n, '', c) : `suffix(lower(${h}), lower(${ns}))`));
stringPredicate('endswith_cs', (h, n, ns, c) => `suffix(${h}, ${n !== undefined ? c.str(n) : ns})`);
stringPredicate('like', (h, n, ns, c) => `(${h} ILIKE ${n !== undefined ? c.str(n) : ns})`);
stringPredicate('like_cs', (h, n, ns, c) => `(${h} LIKE ${n !== undefined ? c.str(n) : ns})`);
stringPredicate('matches regex', (h, n, ns, c) => `regexp_matches(${h}, ${n !== undefined ? c.str(n) : ns})`);

/** The positive form of a predicate registered by stringPredicate, for its `!` twin. */
function scalarNegatable(name: string, args: SqlArg[], c: SqlContext): string {
  const hay = asString(args[0]!, c);
  const v = literalOf(args[1]!);
  const needle = typeof v === 'string' ? v : undefined;
  const ns = asString(args[1]!, c);
  switch (name) {
    case 'has': return hasSql(hay, needle, ns, c, false);
    case 'has_cs': return hasSql(hay, needle, ns, c, true);
    case 'hasprefix': return hasSql(hay, needle, ns, c, false, true, false);
    case 'hasprefix_cs': return hasSql(hay, needle, ns, c, true, true, false);
    case 'hassuffix': return hasSql(hay, needle, ns, c, false, false, true);
    case 'hassuffix_cs': return hasSql(hay, needle, ns, c, true, false, true);
    case 'contains': return needle !== undefined ? ilike(hay, '%', needle, '%', c) : `contains(lower(${hay}), lower(${ns}))`;
    case 'contains_cs': return `contains(${hay}, ${needle !== undefined ? c.str(needle) : ns})`;
    case 'startswith': return needle !== undefined ? ilike(hay, '', needle, '%', c) : `starts_with(lower(${hay}), lower(${ns}))`;
    case 'startswith_cs': return `starts_with(${hay}, ${needle !== undefined ? c.str(needle) : ns})`;
    case 'endswith': return needle !== undefined ? ilike(hay, '%', needle, '', c) : `suffix(lower(${hay}), lower(${ns}))`;
    case 'endswith_cs': return `suffix(${hay}, ${needle !== undefined ? c.str(needle) : ns})`;
    case 'like': return `(${hay} ILIKE ${needle !== undefined ? c.str(needle) : ns})`;
    case 'like_cs': return `(${hay} LIKE ${needle !== undefined ? c.str(needle) : ns})`;
    case 'matches regex': return `regexp_matches(${hay}, ${needle !== undefined ? c.str(needle) : ns})`;
    default: return c.unsupported(`The operator '!${name}'`);
  }
}

/** `x in (a, b)` / `in~` / `!in` / `!in~`; a subquery argument means `in (T | project c)`. */
function inList([x, ...items]: SqlArg[], c: SqlContext, caseInsensitive: boolean): string {
  if (items.length === 1 && items[0]!.scalar.kind === 'subquery') {
    let sub = items[0]!.sql;
    if (items[0]!.type === 'dynamic') {
      // A dynamic column (`summarize make_list(x)`, then `y in (that)`): arrays are flattened, as
      // Kusto flattens nested arrays in an `in` list (four levels deep here; deeper arrays
      // compare as their JSON text), and values compare as text.
      let from = `(${sub}) AS __s0(__v0)`;
      for (let i = 1; i <= 4; i++) {
        const v = `__v${i - 1}`;
        from = `(SELECT unnest(CASE WHEN json_type(${v}) = 'ARRAY' THEN CAST(${v} AS JSON[]) ELSE [${v}] END) AS __v${i} FROM ${from}) AS __s${i}`;
      }
      sub = `SELECT json_extract_string(__v4, '$') FROM ${from}`;
      const left = caseInsensitive ? `lower(${asString(x!, c)})` : asString(x!, c);
      return caseInsensitive ? `(${left} IN (SELECT lower(v) FROM (${sub}) AS s(v)))` : `(${left} IN (${sub}))`;
    }
    const left = caseInsensitive ? `lower(${asString(x!, c)})` : x!.sql;
    return caseInsensitive ? `(${left} IN (SELECT lower(CAST(v AS VARCHAR)) FROM (${sub}) AS s(v)))` : `(${left} IN (${sub}))`;
  }
  // Dynamic array literals in the list are flattened (x in (dynamic(["a","b"])) is common);
  // computed arrays (a function's dynamic parameter) are searched when running.
  const values: SqlArg[] = [];
  const computed: string[] = [];
  for (const item of items) {
    const v = literalOf(item);
    if (item.type === 'dynamic' && typeof v === 'string' && v.startsWith('[')) {
      for (const e of JSON.parse(v) as unknown[]) {
        const text = typeof e === 'string' ? e : JSON.stringify(e);
        const type = typeof e === 'string' ? 'string' : typeof e === 'number' ? (Number.isInteger(e) ? 'long' : 'real') : 'string';
        values.push({ sql: typeof e === 'string' ? c.str(e) : text, type, scalar: { kind: 'literal', value: typeof e === 'number' ? e : text, type } });
      }
    } else if (item.type === 'dynamic') {
      computed.push(item.sql);
    } else {
      values.push(item);
    }
  }
  const tests = computed.map((list) => {
    const member = caseInsensitive || x!.type === 'string' || x!.type === 'guid'
      ? (caseInsensitive ? `lower(${elementText('__e')}) = lower(${asString(x!, c)})` : `${elementText('__e')} = ${asString(x!, c)}`)
      : elementEquals('__e', x!, c);
    return `coalesce(len(list_filter(${jsonList(list)}, __e -> ${member})) > 0, FALSE)`;
  });
  if (values.length > 0) tests.unshift(inValues(x!, values, c, caseInsensitive));
  return tests.length === 0 ? 'FALSE' : tests.length === 1 ? tests[0]! : `(${tests.join(' OR ')})`;
}

function inValues(x: SqlArg, values: SqlArg[], c: SqlContext, caseInsensitive: boolean): string {
  if (caseInsensitive) {
    return `(lower(${asString(x, c)}) IN (${values.map((v) => lowered(asStringArg(v, c), c)).join(', ')}))`;
  }
  // A number among text values (or text among numbers) compares as text.
  if ((x.type === 'long' || x.type === 'int' || x.type === 'real' || x.type === 'decimal') && values.some((v) => v.type === 'string')) {
    const numbers = values.filter((v) => v.type !== 'string');
    const texts = values.filter((v) => v.type === 'string');
    const parts = [...(numbers.length > 0 ? [inValues(x, numbers, c, false)] : []), `(${c.convert(x, 'string')} IN (${texts.map((v) => v.sql).join(', ')}))`];
    return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
  }
  const left = x.type === 'dynamic' ? c.convert(x, values[0]!.type) : x.type === 'guid' ? `CAST(${x.sql} AS VARCHAR)` : x.sql;
  const right = values.map((v) => (x.type === 'string' && v.type !== 'string' ? c.convert(v, 'string') : v.sql));
  return `(${left} IN (${right.join(', ')}))`;
}

scalar('op:in', (args, c) => inList(args, c, false));
scalar('op:in~', (args, c) => inList(args, c, true));
scalar('op:!in', (args, c) => `(NOT ${inList(args, c, false)})`);
scalar('op:!in~', (args, c) => `(NOT ${inList(args, c, true)})`);

/** has_any / has_all: terms from the list (literal arrays flattened); computed arrays' elements as text. */
function terms(items: SqlArg[], c: SqlContext): { literal: string[]; computed: string[] } {
  const literal: string[] = [];
  const computed: string[] = [];
  for (const item of items) {
    const v = literalOf(item);
    if (item.type === 'dynamic' && typeof v === 'string') {
      // A literal array's elements; a literal dynamic scalar is one term (a string's text, not its JSON).
      const value = JSON.parse(v) as unknown;
      for (const e of Array.isArray(value) ? value : [value]) literal.push(typeof e === 'string' ? e : JSON.stringify(e));
    } else if (typeof v === 'string') literal.push(v);
    else if (typeof v === 'number' || typeof v === 'bigint') literal.push(String(v));
    else if (item.scalar.kind === 'subquery') computed.push(`(SELECT coalesce(list(CAST(v AS VARCHAR)), []) FROM (${item.sql}) AS s(v))`);
    else if (item.type === 'dynamic') computed.push(`list_transform(${jsonList(item.sql)}, __e -> ${elementText('__e')})`);
    else computed.push(`[${asString(item, c)}]`);
  }
  return { literal, computed };
}

scalar('op:has_any', ([x, ...items], c) => {
  const { literal, computed } = terms(items, c);
  const list = literal.filter((t) => t !== '');
  const hay = asString(x!, c);
  const tests: string[] = [];
  // One regex for the literal terms, each with the boundaries its own edges call for.
  if (list.length > 0) tests.push(`regexp_matches(${hay}, ${c.str(`(?i)(?:${list.map((t) => termRegex(t, true, true, true)).join('|')})`)})`);
  for (const l of computed) tests.push(`coalesce(len(list_filter(${l}, __t -> __t <> '' AND ${runtimeHas(hay, '__t', false)})) > 0, FALSE)`);
  return tests.length === 0 ? 'FALSE' : `(${tests.join(' OR ')})`;
});
scalar('op:has_all', ([x, ...items], c) => {
  const { literal, computed } = terms(items, c);
  const hay = asString(x!, c);
  const tests = literal.map((t) => hasSql(hay, t, '', c, false));
  for (const l of computed) tests.push(`coalesce(len(list_filter(${l}, __t -> NOT ${runtimeHas(hay, '__t', false)})) = 0, TRUE)`);
  return tests.length === 0 ? 'TRUE' : `(${tests.join(' AND ')})`;
});

scalar('op:between', ([x, lo, hi]) => {
  if (x!.type === 'datetime' && hi!.type === 'timespan') return `(${x!.sql} BETWEEN ${lo!.sql} AND ${plusTicks(lo!.sql, hi!.sql)})`;
  return `(${x!.sql} BETWEEN ${lo!.sql} AND ${hi!.sql})`;
});
scalar('op:!between', ([x, lo, hi]) => {
  if (x!.type === 'datetime' && hi!.type === 'timespan') return `(${x!.sql} NOT BETWEEN ${lo!.sql} AND ${plusTicks(lo!.sql, hi!.sql)})`;
  return `(${x!.sql} NOT BETWEEN ${lo!.sql} AND ${hi!.sql})`;
});

