// Internal functions of the parse, parse-where and parse-kv operators (plan/lower/parse.ts
// builds their patterns). The pattern is always a literal made by the compiler, so the engine
// compiles each regular expression once.
import { literalOf, scalar } from './registry.ts';

/**
 * The capture groups of a match as one value (a struct c1..cn), or NULL when the text does not
 * match: one regular-expression evaluation serves every column the pattern extracts.
 */
scalar('parse_match', ([text, pattern, groups], c) => {
  const n = Number(literalOf(groups!));
  if (!Number.isInteger(n) || n < 1) return c.unsupported('a parse pattern without columns');
  const names = Array.from({ length: n }, (_, i) => c.str(`c${i + 1}`)).join(', ');
  return `(CASE WHEN regexp_matches(${text!.sql}, ${pattern!.sql}) THEN regexp_extract(${text!.sql}, ${pattern!.sql}, [${names}]) END)`;
});

/** Whether a parse_match value is a match. */
scalar('parse_matched', ([match]) => `(${match!.sql} IS NOT NULL)`);

/** Group i (1-based) of a parse_match value; NULL when there was no match. */
scalar('parse_group', ([match, i]) => `${match!.sql}.${`c${Number(literalOf(i!))}`}`);

/** parse-kv with delimiters: the first group of the first match, trimmed; NULL when the key is absent. */
scalar('kv_value', ([text, pattern]) => `(CASE WHEN regexp_matches(${text!.sql}, ${pattern!.sql}) THEN trim(regexp_extract(${text!.sql}, ${pattern!.sql}, 1)) END)`);

/** parse-kv with regex=: the value (group 2) of the first match whose key (group 1) is `key`. */
scalar('kv_regex_value', ([text, pattern, key]) => `trim(list_extract(regexp_extract_all(${text!.sql}, ${pattern!.sql}, 2), list_position(list_transform(regexp_extract_all(${text!.sql}, ${pattern!.sql}, 1), lambda k: trim(k)), ${key!.sql})))`);
