// format_datetime and format_timespan: .NET-style custom format strings (yyyy-MM-dd HH:mm:ss.fff,
// dd.hh:mm:ss) compiled, at compile time, into a concatenation of SQL pieces. The format must be
// a literal; a specifier Kusto does not document is refused rather than printed differently.
import { literalOf, scalar, type SqlArg, type SqlContext } from './registry.ts';

interface Token {
  kind: 'literal' | 'field';
  text: string;
}

/** Separators Kusto's format strings accept between specifiers. */
const SEPARATORS = new Set([' ', '/', '-', ':', ',', '.', '_', '[', ']']);

function tokenize(format: string, letters: string, c: SqlContext, fn: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < format.length;) {
    const ch = format[i]!;
    if (letters.includes(ch)) {
      let j = i;
      while (format[j] === ch) j++;
      tokens.push({ kind: 'field', text: format.slice(i, j) });
      i = j;
    } else if (ch === '\\' && i + 1 < format.length) {
      tokens.push({ kind: 'literal', text: format[i + 1]! });
      i += 2;
    } else if (ch === "'" || ch === '"') {
      const end = format.indexOf(ch, i + 1);
      if (end < 0) return c.unsupported(`${fn} with an unterminated quote in its format`);
      tokens.push({ kind: 'literal', text: format.slice(i + 1, end) });
      i = end + 1;
    } else if (SEPARATORS.has(ch)) {
      tokens.push({ kind: 'literal', text: ch });
      i++;
    } else {
      return c.unsupported(`${fn} with '${ch}' in its format`, 'Use the documented specifiers and the separators space / - : , . _ [ ].');
    }
  }
  return tokens;
}

const pad = (sql: string, width: number) => `lpad(CAST(${sql} AS VARCHAR), ${width}, '0')`;
const plain = (sql: string) => `CAST(${sql} AS VARCHAR)`;

/** Fraction digits: `f` keeps n digits, `F` drops trailing zeros (and a '.' before nothing). */
function fraction(seven: string, spec: string): string {
  const digits = `substr(${seven}, 1, ${spec.length})`;
  return spec.startsWith('f') ? digits : `rtrim(${digits}, '0')`;
}

function assemble(tokens: Token[], field: (spec: string) => string, c: SqlContext): string {
  const pieces: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'literal') {
      // ".FFF" with a zero fraction prints nothing, the dot included (as .NET does).
      const next = tokens[i + 1];
      if (t.text === '.' && next?.kind === 'field' && next.text.startsWith('F')) {
        const digits = field(next.text);
        pieces.push(`(CASE WHEN ${digits} = '' THEN '' ELSE '.' || ${digits} END)`);
        i++;
        continue;
      }
      pieces.push(c.str(t.text));
    } else {
      pieces.push(field(t.text));
    }
  }
  return pieces.length === 0 ? "''" : pieces.join(' || ');
}

function literalFormat(arg: SqlArg, c: SqlContext, fn: string): string {
  const v = literalOf(arg);
  if (typeof v !== 'string') return c.unsupported(`${fn} with a computed format`, 'Write the format as a string literal.');
  return v;
}

scalar('format_datetime', ([x, f], c) => {
  const ts = c.convert(x!, 'datetime');
  const tokens = tokenize(literalFormat(f!, c, 'format_datetime'), 'yMdhHmsfFt', c, 'format_datetime');
  const seven = `(lpad(CAST(microsecond(${ts}) % 1000000 AS VARCHAR), 6, '0') || '0')`;
  const hour12 = `((hour(${ts}) + 11) % 12 + 1)`;
  const field = (spec: string): string => {
    const n = spec.length;
    switch (spec[0]) {
      case 'y': return n === 1 ? plain(`year(${ts}) % 100`) : n === 2 ? pad(`year(${ts}) % 100`, 2) : pad(`year(${ts})`, n);
      case 'M': return n === 1 ? plain(`month(${ts})`) : n === 2 ? pad(`month(${ts})`, 2) : n === 3 ? `strftime(${ts}, '%b')` : `strftime(${ts}, '%B')`;
      case 'd': return n === 1 ? plain(`day(${ts})`) : n === 2 ? pad(`day(${ts})`, 2) : n === 3 ? `strftime(${ts}, '%a')` : `strftime(${ts}, '%A')`;
      case 'h': return n === 1 ? plain(hour12) : pad(hour12, 2);
      case 'H': return n === 1 ? plain(`hour(${ts})`) : pad(`hour(${ts})`, 2);
      case 'm': return n === 1 ? plain(`minute(${ts})`) : pad(`minute(${ts})`, 2);
      case 's': return n === 1 ? plain(`second(${ts})`) : pad(`second(${ts})`, 2);
      case 'f': case 'F':
        if (n > 7) return c.unsupported(`format_datetime with '${spec}'`, 'At most seven fraction digits.');
        return fraction(seven, spec);
      case 't': return n === 1 ? `(CASE WHEN hour(${ts}) < 12 THEN 'A' ELSE 'P' END)` : `(CASE WHEN hour(${ts}) < 12 THEN 'AM' ELSE 'PM' END)`;
      default: return c.unsupported(`format_datetime with '${spec}'`);
    }
  };
  return `(CASE WHEN ${ts} IS NOT NULL THEN ${assemble(tokens, field, c)} END)`;
}, { nullableString: true });

scalar('format_timespan', ([x, f], c) => {
  const ticks = c.convert(x!, 'timespan');
  const tokens = tokenize(literalFormat(f!, c, 'format_timespan'), 'dhHmsfF', c, 'format_timespan');
  const t = `abs(${ticks})`;
  const seven = pad(`${t} % 10000000`, 7);
  const field = (spec: string): string => {
    const n = spec.length;
    switch (spec[0]) {
      case 'd': return n === 1 ? plain(`${t} // 864000000000`) : pad(`${t} // 864000000000`, n);
      case 'h': case 'H': return n === 1 ? plain(`${t} // 36000000000 % 24`) : pad(`${t} // 36000000000 % 24`, 2);
      case 'm': return n === 1 ? plain(`${t} // 600000000 % 60`) : pad(`${t} // 600000000 % 60`, 2);
      case 's': return n === 1 ? plain(`${t} // 10000000 % 60`) : pad(`${t} // 10000000 % 60`, 2);
      case 'f': case 'F':
        if (n > 7) return c.unsupported(`format_timespan with '${spec}'`, 'At most seven fraction digits.');
        return fraction(seven, spec);
      default: return c.unsupported(`format_timespan with '${spec}'`);
    }
  };
  return `(CASE WHEN ${ticks} IS NOT NULL THEN (CASE WHEN ${ticks} < 0 THEN '-' ELSE '' END) || ${assemble(tokens, field, c)} END)`;
}, { nullableString: true });
