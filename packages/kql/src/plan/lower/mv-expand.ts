// mv-expand (and the legacy mvexpand, whose default row limit is 128). Kusto: every expanded
// array or bag of a row is expanded in parallel (the shorter ones padded with null), a null
// value gives one row with null, an empty array or bag gives no row; bags expand to {key: value}
// bags (bagexpansion=bag, the default) or [key, value] arrays (bagexpansion=array);
// `to typeof(T)` converts the elements; with_itemindex=I numbers them from 0.
import { kindOf, listOf, type KNode } from '../../syntax/kusto-runtime.ts';
import type { Lowerer } from '../lower.ts';
import type { Expansion, Relation } from '../nodes.ts';
import type { Scope } from '../scope.ts';
import { fail, implicitName, isHint, outputOf, parametersOf, resultNameOf } from './context.ts';

export function lowerMvExpand(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  const columns = outputOf(op);
  let bags: Expansion['bags'] = 'bag';
  let indexColumn: string | undefined;
  for (const p of parametersOf(op.Parameters)) {
    if (p.name === 'kind' || p.name === 'bagexpansion') {
      const v = p.text.toLowerCase();
      if (v !== 'bag' && v !== 'array') fail(p.node, `mv-expand ${p.name}=${p.text}`);
      bags = v as Expansion['bags'];
    } else if (p.name === 'with_itemindex') {
      indexColumn = p.text;
    } else if (!isHint(p.name)) {
      fail(p.node, `The mv-expand parameter '${p.name}'`);
    }
  }
  const expand: Expansion[] = [];
  const taken = new Set<string>([...input.columns.map((c) => c.name), ...(indexColumn ? [indexColumn] : [])]);
  const newNames = columns.map((c) => c.name).filter((n) => !taken.has(n));
  for (const e of listOf(op.Expressions)) {
    const inner = kindOf(e) === 'MvExpandExpression' ? e.Expression : e;
    const n = lx.named(inner, scope, input);
    const kustoName = resultNameOf(inner);
    const name = n.name || implicitName(inner) || (kustoName !== undefined && columns.some((c) => c.name === kustoName) ? kustoName : undefined)
      || newNames.find((x) => !expand.some((ex) => ex.name === x)) || fail(inner, 'mv-expand of an unnamed expression');
    const target = columns.find((c) => c.name === name) ?? fail(inner, `mv-expand column '${name}'`);
    if (n.expr.type !== 'dynamic') return fail(inner, `mv-expand of a ${n.expr.type} value`, 'mv-expand takes a dynamic array or bag.');
    expand.push({ name, expr: n.expr, type: target.type, bags });
  }
  const legacy = String(op.GetFirstToken?.()?.Text ?? '').toLowerCase() === 'mvexpand';
  let limit: number | undefined = legacy ? 128 : undefined;
  if (op.RowLimitClause) {
    const v = lx.scalar(op.RowLimitClause.RowLimit, scope, undefined);
    if (v.kind !== 'literal' || v.value === null) return fail(op.RowLimitClause, 'A computed mv-expand limit');
    limit = Number(v.value);
  }
  return { kind: 'mvexpand', input, expand, ...(limit !== undefined ? { limit } : {}), ...(indexColumn !== undefined ? { indexColumn } : {}), columns };
}
