// User functions (let lambdas, saved functions such as Sentinel's parsers) and `invoke`: the
// analyser gives each call's expansion (the body bound to this call); we lower the body with the
// parameters bound to the lowered arguments, defaults where an argument is omitted.
import { KqlError } from '../../diagnostics.ts';
import { arrayOf, kindOf, listOf, spanOf, symbolKindOf, type KNode } from '../../syntax/kusto-runtime.ts';
import type { Lowerer } from '../lower.ts';
import { kqlTypeOf } from '../../syntax/symbols.ts';
import { parseDatetimeLiteral, parseNumberLiteral, parseTimespan } from '../literals.ts';
import { call, lit, type LiteralValue, type Relation, type Scalar } from '../nodes.ts';
import type { Binding, Scope } from '../scope.ts';
import { fail } from './context.ts';
import { SchemaDiscovery } from './evaluate.ts';
import { normaliseJson } from './scalar.ts';

export function isUserFunction(symbol: KNode): boolean {
  if (symbolKindOf(symbol) !== 'Function') return false;
  // Built-in functions have no body to expand; lambdas and saved functions do.
  return symbol.Signatures !== undefined && arrayOf(symbol.Signatures).some((s: KNode) => s.Declaration || s.Body);
}

/**
 * The body of a call, lowered with its parameters bound. `input` is bound to the first
 * parameter (invoke's piped table); `args` to the following ones.
 */
export function expansion(lx: Lowerer, callNode: KNode, args: KNode[], scope: Scope, input?: Relation): { kind: 'table'; plan: Relation } | { kind: 'scalar'; expr: Scalar } {
  const expanded = callNode.GetExpansion?.();
  if (expanded === null || expanded === undefined) return fail(callNode, 'This function call (its body could not be expanded)');
  const body = expanded.Root;
  const symbol = callNode.ReferencedSymbol;
  const signature = arrayOf(symbol.Signatures)[0];
  const parameters = arrayOf(signature?.Parameters);
  const inner = scope.child();
  // Positional arguments first, then named ones (f(x, limit=5)) by parameter name.
  const positional = args.filter((a) => kindOf(a) !== 'SimpleNamedExpression');
  const named = new Map(args.filter((a) => kindOf(a) === 'SimpleNamedExpression').map((a) => [String(a.Name.SimpleName), a.Expression]));
  const given = input !== undefined ? [undefined, ...positional] : positional;
  parameters.forEach((p: KNode, i: number) => {
    const name = String(p.Name);
    if (i === 0 && input !== undefined) {
      inner.set(name, { kind: 'table', plan: input });
      return;
    }
    const arg = given[i] ?? named.get(name);
    let binding: Binding | undefined;
    if (arg !== undefined) {
      binding = lx.isTabular(arg) ? { kind: 'table', plan: lx.tabular(arg, scope) } : { kind: 'scalar', expr: asParameter(p, lx.scalar(arg, scope, undefined)) };
    } else if (p.DefaultValue !== null && p.DefaultValue !== undefined) {
      binding = { kind: 'scalar', expr: defaultValue(lx, p, scope) };
    }
    if (binding !== undefined) inner.set(name, binding);
  });
  const name = String(symbol.Name);
  const saved = lx.options.home.functions.some((f) => f.name === name);
  if (saved) lx.expanding.push({ name, root: body });
  const expansions = expansionsOf(lx);
  expansions.push({ name, root: body, saved, declaration: saved ? undefined : signature?.Declaration ?? undefined });
  try {
    for (const statement of listOf(body.Statements)) {
      if (kindOf(statement) === 'LetStatement') lx.bindLet(statement, inner);
      else if (kindOf(statement) === 'ExpressionStatement') {
        // A body whose last statement is an expression statement (older saved-function form).
        const e = statement.Expression;
        return lx.isTabular(e) ? { kind: 'table', plan: lx.tabular(e, inner) } : { kind: 'scalar', expr: lx.scalar(e, inner, undefined) };
      }
    }
    const result = body.Expression;
    if (result === null || result === undefined) return fail(callNode, 'A function without a result expression');
    return lx.isTabular(result) ? { kind: 'table', plan: lx.tabular(result, inner) } : { kind: 'scalar', expr: lx.scalar(result, inner, undefined) };
  } catch (e) {
    throw atCall(e, callNode);
  } finally {
    if (saved) lx.expanding.pop();
    expansions.pop();
  }
}

/**
 * Every body being expanded, innermost last: saved functions and local ones (`let f = view ()
 * {...}`), with a local function's declaration (its body's place in the enclosing text), so
 * that a schema discovered inside a local function can be written into the text around it.
 */
export interface Expanding {
  name: string;
  root: KNode;
  saved: boolean;
  declaration: KNode | undefined;
}

const stacks = new WeakMap<Lowerer, Expanding[]>();

export function expansionsOf(lx: Lowerer): Expanding[] {
  let stack = stacks.get(lx);
  if (stack === undefined) {
    stack = [];
    stacks.set(lx, stack);
  }
  return stack;
}

/**
 * An error inside a function's body has a position in the body's own text: it is reported at
 * the call, naming the function (an error already moved to an inner call stays as it is).
 */
