// summarize, count and distinct. Aggregates may sit anywhere in an expression
// (`summarize x = 100.0 * countif(ok) / count()`): they are collected as columns of one
// aggregate relation and the expression is computed over them by a projection.
import { aggregateFunction } from '../../functions/catalog.ts';
import { kindOf, listOf, symbolKindOf, type KNode } from '../../syntax/kusto-runtime.ts';
import type { KqlColumn } from '../../types.ts';
import type { Lowerer } from '../lower.ts';
import { col, lit, type AggregateCall, type Named, type Relation, type Scalar } from '../nodes.ts';
import type { Scope } from '../scope.ts';
import { argumentsOf, fail, implicitName, outputOf, typeOf } from './context.ts';
import { lowerProject } from './project.ts';

export type Collected = { name: string; call: AggregateCall }[];

export function lowerSummarize(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  const columns = outputOf(op);
  const byExprs = listOf(op.ByClause?.Expressions);
  const keys: Named[] = byExprs.map((e, i) => ({ name: columns[i]!.name, expr: lx.named(e, scope, input).expr }));
  const aggregates: Collected = [];
  const outputs: Named[] = keys.map((k) => ({ name: k.name, expr: col(k.name, columns.find((c) => c.name === k.name)!.type) }));
  let next = keys.length;
  let needsProject = false;
  // take_any(*) / take_any(a, b): values of one row; rows are numbered so each value comes from the same one.
  let rowNumber: string | undefined;
  for (const e of listOf(op.Aggregates)) {
    const named = kindOf(e) === 'SimpleNamedExpression' || kindOf(e) === 'CompoundNamedExpression';
    const body = named ? e.Expression : e;
    if (kindOf(e) === 'CompoundNamedExpression' && !(kindOf(body) === 'FunctionCallExpression' && /^arg_(max|min)$/.test(String(body.Name.SimpleName)))) {
      return fail(e, 'summarize (a, b) = ... of this function');
    }
    // arg_max(x, *) and friends produce several columns.
    if (kindOf(body) === 'FunctionCallExpression' && /^arg_(max|min)$/.test(String(body.Name.SimpleName))) {
      const produced = argExtreme(lx, body, input, scope, columns, next, byExprs, aggregates);
      outputs.push(...produced);
      next += produced.length;
      needsProject = true;
      continue;
    }
    if (kindOf(body) === 'FunctionCallExpression' && /^(take_any|any)$/i.test(String(body.Name.SimpleName))) {
      const args = listOf(body.ArgumentList.Expressions);
      if (args.length > 1 || args.some((a) => kindOf(a) === 'StarExpression')) {
        rowNumber ??= `__row${lx.newId('')}`;
        const produced = anyRow(lx, body, args, input, scope, columns, next, byExprs, aggregates, rowNumber);
        outputs.push(...produced);
        next += produced.length;
        needsProject = true;
        continue;
      }
    }
    const name = columns[next++]?.name ?? fail(e, 'An aggregate the compiler cannot name');
    const collected: Collected = [];
    const expr = aggregateExpr(lx, body, scope, input, collected);
    if (expr.kind === 'column' && collected.length === 1 && collected[0]!.name === expr.name) {
      aggregates.push({ name, call: collected[0]!.call });
      outputs.push({ name, expr: col(name, expr.type) });
    } else {
      aggregates.push(...collected);
      outputs.push({ name, expr });
      needsProject = true;
    }
  }
  // Every column the analyser expects must have its value: a shorter list would shift them.
  if (outputs.length !== columns.length) return fail(op, 'A summarize whose columns the compiler cannot match to the analyser\'s');
  const aggColumns: KqlColumn[] = [
    ...keys.map((k) => columns.find((c) => c.name === k.name)!),
    ...aggregates.map((a) => ({ name: a.name, type: a.call.type })),
  ];
  const numbered: Relation = rowNumber === undefined ? input : {
    kind: 'project', input,
    exprs: [...input.columns.map((c) => ({ name: c.name, expr: col(c.name, c.type) })), { name: rowNumber, expr: { kind: 'window', fn: 'row_number', args: [], type: 'long', order: [] } }],
    columns: [...input.columns, { name: rowNumber, type: 'long' }],
  };
  const agg: Relation = { kind: 'aggregate', input: numbered, keys, aggregates, columns: aggColumns };
  if (!needsProject) return { ...agg, columns };
  return { kind: 'project', input: agg, exprs: outputs, columns };
}

/** arg_max(by, *) or arg_max(by, a, b): the row's other columns at the extreme of `by`. */
function argExtreme(lx: Lowerer, body: KNode, input: Relation, scope: Scope, columns: KqlColumn[], at: number, byNodes: KNode[], aggregates: Collected): Named[] {
  const fn = String(body.Name.SimpleName);
  const [byNode, ...rest] = listOf(body.ArgumentList.Expressions);
  const by = lx.scalar(byNode, scope, input);
  const taken: { name: string; expr: Scalar; star?: true }[] = [];
  const keyColumns = keyReferences(byNodes);
  const byName = columns[at]?.name ?? fail(body, `${fn} naming`);
  taken.push({ name: byName, expr: by });
  // `*` adds the other columns: not those a key is (see keyReferences), and not the column `by`
  // reads (named apart when renamed).
  const byColumn = by.kind === 'column' ? by.name : undefined;
  for (const r of rest) {
    if (kindOf(r) === 'StarExpression') {
      for (const c of input.columns) {
        if (!keyColumns.has(c.name) && c.name !== byColumn && !taken.some((t) => t.name === c.name)) taken.push({ name: c.name, expr: col(c.name, c.type), star: true });
      }
    } else {
      const n = lx.named(r, scope, input);
      taken.push({ name: n.name || implicitName(r) || columns[at + taken.length]?.name || fail(r, `${fn} argument naming`), expr: n.expr });
    }
  }
  // The analyser's names win (it renames clashes: TimeGenerated1...).
  const out: Named[] = [];
  taken.forEach((t, i) => {
    const column = columns[at + i] ?? fail(body, `${fn} with more outputs than the analyser expects`);
    // A column `*` brings keeps its name, or gets a number when a key took it (D -> D1). Any
    // other name means the two lists do not line up: refuse rather than shift values.
    const renamed = column.name.startsWith(t.name) && /^\d+$/.test(column.name.slice(t.name.length));
    if (t.star === true && column.name !== t.name && !renamed) {
      fail(body, `${fn}(..., *) whose columns the compiler cannot match to the analyser's`);
    }
    const name = `__${fn}_${aggregates.length}`;
    aggregates.push({ name, call: { fn: fn === 'arg_max' ? 'arg_max' : 'arg_min', args: [t.expr, by], type: column.type } });
    out.push({ name: column.name, expr: col(name, column.type) });
  });
  return out;
}

