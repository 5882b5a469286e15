// Helpers every lowering family shares: refusals at a node's position, types and schemas as
// the analyser computed them, and the parameters of query operators (kind=..., with_itemindex=...).
import { KqlError, unsupported, type KqlDiagnostic } from '../../diagnostics.ts';
import { arrayOf, kindOf, kusto, listOf, spanOf, symbolKindOf, type KNode } from '../../syntax/kusto-runtime.ts';
import { kqlTypeOf } from '../../syntax/symbols.ts';
import { withoutOverruled } from '../../syntax/overruled.ts';
import type { KqlColumn, KqlType } from '../../types.ts';

/** The one way a lowering refuses: the coded unsupported error at the node's span. */
export function fail(node: KNode, what: string, hint?: string): never {
  const { start, length } = spanOf(node);
  throw unsupported(what, start, length, hint);
}

/** A semantic error of the query (valid KQL that Kusto itself would reject when run). */
export function semantic(node: KNode, code: string, message: string, hint?: string): never {
  const { start, length } = spanOf(node);
  throw new KqlError('semantic', { code, message, start, length, ...(hint !== undefined ? { hint } : {}) });
}

/**
 * The analyser's errors inside a node. The analysis refuses a query with errors, but not those
 * inside a function's body (bound per call): lowering meets them there.
 */
export function analyserErrorsIn(node: KNode): KqlDiagnostic[] {
  const { Kusto } = kusto();
  return withoutOverruled(arrayOf(node.GetContainedDiagnostics(Kusto.Language.Syntax.DiagnosticsInclude.Semantic))
    .filter((d: KNode) => String(d.Severity) === 'Error')
    .map((d: KNode) => ({ code: String(d.Code), message: String(d.Message), start: d.Start as number, length: d.Length as number })), node);
}

/** Columns of a tabular result type (a TableSymbol) as the analyser computed them. */
export function columnsOfType(type: KNode, at: KNode): KqlColumn[] {
  if (type === null || type === undefined || symbolKindOf(type) !== 'Table') {
    semantic(at, 'VQ010', 'A tabular expression was expected here.');
  }
  return arrayOf(type.Columns).map((c: KNode) => {
    const t = kqlTypeOf(c.Type);
    if (t === undefined) return fail(at, `The column type of '${c.Name}' (${c.Type?.Name})`);
    return { name: String(c.Name), type: t };
  });
}

/** The analyser's columns of an operator's (or expression's) result. */
export const outputOf = (node: KNode): KqlColumn[] => columnsOfType(node.ResultType, node);

/** The KQL type of a scalar expression node. */
export function typeOf(node: KNode): KqlType {
  const t = kqlTypeOf(node.ResultType);
  if (t === undefined) {
    // Typed 'error' by an error of the analyser's inside a function's body: that error is the query's.
    const [error] = analyserErrorsIn(node);
    if (error !== undefined) throw new KqlError('semantic', error);
    return fail(node, `An expression of type '${node.ResultType?.Name ?? 'unknown'}'`);
  }
  return t;
}

/** The operator text of a binary expression, normalised: "==", "has_cs", "!in~", "matches regex". */
export function operatorText(node: KNode): string {
  return String(node.Operator.Text).toLowerCase().replace(/\s+/g, ' ');
}

export interface OperatorParameter {
  /** Lower-cased name: kind, withsource, with_itemindex, hint.strategy... */
  name: string;
  /** The value's text as written (an identifier or a literal), trimmed. */
  text: string;
  /** The literal value when the value is a literal. */
  value: unknown;
  node: KNode;
}

/** The `name=value` parameters of a query operator, in order. */
export function parametersOf(list: KNode): OperatorParameter[] {
  return listOf(list).map((p: KNode) => {
    const e = p.Expression;
    const text = String(e?.SimpleName ?? e?.toString() ?? '').trim();
    return { name: String(p.Name.SimpleName).toLowerCase(), text, value: e?.LiteralValue ?? text, node: p };
  });
}

/** Parameters that change only how Kusto distributes work (hints): safe to ignore here. */
export const isHint = (name: string) => name.startsWith('hint.');

/** The name Kusto gives a bare column expression (`extend Account` keeps Account). */
export function implicitName(e: KNode): string | undefined {
  return kindOf(e) === 'NameReference' ? String(e.SimpleName) : undefined;
}

/** The name Kusto gives an unnamed expression's column (todynamic(x) -> x, strlen(s) -> strlen_s), if any. */
export function resultNameOf(e: KNode): string | undefined {
  const name = kusto().Kusto.Language.Binding.Binder.GetExpressionResultName(e, null, null);
  return name === null || name === undefined || name === '' ? undefined : String(name);
}

/**
 * Column names made unique as Kusto does after an operator that may repeat one (parse into a
 * name the input has): later duplicates get 1, 2, ...
 */
export function uniqueColumns(columns: KqlColumn[]): KqlColumn[] {
  const seen = new Set<string>();
  return columns.map((c) => {
    let name = c.name;
    for (let n = 1; seen.has(name); n++) name = `${c.name}${n}`;
    seen.add(name);
    return name === c.name ? c : { ...c, name };
  });
}

/**
 * A built-in call's arguments in parameter order: named ones (make_set(x, MaxSize=8)) placed by
 * the signature the analyser chose. A gap before a named argument is refused. In a function of
 * repeatable parameters (strcat, case, coalesce...) a name no parameter has is only a label: the
 * analyser binds `strcat(a, Status = b)` as `strcat(a, b)`, and Sentinel's parsers rely on it.
 */
export function argumentsOf(call: KNode): KNode[] {
  const args = listOf(call.ArgumentList?.Expressions);
  if (!args.some((a) => kindOf(a) === 'SimpleNamedExpression')) return args;
  const signature = call.ReferencedSignature;
  const parameters = arrayOf(signature?.Parameters).map((p: KNode) => String(p.Name).toLowerCase());
  const out: KNode[] = [];
  for (const a of args) {
    if (kindOf(a) !== 'SimpleNamedExpression') { out.push(a); continue; }
    const at = parameters.indexOf(String(a.Name.SimpleName).toLowerCase());
    if (at < 0 && signature?.HasRepeatableParameters === true) { out.push(a.Expression); continue; }
    if (at < 0) return fail(a, `The argument '${String(a.Name.SimpleName)}'`);
    if (at > out.length) return fail(a, 'A named argument after omitted ones');
    out[at] = a.Expression;
  }
  return out;
}
