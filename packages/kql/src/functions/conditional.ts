// Conditionals and null/empty tests, with Kusto's rule that strings are never null ("" instead).
import { scalar } from './registry.ts';

scalar(['iff', 'iif'], ([p, a, b], c) => `(CASE WHEN ${p!.sql} THEN ${c.convert(a!, c.resultType)} ELSE ${c.convert(b!, c.resultType)} END)`);
scalar('case', (args, c) => {
  const parts: string[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) parts.push(`WHEN ${args[i]!.sql} THEN ${c.convert(args[i + 1]!, c.resultType)}`);
  return `(CASE ${parts.join(' ')} ELSE ${c.convert(args[args.length - 1]!, c.resultType)} END)`;
});
scalar('coalesce', (args, c) => {
  // "" counts as missing for strings in Kusto's coalesce.
  if (c.resultType === 'string') return `coalesce(${args.map((a) => `nullif(${c.convert(a, 'string')}, '')`).join(', ')}, '')`;
  return `coalesce(${args.map((a) => c.convert(a, c.resultType)).join(', ')})`;
});
scalar('isempty', ([x], c) => (x!.type === 'string' ? `(${x!.sql} = '')` : x!.type === 'dynamic' ? `(coalesce(json_extract_string(${x!.sql}, '$'), '') = '')` : `(${x!.sql} IS NULL)`));
scalar('isnotempty', ([x]) => (x!.type === 'string' ? `(${x!.sql} <> '')` : x!.type === 'dynamic' ? `(coalesce(json_extract_string(${x!.sql}, '$'), '') <> '')` : `(${x!.sql} IS NOT NULL)`));
scalar('isnull', ([x]) => (x!.type === 'string' ? 'FALSE' : x!.type === 'dynamic' ? `(${x!.sql} IS NULL OR json_type(${x!.sql}) = 'NULL')` : `(${x!.sql} IS NULL)`));
scalar('isnotnull', ([x]) => (x!.type === 'string' ? 'TRUE' : x!.type === 'dynamic' ? `(${x!.sql} IS NOT NULL AND json_type(${x!.sql}) <> 'NULL')` : `(${x!.sql} IS NOT NULL)`));
scalar('not', ([x]) => `(NOT ${x!.sql})`);
scalar('max_of', (args, c) => `greatest(${args.map((a) => c.convert(a, c.resultType)).join(', ')})`);
scalar('min_of', (args, c) => `least(${args.map((a) => c.convert(a, c.resultType)).join(', ')})`);
/** assert(condition, message): true, or the query fails with the message. */
scalar('assert', ([p, message], c) => `(CASE WHEN ${p!.sql} THEN TRUE ELSE error('Assertion failed: ' || ${c.convert(message!, 'string')}) END)`);
