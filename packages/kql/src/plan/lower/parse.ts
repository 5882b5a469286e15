// parse, parse-where and parse-kv. The pattern becomes one regular expression whose groups are
// the columns; one match per row (a helper column) feeds every column.
//   kind=simple (default): literals match as written, the whole text must match, `*` and
//     string columns take as little as they can; a typed column must convert, else the whole
//     parse fails (every column null, strings "").
//   kind=relaxed: as simple, but a column that does not convert is null on its own.
//   kind=regex: literals are regular expressions, string columns take as much as they can
//     (flags=U reverses it); the documentation's examples show that greediness.
// parse-where keeps only the rows whose text parsed.
import { regexEscape } from '../../functions/registry.ts';
import { kindOf, listOf, type KNode } from '../../syntax/kusto-runtime.ts';
import { kqlTypeOf } from '../../syntax/symbols.ts';
import type { KqlType } from '../../types.ts';
import type { Lowerer } from '../lower.ts';
import { call, col, lit, passThrough, type Named, type Relation, type Scalar } from '../nodes.ts';
import type { Scope } from '../scope.ts';
import { fail, outputOf, parametersOf, semantic, uniqueColumns } from './context.ts';

/** What a typed column's text must look like; the conversion then decides. */
const TYPE_PATTERN: Partial<Record<KqlType, string>> = {
  long: '-?\\d+', int: '-?\\d+', real: '-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?', decimal: '-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?',
  bool: '(?i:true|false)',
};

interface Capture { name: string; type: KqlType }

export function lowerParse(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  // A parsed column named like an input column comes after it as Name1 (as the analyser names it downstream).
  const columns = uniqueColumns(outputOf(op));
  const where = kindOf(op) === 'ParseWhereOperator';
  let mode: 'simple' | 'relaxed' | 'regex' = 'simple';
  let flags = '';
  for (const p of parametersOf(op.Parameters)) {
    if (p.name === 'kind') {
      const v = p.text.toLowerCase();
      if (v !== 'simple' && v !== 'relaxed' && v !== 'regex') return fail(p.node, `parse kind=${p.text}`);
      mode = v;
    } else if (p.name === 'flags') {
      flags = String(p.value);
      if (!/^[imsU]*$/.test(flags)) return fail(p.node, `parse flags=${flags}`, 'Use the flags i, m, s and U.');
    } else {
      fail(p.node, `The parse parameter '${p.name}'`);
    }
  }
  if (flags !== '' && mode !== 'regex') return fail(op, 'parse flags without kind=regex');
  const text = lx.scalar(op.Expression, scope, input);
  const source = text.type === 'string' ? text : call('tostring', 'string', text);
  const captures: Capture[] = [];
  let pattern = '';
  const greedy = mode === 'regex' && !flags.includes('U');
  for (const e of listOf(op.Patterns)) {
    const kind = kindOf(e);
    if (kind === 'StarExpression') pattern += '.*?';
    else if (kind === 'StringLiteralExpression' || kind === 'CompoundStringLiteralExpression') {
      const value = String(e.LiteralValue ?? '');
      pattern += mode === 'regex' ? `(?:${nonCapturing(value, e)})` : regexEscape(value);
    } else if (kind === 'NameDeclaration' || kind === 'NameAndTypeDeclaration') {
      const decl = kind === 'NameDeclaration' ? e : e.Name;
      const name = String(decl.SimpleName);
      const type = kqlTypeOf(decl.ResultType) ?? columns.find((c) => c.name === name)?.type ?? 'string';
      captures.push({ name, type });
      // Relaxed: a column takes what is there, and is null when that does not convert.
      const typed = mode === 'relaxed' ? undefined : TYPE_PATTERN[type];
      pattern += `(${typed ?? (type === 'string' && greedy ? '.*' : '.*?')})`;
    } else {
      return fail(e, `This parse pattern element (${kind})`);
    }
  }
  if (captures.length === 0) return fail(op, 'A parse pattern without columns');
  // Simple and relaxed patterns match the whole text; `.` crosses line ends (events are often multi-line).
  const regex = mode === 'regex' ? `${flags ? `(?${flags})` : ''}${pattern}` : `(?s)^${pattern}$`;
  return parseColumns(lx, input, columns, source, regex, captures, mode === 'relaxed' ? 'relaxed' : 'strict', where);
}

/**
 * The parsed columns added to `input`. strict: a typed column that does not convert fails the
 * whole row's parse; relaxed: only that column is null.
 */
