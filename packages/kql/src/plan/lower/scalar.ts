// Scalar expressions: literals, names, operators, dynamic paths and function calls. Literal
// values are parsed from the token text (see literals.ts); calls must name a function of the
// catalogue, a window function, or a user function (expanded at the call).
import { aggregateFunction, isScalarFunction } from '../../functions/catalog.ts';
import { kindOf, listOf, spanOf, symbolKindOf, type KNode } from '../../syntax/kusto-runtime.ts';
import { kqlTypeOf } from '../../syntax/symbols.ts';
import type { Lowerer } from '../lower.ts';
import { parseDatetimeLiteral, parseNumberLiteral, parseTimespan } from '../literals.ts';
import { call, col, lit, type Relation, type Scalar } from '../nodes.ts';
import type { Scope } from '../scope.ts';
import { argumentsOf, fail, operatorText, typeOf } from './context.ts';
import { expansion, isUserFunction } from './functions.ts';
import { DEEP } from './refused.ts';
import { lowerWindowCall, WINDOW_FUNCTIONS } from './window.ts';
import { withoutComments } from '../../comments.ts';

export function lowerScalar(lx: Lowerer, node: KNode, scope: Scope, row: Relation | undefined, inner?: (n: KNode) => Scalar): Scalar {
  const sub = inner ?? ((n: KNode) => lowerScalar(lx, n, scope, row));
  const kind = kindOf(node);
  switch (kind) {
    case 'ParenthesizedExpression': return sub(node.Expression);
    case 'StringLiteralExpression': case 'CompoundStringLiteralExpression':
      return lit(String(node.LiteralValue ?? ''), 'string');
    case 'BooleanLiteralExpression': {
      const text = literalText(node).trim().toLowerCase();
      return lit(text.includes('null') ? null : text.includes('true'), 'bool');
    }
    case 'LongLiteralExpression': case 'IntLiteralExpression': {
      const v = parseNumberLiteral(literalText(node), true);
      if (v === undefined) return fail(node, 'This number literal');
      const type = typeOf(node);
      return lit(v === null ? null : type === 'int' ? Number(v) : v, type);
    }
    case 'RealLiteralExpression': case 'DecimalLiteralExpression': {
      const v = parseNumberLiteral(literalText(node), false);
      if (v === undefined) return fail(node, 'This number literal');
      return lit(v, typeOf(node));
    }
    case 'DateTimeLiteralExpression': {
      // datetime(now) is the query's now().
      if (/^datetime\(\s*now\s*\)$/i.test(literalText(node).trim())) return lit(lx.options.nowMicros, 'datetime');
      const v = parseDatetimeLiteral(literalText(node));
      if (v === undefined) return fail(node, 'This datetime literal', 'Write it as ISO 8601, e.g. datetime(2024-01-31 12:00:00).');
      return lit(v, 'datetime');
    }
    case 'TimespanLiteralExpression': {
      const v = parseTimespan(literalText(node));
      if (v === undefined) return fail(node, 'This timespan literal');
      return lit(v, 'timespan');
    }
    case 'GuidLiteralExpression': {
      const m = /\(\s*([^)]*)\s*\)/.exec(literalText(node));
      const v = m?.[1]?.trim() ?? '';
      return lit(v.toLowerCase() === 'null' ? null : v.toLowerCase(), 'guid');
    }
    case 'NullLiteralExpression': return lit(null, typeOf(node));
    // typeof(T) as an argument (extract(..., typeof(long))): the type's name; the call's result type carries it.
    case 'TypeOfLiteralExpression': return lit(literalText(node).trim().replace(/^typeof\(\s*|\s*\)$/g, ''), 'string');
    case 'DynamicExpression': {
      const inside = node.Expression;
      if (inside === null || inside === undefined || kindOf(inside) === 'NullLiteralExpression') return lit(null, 'dynamic');
      return lit(JSON.stringify(jsonValue(inside)), 'dynamic');
    }
    case 'NameReference': return name(lx, node, scope, row);
    case 'BracketedExpression': return sub(node.Expression);
    case 'UnaryMinusExpression': return call('op:neg', typeOf(node), sub(node.Expression));
    case 'UnaryPlusExpression': return sub(node.Expression);
    case 'PathExpression': return path(node, sub);
    case 'ElementExpression': return call('dyn_index', 'dynamic', sub(node.Expression), sub(node.Selector.Expression ?? node.Selector));
    case 'FunctionCallExpression': return functionCall(lx, node, scope, row, sub);
    case 'ToScalarExpression': {
      // toscalar() of a scalar (a let-bound value) is that value.
      if (!lx.isTabular(node.Expression)) return sub(node.Expression);
      const plan = lx.tabular(node.Expression, scope);
      return { kind: 'subquery', plan, type: typeOf(node) };
    }
    case 'InExpression': case 'InCsExpression': case 'NotInExpression': case 'NotInCsExpression': case 'HasAnyExpression': case 'HasAllExpression': {
      const op = kind === 'HasAnyExpression' ? 'has_any' : kind === 'HasAllExpression' ? 'has_all' : operatorText(node);
      const items = listOf(node.Right.Expressions);
      if (items.length === 1 && lx.isTabular(items[0])) {
        const plan = lx.tabular(items[0], scope);
        return call(`op:${op}`, 'bool', sub(node.Left), { kind: 'subquery', plan, type: plan.columns[0]?.type ?? 'string', set: true });
      }
      return call(`op:${op}`, 'bool', sub(node.Left), ...items.map((i) => sub(i)));
    }
    case 'BetweenExpression': case 'NotBetweenExpression': {
      const range = node.Right;
      return call(kind === 'BetweenExpression' ? 'op:between' : 'op:!between', 'bool', sub(node.Left), sub(range.First), sub(range.Second));
    }
    default:
      if (node.Left !== undefined && node.Right !== undefined && node.Operator !== undefined) {
        return call(`op:${operatorText(node)}`, typeOf(node), sub(node.Left), sub(node.Right));
      }
      return fail(node, `The expression '${kind}'`);
  }
}

