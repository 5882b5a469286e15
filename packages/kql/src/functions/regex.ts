// Regular-expression functions. Kusto and DuckDB both use RE2, so patterns pass through as
// written; what differs is the shape of results (extract_all's arrays, "" for no match).
import { literalOf, scalar, type SqlArg, type SqlContext } from './registry.ts';
import { constant, listJson, text } from './sql-helpers.ts';

export interface RegexGroups {
  count: number;
  /** Named groups ((?P<name>...) or (?<name>...)) -> their number. */
  names: Map<string, number>;
}

/** The capture groups of an RE2 pattern (escapes, character classes and \Q...\E skipped). */
export function captureGroups(pattern: string): RegexGroups {
  const names = new Map<string, number>();
  let count = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      if (pattern[i + 1] === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        i = end < 0 ? pattern.length : end + 1;
      } else {
        i++;
      }
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      // A ']' first in the class (or after '^') is a literal.
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
      continue;
    }
    if (ch !== '(') continue;
    if (pattern[i + 1] !== '?') {
      count++;
      continue;
    }
    const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(pattern.slice(i));
    if (named !== null) names.set(named[1]!, ++count);
  }
  return { count, names };
}

function literalPattern(re: SqlArg, c: SqlContext, fn: string): string {
  const v = literalOf(re);
  if (typeof v !== 'string') return c.unsupported(`${fn} with a computed regular expression`, 'Write the regular expression as a string literal.');
  return v;
}

/** extract(regex, captureGroup, source [, typeof(T)]): "" (or null when typed) without a match. */
scalar('extract', ([re, group, x], c) => {
  const g = constant(group, c, 'The capture group of extract');
  const pattern = literalOf(re!);
  const index = Number(g);
  // A group the pattern does not have never takes part in a match: Kusto (on .NET's group
  // semantics) gives "" for it, as for a group that did not participate, where RE2 would throw.
  // Sentinel's UniFi parser relies on it (`extract(@'...\s(.+):', 2, Message)`).
  const sql = typeof pattern === 'string' && index > captureGroups(pattern).count
    ? `''`
    : `regexp_extract(${text(x!, c)}, ${text(re!, c)}, ${index})`;
  if (c.resultType === 'string') return sql;
  // No match (or an empty capture) converts as null.
  return c.convert({ sql: `nullif(${sql}, '')`, type: 'string', scalar: { kind: 'column', name: '', type: 'string' } }, c.resultType);
}, { nullableString: true });

/**
 * extract_all(regex, [captureGroups,] source): every match, as an array of the one group or an
 * array of arrays of the groups; null without a match. Each group's matches come from the same
 * scan of the same text, so the i-th elements of the per-group lists belong to the same match.
 */
scalar(['extract_all', 'extractall'], (args, c) => {
  const [re, selection, x] = args.length === 3 ? args : [args[0], undefined, args[1]];
  const pattern = literalPattern(re!, c, 'extract_all');
  const groups = captureGroups(pattern);
  let wanted: number[];
  if (selection === undefined) {
    wanted = groups.count === 0 ? [0] : Array.from({ length: groups.count }, (_, i) => i + 1);
  } else {
    const list = literalOf(selection);
    if (typeof list !== 'string') return c.unsupported('extract_all with computed capture groups');
    wanted = (JSON.parse(list) as unknown[]).map((g) => {
      const n = typeof g === 'string' ? groups.names.get(g) : Number(g);
      if (n === undefined || !Number.isInteger(n) || n < 1 || n > groups.count) return c.unsupported(`extract_all capture group ${JSON.stringify(g)}`, 'Name groups the pattern has, or number them from 1.');
      return n;
    });
  }
  const source = text(x!, c);
  const lists = wanted.map((g) => `regexp_extract_all(${source}, ${c.str(pattern)}, ${g})`);
  // A group that took no part in a match is "".
  const item = (list: string) => `coalesce(${list}[__m], '')`;
  const body = wanted.length === 1
    ? `list_transform(${lists[0]}, __v -> coalesce(__v, ''))`
    : `list_transform(range(1, len(${lists[0]}) + 1), __m -> [${lists.map(item).join(', ')}])`;
  return `(CASE WHEN len(${lists[0]}) = 0 THEN NULL ELSE ${listJson(body)} END)`;
});

// Kusto's rewrite refers to groups as \1..\9 (and \0), as RE2 does.
const replaceRegex = (x: SqlArg, re: SqlArg, to: SqlArg, c: SqlContext) => `regexp_replace(${text(x, c)}, ${text(re, c)}, ${text(to, c)}, 'g')`;
scalar('replace_regex', ([x, re, to], c) => replaceRegex(x!, re!, to!, c), { nullableString: true });
// The deprecated replace() takes its arguments in another order: (regex, rewrite, text).
scalar('replace', ([re, to, x], c) => replaceRegex(x!, re!, to!, c), { nullableString: true });

/** trim*(regex, source): leading and/or trailing runs of matches removed. */
function trimmed(x: SqlArg, re: SqlArg, c: SqlContext, start: boolean, end: boolean): string {
  const v = literalOf(re);
  const wrap = (p: string) => [start ? `^(?:${p})+` : '', end ? `(?:${p})+$` : ''].filter(Boolean).join('|');
  const pattern = typeof v === 'string' ? c.str(wrap(v)) : [start ? `'^(?:' || ${text(re, c)} || ')+'` : '', end ? `'(?:' || ${text(re, c)} || ')+$'` : ''].filter(Boolean).join(" || '|' || ");
  return `regexp_replace(${text(x, c)}, ${pattern}, '', 'g')`;
}
scalar('trim', ([re, x], c) => trimmed(x!, re!, c, true, true), { nullableString: true });
scalar('trim_start', ([re, x], c) => trimmed(x!, re!, c, true, false), { nullableString: true });
scalar('trim_end', ([re, x], c) => trimmed(x!, re!, c, false, true), { nullableString: true });

/** indexof_regex(source, regex): zero-based position of the first match, -1 without one. */
scalar('indexof_regex', ([x, re, ...rest], c) => {
  if (rest.length > 0) return c.unsupported('indexof_regex with a start, length or occurrence');
  const pattern = literalPattern(re!, c, 'indexof_regex');
  // The shortest prefix after which the pattern matches is the leftmost match's position.
  const prefix = `regexp_extract(${text(x!, c)}, ${c.str(`(?s)^(.*?)(?:${pattern})`)}, 1)`;
  return `CAST(CASE WHEN regexp_matches(${text(x!, c)}, ${c.str(pattern)}) THEN length(${prefix}) ELSE -1 END AS BIGINT)`;
});

scalar('regex_quote', ([x], c) => `regexp_replace(${text(x!, c)}, '([\\\\^$.|?*+()\\[\\]{}])', '\\\\\\1', 'g')`);