/**
 * take_any(*) or take_any(a, b, ...): the values of one arbitrary row of the group, all from the
 * same row (Kusto). Each is taken at the group's highest row number, so they cannot mix rows.
 * `*` brings the columns that are not keys, as for arg_max (see keyReferences).
 */
function anyRow(lx: Lowerer, body: KNode, args: KNode[], input: Relation, scope: Scope, columns: KqlColumn[], at: number, byNodes: KNode[], aggregates: Collected, rowNumber: string): Named[] {
  const keyColumns = keyReferences(byNodes);
  const taken: { name: string; expr: Scalar; star?: true }[] = [];
  for (const a of args) {
    if (kindOf(a) === 'StarExpression') {
      for (const c of input.columns) {
        if (!keyColumns.has(c.name) && !taken.some((t) => t.name === c.name)) taken.push({ name: c.name, expr: col(c.name, c.type), star: true });
      }
    } else {
      const n = lx.named(a, scope, input);
      taken.push({ name: n.name || implicitName(a) || columns[at + taken.length]?.name || fail(a, 'take_any argument naming'), expr: n.expr });
    }
  }
  const out: Named[] = [];
  taken.forEach((t, i) => {
    const column = columns[at + i] ?? fail(body, 'take_any with more outputs than the analyser expects');
    const renamed = column.name.startsWith(t.name) && /^\d+$/.test(column.name.slice(t.name.length));
    if (t.star === true && column.name !== t.name && !renamed) fail(body, "take_any(*) whose columns the compiler cannot match to the analyser's");
    const name = `__take_any_${aggregates.length}`;
    aggregates.push({ name, call: { fn: 'arg_max', args: [t.expr, col(rowNumber, 'long')], type: column.type } });
    out.push({ name: column.name, expr: col(name, column.type) });
  });
  return out;
}

const CONVERSIONS = new Set(['tostring', 'tolong', 'toint', 'todouble', 'toreal', 'tobool', 'toboolean', 'todatetime', 'totimespan', 'toguid', 'todecimal']);

/**
 * The input columns the by-keys are, which `*` leaves out (as the analyser does, checked case by
 * case): a key that names a column (`by A`, `by Foo = A`), or converts one to its own type
 * (`tostring(D)` of a string D). Any other key (`tostring(C)` of a dynamic, `bin(X, 1h)`,
 * `tolower(D)`) leaves the column in, renamed when the key took its name.
 */
function keyReferences(byNodes: KNode[]): Set<string> {
  const out = new Set<string>();
  for (const node of byNodes) {
    let e = kindOf(node) === 'SimpleNamedExpression' ? node.Expression : node;
    if (kindOf(e) === 'FunctionCallExpression' && CONVERSIONS.has(String(e.Name.SimpleName).toLowerCase())) {
      const args = listOf(e.ArgumentList.Expressions);
      const arg = args.length === 1 ? args[0] : undefined;
      if (arg === undefined || kindOf(arg) !== 'NameReference' || typeOf(arg) !== typeOf(e)) continue;
      e = arg;
    }
    if (kindOf(e) === 'NameReference' && symbolKindOf(e.ReferencedSymbol) === 'Column') out.add(String(e.SimpleName));
  }
  return out;
}

/** An aggregate expression: aggregate calls collected (as columns __aggN), the rest scalar over them. */
export function aggregateExpr(lx: Lowerer, node: KNode, scope: Scope, input: Relation, collected: Collected): Scalar {
  if (kindOf(node) === 'FunctionCallExpression') {
    const fn = String(node.Name.SimpleName);
    const spec = aggregateFunction(fn);
    if (spec !== undefined) {
      const args = argumentsOf(node).map((a) => (kindOf(a) === 'StarExpression' ? lit(null, 'long') : lx.scalar(a, scope, input)));
      const type = typeOf(node);
      const name = `__agg${lx.newId('')}`;
      collected.push({ name, call: { fn: spec.name, args, type } });
      return col(name, type);
    }
  }
  return lx.scalar(node, scope, input, (inner) => aggregateExpr(lx, inner, scope, input, collected));
}

export function lowerCount(_lx: Lowerer, input: Relation, op: KNode): Relation {
  const [out] = outputOf(op);
  return { kind: 'aggregate', input, keys: [], aggregates: [{ name: out!.name, call: { fn: 'count', args: [], type: 'long' } }], columns: [out!] };
}

export function lowerDistinct(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  const exprs = listOf(op.Expressions);
  if (exprs.length === 1 && kindOf(exprs[0]) === 'StarExpression') return { kind: 'distinct', input, columns: input.columns };
  const projected = lowerProject(lx, input, op, scope);
  return { kind: 'distinct', input: projected, columns: projected.columns };
}