function name(lx: Lowerer, node: KNode, scope: Scope, row: Relation | undefined): Scalar {
  const symbol = node.ReferencedSymbol;
  const text = String(node.SimpleName);
  const kind = symbol === null || symbol === undefined ? 'None' : symbolKindOf(symbol);
  if (kind === 'Column') {
    const columnName = String(symbol.Name);
    const type = kqlTypeOf(symbol.Type) ?? typeOf(node);
    if (row !== undefined && !row.columns.some((c) => c.name === columnName)) return fail(node, `The column '${columnName}' here`);
    return col(columnName, type);
  }
  if (kind === 'Variable' || kind === 'Parameter') {
    const bound = scope.get(text);
    if (bound?.kind === 'scalar') return bound.expr;
    return fail(node, `The name '${text}'`);
  }
  if (kind === 'Function') {
    const expanded = expansion(lx, node, [], scope);
    if (expanded.kind === 'scalar') return expanded.expr;
  }
  return fail(node, `The name '${text}' (a ${kind})`);
}

/** Dynamic member access `d.a.b`: one path call, so that the engine extracts once. */
function path(node: KNode, sub: (n: KNode) => Scalar): Scalar {
  const steps: string[] = [];
  let base: KNode = node;
  while (kindOf(base) === 'PathExpression' || (kindOf(base) === 'ElementExpression' && base.Selector?.Expression?.IsLiteral)) {
    if (kindOf(base) === 'PathExpression') {
      const selector = base.Selector;
      const s = kindOf(selector) === 'BracketedExpression' ? String(selector.Expression.LiteralValue) : String(selector.SimpleName ?? selector.toString()).trim();
      steps.unshift(`.${JSON.stringify(s)}`);
    } else {
      const v = base.Selector.Expression.LiteralValue;
      steps.unshift(typeof v === 'string' ? `.${JSON.stringify(v)}` : `[${String(v)}]`);
    }
    base = base.Expression;
  }
  const target = sub(base);
  if (target.type !== 'dynamic') return fail(node, `A member of a ${target.type} value`);
  return call('dyn_path', 'dynamic', target, lit(`$${steps.join('')}`, 'string'));
}

