// where, extend, project and the project-* family. Output schemas are the analyser's: it settles
// names (Column1, series_stats_x_min, renamed duplicates). Within one extend or project a later
// expression may use a column an earlier one defined: the earlier expression is substituted.
import { kindOf, listOf, type KNode } from '../../syntax/kusto-runtime.ts';
import type { KqlColumn } from '../../types.ts';
import type { Lowerer } from '../lower.ts';
import { col, passThrough, type Named, type Relation, type Scalar } from '../nodes.ts';
import type { Scope } from '../scope.ts';
import { fail, implicitName, outputOf, resultNameOf } from './context.ts';
import { multiValue } from './multi-value.ts';
import { containsWindow, inOrder, withWindows } from './window.ts';

export function lowerFilter(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  const { row, result: predicate, position } = withWindows(lx, input, () => lx.scalar(op.Condition, scope, input));
  if (!containsWindow(predicate) && row === input) return { kind: 'filter', input, predicate, columns: input.columns };
  // SQL evaluates window functions after WHERE: compute the predicate as a column, then filter.
  const flag = `__where${lx.newId('')}`;
  const withFlag = inOrder({ kind: 'project', input: row, exprs: [...passThrough(row.columns), { name: flag, expr: predicate }], columns: [...row.columns, { name: flag, type: 'bool' }] }, position);
  const filtered: Relation = { kind: 'filter', input: withFlag, predicate: col(flag, 'bool'), columns: withFlag.columns };
  return { kind: 'project', input: filtered, exprs: passThrough(input.columns), columns: input.columns };
}

/** Replaces references to columns defined earlier in the same operator by their expressions. */
export function substitute(s: Scalar, defined: Map<string, Scalar>): Scalar {
  if (defined.size === 0) return s;
  switch (s.kind) {
    case 'column': return defined.get(s.name) ?? s;
    case 'call': return { ...s, args: s.args.map((a) => substitute(a, defined)) };
    case 'window': return {
      ...s, args: s.args.map((a) => substitute(a, defined)),
      ...(s.partition ? { partition: s.partition.map((p) => substitute(p, defined)) } : {}),
      order: s.order.map((k) => ({ ...k, expr: substitute(k.expr, defined) })),
    };
    default: return s;
  }
}

/** A relation standing for `input` plus columns defined so far (to lower names against). */
const withColumns = (input: Relation, added: KqlColumn[]): Relation => (added.length === 0 ? input
  : { kind: 'project', input, exprs: [], columns: [...input.columns.filter((c) => !added.some((a) => a.name === c.name)), ...added] });

/**
 * The expressions of extend or project, each with its output name. `names` gives the analyser's
 * names for the values, in the order the expressions produce them.
 */
function namedValues(lx: Lowerer, input: Relation, exprs: KNode[], scope: Scope, nameFor: (e: KNode, implied: string, index: number) => string): Named[] {
  const defined = new Map<string, Scalar>();
  const added: KqlColumn[] = [];
  const out: Named[] = [];
  const define = (name: string, expr: Scalar) => {
    const value = substitute(expr, defined);
    defined.set(name, value);
    const i = added.findIndex((a) => a.name === name);
    if (i >= 0) added.splice(i, 1);
    added.push({ name, type: value.type });
    out.push({ name, expr: value });
  };
  if (lx.windowHelpers !== undefined) lx.windowHelpers.inline = (s) => substitute(s, defined);
  for (const e of exprs) {
    const row = withColumns(input, added);
    if (kindOf(e) === 'CompoundNamedExpression') {
      const values = multiValue(lx, e.Expression, scope, row);
      const given = listOf(e.Names.Names).map((n: KNode) => String(n.SimpleName));
      values.forEach((v, i) => define(nameFor(e, given[i] ?? '', out.length), v));
      continue;
    }
    if (kindOf(e) !== 'SimpleNamedExpression' && isTuple(e)) {
      for (const v of multiValue(lx, e, scope, row)) define(nameFor(e, '', out.length), v);
      continue;
    }
    const n = lx.named(e, scope, row);
    define(nameFor(e, n.name, out.length), n.expr);
  }
  return out;
}

const isTuple = (e: KNode) => String(e.ResultType?.Name ?? '').toLowerCase() === 'tuple' || kindOf(e.ResultType ?? {}) === 'Tuple';

/** Kusto's name for an unnamed value (tostring(Location) -> Location), when the analyser's schema has it. */
function kustoName(e: KNode, columns: KqlColumn[]): string | undefined {
  const name = resultNameOf(e);
  return name !== undefined && columns.some((c) => c.name === name) ? name : undefined;
}

export function lowerExtend(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  const columns = outputOf(op);
  const exprsOf = listOf(op.Expressions);
  const given = new Set(input.columns.map((c) => c.name));
  for (const e of exprsOf) {
    if (kindOf(e) === 'SimpleNamedExpression') given.add(String(e.Name.SimpleName));
    if (kindOf(e) === 'CompoundNamedExpression') for (const n of listOf(e.Names.Names)) given.add(String(n.SimpleName));
  }
  // Unnamed values take the names of the columns the analyser added, in order.
  const newNames = columns.map((c) => c.name).filter((n) => !given.has(n));
  let unnamed = 0;
  const { row, result: values, position } = withWindows(lx, input, () => namedValues(lx, input, exprsOf, scope,
    (e, implied) => implied || kustoName(e, columns) || newNames[unnamed++] || fail(e, 'An unnamed expression')));
  const byName = new Map(values.map((v) => [v.name, v.expr]));
  const exprs: Named[] = columns.map((c) => ({ name: c.name, expr: byName.get(c.name) ?? col(c.name, c.type) }));
  return inOrder({ kind: 'project', input: row, exprs, columns }, position);
}

export function lowerProject(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  const columns = outputOf(op);
  const { row, result: values, position } = withWindows(lx, input, () => namedValues(lx, input, listOf(op.Expressions), scope,
    (e, _implied, i) => columns[i]?.name ?? fail(e, 'A project whose output the compiler cannot match to its expressions')));
  if (values.length !== columns.length) return fail(op, 'A project whose output the compiler cannot match to its expressions');
  return inOrder({ kind: 'project', input: row, exprs: values, columns }, position);
}

/** project-away / keep / rename / reorder: the analyser's schema says which columns stay, under which names. */
export function lowerReshape(_lx: Lowerer, input: Relation, op: KNode): Relation {
  const columns = outputOf(op);
  const kind = kindOf(op);
  const renames = new Map<string, string>();
  if (kind === 'ProjectRenameOperator') {
    for (const e of listOf(op.Expressions)) {
      if (kindOf(e) !== 'SimpleNamedExpression') return fail(e, 'This form of project-rename');
      renames.set(String(e.Name.SimpleName), String(e.Expression.ReferencedSymbol?.Name ?? implicitName(e.Expression)));
    }
  }
  const exprs: Named[] = columns.map((c) => {
    const source = renames.get(c.name) ?? c.name;
    const from = input.columns.find((x) => x.name === source);
    if (from === undefined) return fail(op, `Column '${c.name}' after ${kind}`);
    return { name: c.name, expr: col(from.name, from.type) };
  });
  return { kind: 'project', input, exprs, columns };
}
