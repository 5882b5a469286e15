// top-nested: hierarchical aggregation. Level i groups the input by the values of levels 1..i,
// aggregates, and keeps (per value path of levels 1..i-1 kept so far) the N groups with the
// highest (asc: lowest) aggregate; without N every group stays. Output: each level's value and
// aggregate, level after level, as the analyser names them. `with others` is refused.
import { kindOf, listOf, type KNode } from '../../syntax/kusto-runtime.ts';
import type { Lowerer } from '../lower.ts';
import { call, col, passThrough, type Named, type Relation, type Scalar } from '../nodes.ts';
import type { Scope } from '../scope.ts';
import { fail, outputOf } from './context.ts';
import { aggregateExpr, type Collected } from './summarize.ts';

export function lowerTopNested(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  const columns = outputOf(op);
  const clauses = listOf(op.Clauses);
  if (columns.length !== clauses.length * 2) return fail(op, 'A top-nested whose output the compiler cannot match to the analyser\'s');
  const levels: { key: Named; aggregate: Named; collected: Collected; count?: Scalar; descending: boolean }[] = [];
  clauses.forEach((clause: KNode, i: number) => {
    if (clause.WithOthersClause) fail(clause.WithOthersClause, 'top-nested ... with others', 'Remove "with others", or compute the remainder with a separate summarize.');
    const key: Named = { name: columns[2 * i]!.name, expr: lx.named(clause.OfExpression, scope, input).expr };
    let by = clause.ByExpression;
    let descending = true;
    if (kindOf(by) === 'OrderedExpression') {
      const word = by.Ordering?.AscOrDescKeyword?.Text;
      if (word !== undefined && word !== null) descending = String(word).toLowerCase() === 'desc';
      if (by.Ordering?.NullsClause) fail(by.Ordering.NullsClause, 'top-nested with nulls first/last');
      by = by.Expression;
    }
    if (kindOf(by) === 'SimpleNamedExpression') by = by.Expression;
    const collected: Collected = [];
    const value = aggregateExpr(lx, by, scope, input, collected);
    if (collected.length === 0) return fail(by, 'A top-nested aggregation without an aggregate');
    let count: Scalar | undefined;
    if (clause.Expression) {
      count = lx.scalar(clause.Expression, scope, undefined);
      if (count.kind !== 'literal') return fail(clause.Expression, 'A computed top-nested count');
    }
    levels.push({ key, aggregate: { name: columns[2 * i + 1]!.name, expr: value }, collected, descending, ...(count !== undefined ? { count } : {}) });
  });
  let kept: Relation | undefined;
  levels.forEach((level, i) => {
    const keys = levels.slice(0, i + 1).map((l) => l.key);
    // The aggregate of this level per value path.
    const grouped: Relation = {
      kind: 'aggregate', input, keys, aggregates: level.collected,
      columns: [...keys.map((k) => ({ name: k.name, type: k.expr.type })), ...level.collected.map((a) => ({ name: a.name, type: a.call.type }))],
    };
    const valueColumns = keys.map((k) => ({ name: k.name, type: k.expr.type }));
    const withValue: Relation = {
      kind: 'project', input: grouped, exprs: [...passThrough(valueColumns), level.aggregate],
      columns: [...valueColumns, { name: level.aggregate.name, type: level.aggregate.expr.type }],
    };
    let ranked: Relation = withValue;
    if (level.count !== undefined) {
      const rank = `__rank${lx.newId('')}`;
      const parents = keys.slice(0, i).map((k) => col(k.name, k.expr.type));
      const window: Scalar = {
        kind: 'window', fn: 'row_number', args: [], type: 'long', ...(parents.length > 0 ? { partition: parents } : {}),
        order: [{ expr: col(level.aggregate.name, level.aggregate.expr.type), descending: level.descending, nullsFirst: !level.descending }],
      };
      const numbered: Relation = {
        kind: 'project', input: withValue, exprs: [...passThrough(withValue.columns), { name: rank, expr: window }],
        columns: [...withValue.columns, { name: rank, type: 'long' }],
      };
      const top: Relation = { kind: 'filter', input: numbered, predicate: call('op:<=', 'bool', col(rank, 'long'), level.count), columns: numbered.columns };
      ranked = { kind: 'project', input: top, exprs: passThrough(withValue.columns), columns: withValue.columns };
    }
    if (kept === undefined) {
      kept = ranked;
      return;
    }
    // Only paths whose parents were kept; the parents' aggregates come along.
    const previous: Relation = kept;
    const out = columns.slice(0, 2 * (i + 1));
    kept = {
      kind: 'join', joinKind: 'inner', left: previous, right: ranked,
      on: keys.slice(0, i).map((k) => ({ left: k.name, right: k.name })),
      output: out.map((c) => (previous.columns.some((p) => p.name === c.name) ? { name: c.name, side: 'left' as const, column: c.name } : { name: c.name, side: 'right' as const, column: c.name })),
      columns: out,
    };
  });
  const result = kept!;
  // The analyser's types win (an int aggregate, say): convert where the plan's differ.
  return { kind: 'project', input: result, exprs: columns.map((c, j) => ({ name: c.name, expr: result.columns[j]!.type === c.type ? col(c.name, c.type) : call('convert', c.type, col(c.name, result.columns[j]!.type)) })), columns };
}