function atCall(e: unknown, callNode: KNode): unknown {
  if (!(e instanceof KqlError) || movedErrors.has(e)) return e;
  if (e instanceof SchemaDiscovery && e.target !== undefined) {
    // Discovered later into the saved function's text; should it be refused, it is reported at
    // the call (the outermost one, as the error travels outwards).
    const { start, length } = spanOf(callNode);
    Object.assign(e.diagnostic, { start, length });
    return e;
  }
  const { start, length } = spanOf(callNode);
  const name = String(callNode.ReferencedSymbol?.Name ?? callNode.Name?.SimpleName ?? 'function');
  const moved = new KqlError(e.kind, { ...e.diagnostic, message: `${e.diagnostic.message} (in the body of ${name})`, start, length }, e.others);
  movedErrors.add(moved);
  return moved;
}

const movedErrors = new WeakSet<KqlError>();

/**
 * An argument as the value of its parameter: of another scalar type than declared it converts as
 * Kusto's to<type>() would (a bool given for a datetime is null). The analyser accepts such calls
 * (ASIM's InfobloxNIOS parser passes `disabled` where `starttime` is declared); dynamic
 * parameters take any value as it is.
 */
function asParameter(p: KNode, value: Scalar): Scalar {
  const declared = p.DeclaredTypes?.Count === 1 ? kqlTypeOf(p.DeclaredTypes.getItem(0)) : undefined;
  // A constant string that is not JSON given for a dynamic parameter (Sentinel's CERIUM rule
  // passes a domain to _Im_Dns(domain_has_any=...)) is a dynamic string: parsed as todynamic
  // would, or held as it is, it is the same value. A body calling array_length() on it must not
  // read it as JSON text.
  if (declared === 'dynamic' && value.kind === 'literal' && value.type === 'string' && !isJsonText(String(value.value))) {
    return lit(JSON.stringify(String(value.value)), 'dynamic');
  }
  if (declared === undefined || declared === 'dynamic' || declared === value.type || value.type === 'dynamic') return value;
  return call('convert', declared, value);
}

/**
 * A parameter's default. A saved function's declaration is parsed but not bound by the
 * analyser (no types): its default, a literal, is read from its text with the parameter's type.
 */
function defaultValue(lx: Lowerer, p: KNode, scope: Scope): Scalar {
  const node = p.DefaultValue;
  if (kqlTypeOf(node.ResultType) !== undefined) return lx.scalar(node, scope, undefined);
  const declared = p.DeclaredTypes?.Count === 1 ? p.DeclaredTypes.getItem(0) : undefined;
  const type = kqlTypeOf(declared) ?? fail(node, `The default of parameter '${String(p.Name)}'`);
  const text = String(node.ToString?.() ?? '').trim();
  let value: LiteralValue | undefined;
  switch (type) {
    case 'long': case 'int': value = parseNumberLiteral(text, true); if (type === 'int' && typeof value === 'bigint') value = Number(value); break;
    case 'real': case 'decimal': value = parseNumberLiteral(text, false); break;
    case 'string': value = typeof node.LiteralValue === 'string' ? node.LiteralValue : /^@?(['"])(.*)\1$/s.exec(text)?.[2]; break;
    case 'dynamic': {
      const inside = /^dynamic\s*\((.*)\)$/s.exec(text)?.[1]?.trim();
      value = inside === undefined ? undefined : inside === 'null' ? null : normaliseJson(inside, node);
      break;
    }
    case 'guid': value = /^guid\(\s*(.*?)\s*\)$/i.exec(text)?.[1]?.toLowerCase(); if (value === 'null') value = null; break;
    case 'bool': value = /^(true|false)$/i.test(text) ? text.toLowerCase() === 'true' : undefined; break;
    case 'datetime': value = parseDatetimeLiteral(text); break;
    case 'timespan': value = parseTimespan(text); break;
    default: value = undefined;
  }
  if (value === undefined) return fail(node, `The default of parameter '${String(p.Name)}'`, 'Saved functions may give literal defaults.');
  return lit(value, type);
}

/** A call of a let lambda or saved function used as a table. */
export function expandCall(lx: Lowerer, callNode: KNode, args: KNode[], scope: Scope): Relation {
  const expanded = expansion(lx, callNode, args, scope);
  if (expanded.kind !== 'table') return fail(callNode, 'A scalar function used as a table');
  return expanded.plan;
}

/** `T | invoke f(args)`: f's first (tabular) parameter is T. */
export function invoke(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  const fn = op.Function;
  if (kindOf(fn) !== 'FunctionCallExpression') return fail(fn, 'This form of invoke');
  const symbol = fn.ReferencedSymbol;
  if (symbol === null || symbol === undefined || !isUserFunction(symbol)) return fail(fn, `invoke of '${String(fn.Name?.SimpleName)}'`, 'invoke calls a let function or a saved function.');
  const expanded = expansion(lx, fn, listOf(fn.ArgumentList.Expressions), scope, input);
  if (expanded.kind !== 'table') return fail(fn, 'invoke of a scalar function');
  return expanded.plan;
}

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
