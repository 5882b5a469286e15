// Functions that return several values (series_stats, series_fit_line...), used as
// `extend (a, b) = f(x)` or `extend f(x)`. Each is computed once, as a dynamic bag from the
// catalogue (`<name>_dynamic`), in a helper column; the values are the bag's fields.
import { isScalarFunction } from '../../functions/catalog.ts';
import { kindOf, listOf, type KNode } from '../../syntax/kusto-runtime.ts';
import type { KqlType } from '../../types.ts';
import type { Lowerer } from '../lower.ts';
import { call, lit, type Relation, type Scalar } from '../nodes.ts';
import type { Scope } from '../scope.ts';
import { fail } from './context.ts';
import { DEEP } from './refused.ts';

/** The fields each multi-value function returns, in Kusto's order. */
const FIELDS: Record<string, [string, KqlType][]> = {
  series_stats: [['min', 'real'], ['min_idx', 'long'], ['max', 'real'], ['max_idx', 'long'], ['avg', 'real'], ['stdev', 'real'], ['variance', 'real']],
  series_fit_line: [['rsquare', 'real'], ['slope', 'real'], ['variance', 'real'], ['rvariance', 'real'], ['interception', 'real'], ['line_fit', 'dynamic']],
  series_decompose_anomalies: [['ad_flag', 'dynamic'], ['ad_score', 'dynamic'], ['baseline', 'dynamic']],
  series_decompose: [['baseline', 'dynamic'], ['seasonal', 'dynamic'], ['trend', 'dynamic'], ['residual', 'dynamic']],
};

export function multiValue(lx: Lowerer, node: KNode, scope: Scope, row: Relation): Scalar[] {
  if (kindOf(node) !== 'FunctionCallExpression') return fail(node, 'This expression with several values');
  const fn = String(node.ReferencedSymbol?.Name ?? node.Name.SimpleName);
  const fields = FIELDS[fn];
  const backing = `${fn}_dynamic`;
  if (fields === undefined || !isScalarFunction(backing)) {
    return fail(node, `The function '${fn}'`, DEEP[fn]);
  }
  const args = listOf(node.ArgumentList.Expressions).map((a) => lx.scalar(a, scope, row));
  const bag = call(backing, 'dynamic', ...args);
  const shared = lx.windowHelpers?.add(0, bag) ?? bag;
  return fields.map(([field, type]) => {
    const value = call('dyn_path', 'dynamic', shared, lit(`$.${JSON.stringify(field)}`, 'string'));
    return type === 'dynamic' ? value : call('convert', type, value);
  });
}