function parseColumns(lx: Lowerer, input: Relation, columns: { name: string; type: KqlType }[], source: Scalar, regex: string,
  captures: Capture[], mode: 'strict' | 'relaxed', where: boolean): Relation {
  const id = lx.newId('');
  const matchName = `__parse${id}`;
  const match: Named = { name: matchName, expr: call('parse_match', 'dynamic', source, lit(regex, 'string'), lit(BigInt(captures.length), 'long')) };
  const level1: Relation = { kind: 'project', input, exprs: [...passThrough(input.columns), match], columns: [...input.columns, { name: matchName, type: 'dynamic' }] };
  // Level 2: each group converted to its column's type.
  const values: Named[] = captures.map((c, i) => {
    const group = call('parse_group', 'string', col(matchName, 'dynamic'), lit(BigInt(i + 1), 'long'));
    return { name: `__v${id}_${i}`, expr: c.type === 'string' ? group : call('convert', c.type, group) };
  });
  const level2: Relation = {
    kind: 'project', input: level1, exprs: [...passThrough(level1.columns), ...values],
    columns: [...level1.columns, ...values.map((v) => ({ name: v.name, type: v.expr.type }))],
  };
  const matched: Scalar = call('parse_matched', 'bool', col(matchName, 'dynamic'));
  let ok = matched;
  if (mode === 'strict') {
    for (const v of values) if (v.expr.type !== 'string') ok = call('op:and', 'bool', ok, call('isnotnull', 'bool', col(v.name, v.expr.type)));
  }
  let body: Relation = level2;
  if (where) body = { kind: 'filter', input: level2, predicate: ok, columns: level2.columns };
  // The analyser appends the parsed columns in the pattern's order.
  const first = columns.length - captures.length;
  const exprs: Named[] = columns.map((c, j) => {
    if (j < first) return { name: c.name, expr: col(c.name, c.type) };
    const parsed = { value: col(values[j - first]!.name, values[j - first]!.expr.type) };
    // A failed parse gives null, which for strings is "".
    const holds = mode === 'relaxed' ? matched : ok;
    if (where && mode !== 'relaxed') return { name: c.name, expr: parsed.value };
    return { name: c.name, expr: call('iff', c.type, holds, parsed.value, lit(c.type === 'string' ? '' : null, c.type)) };
  });
  return { kind: 'project', input: body, exprs, columns };
}

/** A user's regular expression with its capturing groups made non-capturing (ours are the columns). */
function nonCapturing(re: string, at: KNode): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const ch = re[i]!;
    if (ch === '\\') { out += ch + (re[i + 1] ?? ''); i++; continue; }
    if (inClass) { if (ch === ']') inClass = false; out += ch; continue; }
    if (ch === '[') { inClass = true; out += ch; continue; }
    if (ch === '(' && re[i + 1] !== '?') { out += '(?:'; continue; }
    if (ch === '(' && re[i + 1] === '?' && re[i + 2] === 'P') return fail(at, 'A named group in a parse pattern');
    out += ch;
  }
  return out;
}

/**
 * parse-kv: with (pair_delimiter=, kv_delimiter= [, greedy=true]) or with (regex=). The first
 * occurrence of each key counts; keys and values are trimmed; an absent key gives null ("").
 */
export function lowerParseKv(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  const columns = uniqueColumns(outputOf(op));
  const text = lx.scalar(op.Expression, scope, input);
  const source = text.type === 'string' ? text : call('tostring', 'string', text);
  const keys = listOf(op.Keys.Columns).map((k: KNode) => {
    const decl = k.Name;
    const name = String(decl.SimpleName);
    return { name, type: kqlTypeOf(decl.ResultType) ?? columns.find((c) => c.name === name)?.type ?? 'string' };
  });
  const props = new Map<string, { value: string; node: KNode }>();
  for (const p of parametersOf(op.WithClause?.Properties)) {
    if (props.has(p.name)) return fail(p.node, `parse-kv with ${p.name} given twice`);
    props.set(p.name, { value: String(p.value), node: p.node });
  }
  for (const [name, p] of props) {
    if (!['pair_delimiter', 'kv_delimiter', 'greedy', 'regex'].includes(name)) {
      return fail(p.node, `parse-kv with ${name}`, name === 'quote' || name === 'escape' ? 'Quoted values are not supported yet: use parse or extract().' : undefined);
    }
  }
  const valueOf = (key: string): Scalar => {
    const re = props.get('regex');
    if (re !== undefined) return call('kv_regex_value', 'string', source, lit(re.value, 'string'), lit(key, 'string'));
    const pd = props.get('pair_delimiter');
    const kvd = props.get('kv_delimiter');
    if (pd === undefined || kvd === undefined) return fail(op, 'parse-kv without pair_delimiter and kv_delimiter', 'Give both delimiters, or regex=.');
    if (pd.value === '' || kvd.value === '') return semantic(op, 'VQ032', 'parse-kv delimiters cannot be empty.');
    const greedy = props.get('greedy')?.value.toLowerCase() === 'true';
    const P = regexEscape(pd.value);
    const K = regexEscape(kvd.value);
    const stop = greedy
      // Greedy: a value runs until the next "<pair delimiter><key><kv delimiter>".
      ? `(?:${P}[^${charClass(pd.value + kvd.value)}]+${K}|$)`
      : `(?:${P}|$)`;
    return call('kv_value', 'string', source, lit(`(?s)(?:^|${P})\\s*${regexEscape(key)}\\s*${K}(.*?)${stop}`, 'string'));
  };
  const first = columns.length - keys.length;
  const exprs: Named[] = columns.map((c, j) => {
    const key = j >= first ? keys[j - first] : undefined;
    if (key === undefined) return { name: c.name, expr: col(c.name, c.type) };
    const raw = valueOf(key.name);
    const value = c.type === 'string' ? call('coalesce', 'string', raw, lit('', 'string')) : call('convert', c.type, raw);
    return { name: c.name, expr: value };
  });
  return { kind: 'project', input, exprs, columns };
}

const charClass = (chars: string) => [...new Set(chars)].map((ch) => (/[\\\]^-]/.test(ch) ? `\\${ch}` : ch)).join('');
