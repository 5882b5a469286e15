// Row order: sort, top, take, sample, serialize, and which row sets are serialized (window
// functions need one). Kusto: sort, top, range, getschema and serialize produce a serialized row
// set; where, extend, project (and its variants), take, mv-expand and parse keep it; others
// (summarize, join, union, distinct...) do not.
import { kindOf, listOf, type KNode } from '../../syntax/kusto-runtime.ts';
import type { Lowerer } from '../lower.ts';
import { lit, type Relation, type SortKey } from '../nodes.ts';
import type { Scope } from '../scope.ts';
import { fail, outputOf } from './context.ts';
import { lowerExtend } from './project.ts';
import { containsWindow } from './window.ts';

export function isSerialized(r: Relation): boolean {
  switch (r.kind) {
    case 'sort': case 'serialize': case 'range': return true;
    case 'filter': case 'project': case 'limit': case 'mvexpand': case 'shared': return isSerialized(r.input);
    // getschema's rows, and print's single row, have an order of their own.
    case 'values': return r.rows.length <= 1 || r.columns[0]?.name === 'ColumnName';
    default: return false;
  }
}

export function sortKey(lx: Lowerer, e: KNode, scope: Scope, row: Relation): SortKey {
  let expr = e;
  let descending = true;
  let nullsFirst: boolean | undefined;
  if (kindOf(e) === 'OrderedExpression') {
    expr = e.Expression;
    const ordering = e.Ordering;
    if (ordering?.AscOrDescKeyword) descending = String(ordering.AscOrDescKeyword.Text).toLowerCase() === 'desc';
    if (ordering?.NullsClause) nullsFirst = String(ordering.NullsClause.FirstOrLastKeyword.Text).toLowerCase() === 'first';
  }
  const key = lx.scalar(expr, scope, row);
  if (containsWindow(key)) return fail(expr, 'A window function in a sort key', 'Compute it with extend first.');
  // Kusto: descending puts nulls last, ascending puts them first (unless told).
  return { expr: key, descending, nullsFirst: nullsFirst ?? !descending };
}

export function lowerSort(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  return { kind: 'sort', input, keys: listOf(op.Expressions).map((e) => sortKey(lx, e, scope, input)), columns: input.columns };
}

export function lowerTake(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  return { kind: 'limit', input, count: lx.scalar(op.Expression, scope, input), columns: input.columns };
}

export function lowerTop(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  const sorted: Relation = { kind: 'sort', input, keys: [sortKey(lx, op.ByExpression, scope, input)], columns: input.columns };
  return { kind: 'limit', input: sorted, count: lx.scalar(op.Expression, scope, input), columns: input.columns };
}

/** `sample n`, and `sample-distinct n of column` (n distinct values, chosen at random). */
export function lowerSample(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  const count = lx.scalar(op.Expression, scope, input);
  if (count.kind !== 'literal') return fail(op.Expression, 'sample with a computed count', 'Give the number of rows as a constant.');
  return { kind: 'sample', input, count, columns: input.columns };
}

export function lowerSampleDistinct(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  const count = lx.scalar(op.Expression, scope, input);
  if (count.kind !== 'literal') return fail(op.Expression, 'sample-distinct with a computed count', 'Give the number of values as a constant.');
  const columns = outputOf(op);
  const projected: Relation = { kind: 'project', input, exprs: [{ name: columns[0]!.name, expr: lx.scalar(op.OfExpression, scope, input) }], columns };
  return { kind: 'sample', input: { kind: 'distinct', input: projected, columns }, count, columns };
}

/** `serialize [name = expr, ...]`: marks the order; the expressions may use window functions. */
export function lowerSerialize(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  const marked: Relation = { kind: 'serialize', input, columns: input.columns };
  const exprs = listOf(op.Expressions);
  return exprs.length === 0 ? marked : lowerExtend(lx, marked, op, scope);
}

export const noRows = (input: Relation): Relation => ({ kind: 'limit', input, count: lit(0n, 'long'), columns: input.columns });

