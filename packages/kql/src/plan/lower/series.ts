// make-series [kind=nonempty] Agg [default=v], ... on Axis (from a to b step s | in range(a, b, s))
// [by keys]. Kusto: bins are a + k*s below b; a missing default is 0 (of the aggregate's type);
// each series is a dynamic array, the axis too.
import { aggregateFunction } from '../../functions/catalog.ts';
import { kindOf, listOf, type KNode } from '../../syntax/kusto-runtime.ts';
import type { Lowerer } from '../lower.ts';
import { lit, type LiteralValue, type Named, type Relation, type Scalar, type SeriesAggregate } from '../nodes.ts';
import type { Scope } from '../scope.ts';
import { fail, isHint, outputOf, parametersOf, typeOf } from './context.ts';

export function lowerMakeSeries(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  const columns = outputOf(op);
  let nonempty = false;
  for (const p of parametersOf(op.Parameters)) {
    if (p.name === 'kind') nonempty = p.text.toLowerCase() === 'nonempty';
    else if (!isHint(p.name)) fail(p.node, `The make-series parameter '${p.name}'`);
  }
  const aggregates: SeriesAggregate[] = [];
  listOf(op.Aggregates).forEach((e: KNode, i: number) => {
    let body = e.Expression;
    if (kindOf(body) === 'SimpleNamedExpression') body = body.Expression;
    if (kindOf(body) !== 'FunctionCallExpression') return fail(body, 'A make-series expression that is not one aggregate call', 'Compute the value with summarize or extend instead.');
    const fn = String(body.Name.SimpleName);
    const spec = aggregateFunction(fn) ?? fail(body, `The aggregate '${fn}'`);
    const args = listOf(body.ArgumentList.Expressions).map((a: KNode) => (kindOf(a) === 'StarExpression' ? lit(null, 'long') : lx.scalar(a, scope, input)));
    const type = typeOf(body);
    const fill = e.DefaultExpression ? lx.scalar(e.DefaultExpression.Expression, scope, undefined) : lit(zero(type), type);
    aggregates.push({ name: columns[(listOf(op.ByClause?.Expressions).length) + i]!.name, call: { fn: spec.name, args, type }, fill });
  });
  const keyNodes = listOf(op.ByClause?.Expressions);
  const keys: Named[] = keyNodes.map((e: KNode, i: number) => ({ name: columns[i]!.name, expr: lx.named(e, scope, input).expr }));
  // Keys come first in the analyser's schema, then the series, then the axis.
  const axisNode = op.OnClause.Expression;
  const axisExpr = lx.scalar(axisNode, scope, input);
  const axisName = columns[columns.length - 1]!.name;
  let from: Scalar | undefined;
  let to: Scalar | undefined;
  let step: Scalar;
  const range = op.RangeClause;
  if (kindOf(range) === 'MakeSeriesInRangeClause') {
    const [a, b, s] = listOf(range.Arguments.Expressions).map((x: KNode) => lx.scalar(x, scope, undefined));
    from = a; to = b; step = s ?? fail(range, 'make-series in range() without a step');
  } else {
    if (range.MakeSeriesFromClause) from = lx.scalar(range.MakeSeriesFromClause.Expression, scope, undefined);
    if (range.MakeSeriesToClause) to = lx.scalar(range.MakeSeriesToClause.Expression, scope, undefined);
    step = lx.scalar(range.MakeSeriesStepClause.Expression, scope, undefined);
  }
  if (!['datetime', 'long', 'int', 'real', 'decimal'].includes(axisExpr.type)) return fail(axisNode, `make-series on a ${axisExpr.type} axis`);
  if (axisExpr.type === 'datetime' && step.type !== 'timespan') return fail(range, 'make-series over datetimes with a step that is not a timespan');
  if (columns.length !== keys.length + aggregates.length + 1) return fail(op, 'A make-series whose output the compiler cannot match to the analyser\'s');
  return {
    kind: 'series', input, keys, aggregates, axis: { name: axisName, expr: axisExpr }, step, nonempty, columns,
    ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}),
  };
}

function zero(type: string): LiteralValue {
  switch (type) {
    case 'long': case 'timespan': return 0n;
    case 'int': case 'real': case 'decimal': return 0;
    default: return null;
  }
}