function functionCall(lx: Lowerer, node: KNode, scope: Scope, row: Relation | undefined, sub: (n: KNode) => Scalar): Scalar {
  const text = String(node.Name.SimpleName);
  const symbol = node.ReferencedSymbol;
  const args = listOf(node.ArgumentList.Expressions);
  if (symbol !== null && symbol !== undefined && isUserFunction(symbol)) {
    const expanded = expansion(lx, node, args, scope);
    if (expanded.kind === 'scalar') return expanded.expr;
    return fail(node, 'A tabular function used as a value');
  }
  const fn = String(symbol?.Name ?? text);
  const builtinArgs = argumentsOf(node);
  if (fn === 'now') {
    const offset = args[0] !== undefined ? sub(args[0]) : lit(0n, 'timespan');
    return call('op:+', 'datetime', lit(lx.options.nowMicros, 'datetime'), offset);
  }
  if (fn === 'ingestion_time') {
    // Log Analytics keeps each record's ingestion time; Vigil stores it as _TimeReceived on
    // every row, so the function reads that column of the row in scope.
    const received = row?.columns.find((c) => c.name === '_TimeReceived');
    if (received === undefined) {
      return fail(node, row === undefined ? "ingestion_time() where no table row is in scope" : "ingestion_time() after the row's _TimeReceived was projected away or summarized",
        'Call ingestion_time() on rows read from a table, before project or summarize drops _TimeReceived.');
    }
    return col(received.name, 'datetime');
  }
  if (fn === 'ago') return call('op:-', 'datetime', lit(lx.options.nowMicros, 'datetime'), sub(args[0]));
  if (fn === 'column_ifexists' || fn === 'columnifexists') {
    const columnName = String(args[0]?.LiteralValue ?? '');
    const found = row?.columns.find((c) => c.name === columnName);
    if (found === undefined) return sub(args[1]);
    const value = col(found.name, found.type);
    // The analyser types the call as the default's type. In the query's own text such a call has
    // become the column it names (syntax/column-ifexists.ts); in a function's body a column of
    // another type still converts to the default's type.
    const type = typeOf(node);
    return found.type === type ? value : call('convert', type, value);
  }
  if (fn === 'pack_all') {
    // A bag of the row's columns, by name: bag_pack over the columns in scope.
    if (row === undefined) return fail(node, 'pack_all() where no row is in scope');
    const ignore = args[0] !== undefined ? sub(args[0]) : lit(false, 'bool');
    if (ignore.kind !== 'literal' || ignore.value === true) return fail(args[0] ?? node, 'pack_all(true) (leaving out null and empty values)', 'Use pack_all() and test the values with isnotempty().');
    return call('bag_pack', 'dynamic', ...row.columns.flatMap((c) => [lit(c.name, 'string'), col(c.name, c.type)]));
  }
  if (WINDOW_FUNCTIONS.has(fn)) return lowerWindowCall(lx, node, fn, builtinArgs.map((a) => sub(a)), row);
  if (aggregateFunction(fn) !== undefined) return fail(node, `The aggregate '${fn}' outside summarize`);
  if (!isScalarFunction(fn)) return fail(node, `The function '${fn}'`, DEEP[fn]);
  return { kind: 'call', fn, args: builtinArgs.map((a) => sub(a)), type: typeOf(node), at: spanOf(node) };
}

/** Kusto's dynamic literals allow more than JSON (single quotes): strict JSON after quoting fixes only. */
export function normaliseJson(raw: string, at: KNode): string {
  const text = withoutComments(raw);
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    try {
      // Single-quoted strings are common in rules: turn them into JSON strings.
      const fixed = text.replace(/'((?:[^'\\]|\\.)*)'/g, (_m, s: string) => JSON.stringify(s.replace(/\\'/g, "'")));
      return JSON.stringify(JSON.parse(fixed));
    } catch {
      return fail(at, 'This dynamic literal', 'Use JSON inside dynamic(...).');
    }
  }
}

/**
 * A dynamic literal's value, read from the analysed tree (Kusto's literals inside: verbatim and
 * single-quoted strings, numbers, datetimes, timespans). Datetimes and timespans are written as
 * Kusto writes them inside dynamic values.
 */
function jsonValue(node: KNode): unknown {
  switch (kindOf(node)) {
    case 'JsonArrayExpression': return listOf(node.Values).map(jsonValue);
    case 'JsonObjectExpression': {
      const out: Record<string, unknown> = {};
      for (const pair of listOf(node.Pairs)) {
        const key = pair.Name?.ValueText ?? pair.Name?.Text;
        out[String(key).replace(/^(['"])(.*)\1$/s, '$2')] = jsonValue(pair.Value);
      }
      return out;
    }
    case 'StringLiteralExpression': case 'CompoundStringLiteralExpression': return String(node.LiteralValue ?? '');
    case 'LongLiteralExpression': case 'IntLiteralExpression': {
      const v = parseNumberLiteral(literalText(node), true);
      return v === undefined ? fail(node, 'This number literal') : v === null ? null : Number(v);
    }
    case 'RealLiteralExpression': case 'DecimalLiteralExpression': {
      const v = parseNumberLiteral(literalText(node), false);
      return v === undefined ? fail(node, 'This number literal') : v;
    }
    case 'BooleanLiteralExpression': return literalText(node).trim().toLowerCase() === 'true';
    case 'NullLiteralExpression': return null;
    case 'UnaryMinusExpression': {
      const v = jsonValue(node.Expression);
      return typeof v === 'number' ? -v : fail(node, 'This dynamic literal');
    }
    case 'DateTimeLiteralExpression': {
      const v = parseDatetimeLiteral(literalText(node));
      if (v === undefined) return fail(node, 'This datetime literal');
      if (v === null) return null;
      const iso = new Date(Number(v / 1000n)).toISOString();
      return `${iso.slice(0, 19)}.${String(((v % 1_000_000n) + 1_000_000n) % 1_000_000n).padStart(6, '0')}0Z`;
    }
    default:
      return fail(node, 'This value in a dynamic literal', 'Use strings, numbers, booleans, null, datetimes, arrays and bags.');
  }
}

/**
 * A literal's text without the comments before it: the node's text carries its leading trivia,
 * and a `// ...` line above a number (inside a datatable, say) is part of it.
 */
function literalText(node: KNode): string {
  return withoutComments(String(node.toString()));
}

