// union: rows of every input, columns matched by name. kind=outer (the default) keeps every
// column (missing ones null); columns of one name and several types become Name_type (as the
// analyser names them); kind=inner keeps the columns every input has (name and type).
// withsource=C adds C first, naming each row's input: a table's name, the name `as` or `let`
// gave it, or union_argN for other expressions.
import { kindOf, listOf, symbolKindOf, type KNode } from '../../syntax/kusto-runtime.ts';
import type { KqlColumn } from '../../types.ts';
import type { Lowerer } from '../lower.ts';
import type { Relation } from '../nodes.ts';
import type { Scope } from '../scope.ts';
import { fail, isHint, outputOf, parametersOf } from './context.ts';

export function lowerUnion(lx: Lowerer, input: Relation | undefined, op: KNode, scope: Scope): Relation {
  let sourceColumn: string | undefined;
  let inner = false;
  let fuzzy = false;
  for (const p of parametersOf(op.Parameters)) {
    if (p.name === 'withsource') sourceColumn = p.text;
    else if (p.name === 'kind') inner = p.text.toLowerCase() === 'inner';
    else if (p.name === 'isfuzzy') fuzzy = p.text.toLowerCase() === 'true';
    else if (!isHint(p.name)) fail(p.node, `The union parameter '${p.name}'`);
  }
  const inputs: Relation[] = input !== undefined ? [input] : [];
  const names: string[] = input !== undefined ? [sourceName(lx, input, undefined, 0)] : [];
  for (const e of listOf(op.Expressions)) {
    // isfuzzy=true: an input naming a table that does not exist is left out (Kusto's rule).
    if (fuzzy && unresolved(e)) continue;
    const plan = lx.tabular(e, scope);
    names.push(sourceName(lx, plan, e, inputs.length));
    inputs.push(plan);
  }
  if (inputs.length === 0) return fail(op, 'A union none of whose inputs exist');
  let columns = outputOf(op);
  if (inner) {
    const common = inputs[0]!.columns.filter((c) => inputs.every((i) => i.columns.some((x) => x.name === c.name && x.type === c.type)));
    columns = [...(sourceColumn !== undefined ? [{ name: sourceColumn, type: 'string' as const }] : []), ...common];
  }
  const data = sourceColumn !== undefined ? columns.filter((c) => c.name !== sourceColumn) : columns;
  const mapping = inputs.map((i) => data.map((c) => sourceOf(i.columns, c)));
  const union: Relation = {
    kind: 'union', inputs, mapping, columns,
    ...(sourceColumn !== undefined ? { source: { column: sourceColumn, names } } : {}),
  };
  return union;
}

/** The input column that fills output column `c`: same name and type, or `Name` for `Name_type`. */
function sourceOf(columns: KqlColumn[], c: KqlColumn): string | null {
  const same = columns.find((x) => x.name === c.name && x.type === c.type);
  if (same !== undefined) return same.name;
  const suffix = `_${c.type}`;
  if (c.name.endsWith(suffix)) {
    const base = c.name.slice(0, -suffix.length);
    const typed = columns.find((x) => x.name === base && x.type === c.type);
    if (typed !== undefined) return typed.name;
  }
  // A column of the same name but another type that the analyser did not split: it converts.
  const named = columns.find((x) => x.name === c.name);
  return named !== undefined ? named.name : null;
}

/** Whether the table an input starts from is a name the analyser could not resolve. */
function unresolved(e: KNode): boolean {
  let node = e;
  while (kindOf(node) === 'ParenthesizedExpression' || kindOf(node) === 'PipeExpression') node = node.Expression;
  return kindOf(node) === 'NameReference' && (node.ReferencedSymbol === null || node.ReferencedSymbol === undefined);
}

function sourceName(lx: Lowerer, plan: Relation, e: KNode | undefined, index: number): string {
  const named = lx.sourceNames.get(plan);
  if (named !== undefined) return named;
  let node = e;
  while (node !== undefined && kindOf(node) === 'ParenthesizedExpression') node = node.Expression;
  if (node !== undefined && kindOf(node) === 'NameReference' && node.ReferencedSymbol && symbolKindOf(node.ReferencedSymbol) === 'Table') {
    return String(node.ReferencedSymbol.Name);
  }
  if (plan.kind === 'scan') return plan.table;
  return `union_arg${index}`;
}
