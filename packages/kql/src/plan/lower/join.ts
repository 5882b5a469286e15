// join and lookup. Kusto's join compares keys for equality only (`on Key`, `$left.a == $right.b`,
// joined with `and`); the default kind is innerunique (one left row per key value). Output: the
// left columns, then the right ones (the analyser renames clashes: Key1, Name1); lookup keeps
// each same-named key once and left rows without a match (kind=leftouter, its default).
import { KqlError } from '../../diagnostics.ts';
import { kindOf, listOf, spanOf, type KNode } from '../../syntax/kusto-runtime.ts';
import type { Lowerer } from '../lower.ts';
import type { JoinKind, Relation } from '../nodes.ts';
import type { Scope } from '../scope.ts';
import { analyserErrorsIn, fail, isHint, outputOf, parametersOf } from './context.ts';

const JOIN_KINDS: Record<string, JoinKind> = {
  inner: 'inner', innerunique: 'innerunique', leftouter: 'leftouter', rightouter: 'rightouter', fullouter: 'fullouter',
  leftanti: 'leftanti', anti: 'leftanti', leftantisemi: 'leftanti', rightanti: 'rightanti', rightantisemi: 'rightanti',
  leftsemi: 'leftsemi', rightsemi: 'rightsemi',
};

export function lowerJoin(lx: Lowerer, left: Relation, op: KNode, scope: Scope): Relation {
  const lookup = kindOf(op) === 'LookupOperator';
  let kind: JoinKind = lookup ? 'leftouter' : 'innerunique';
  for (const p of parametersOf(op.Parameters)) {
    if (p.name === 'kind') {
      const value = p.text.toLowerCase();
      if (lookup && value !== 'inner' && value !== 'leftouter') fail(p.node, `lookup kind=${value}`, 'lookup takes kind=leftouter or kind=inner.');
      kind = JOIN_KINDS[value] ?? fail(p.node, `join kind=${value}`);
    } else if (!isHint(p.name)) {
      fail(p.node, `The ${lookup ? 'lookup' : 'join'} parameter '${p.name}'`);
    }
  }
  const right = lx.tabular(op.Expression, scope);
  const clause = op.ConditionClause ?? op.LookupClause;
  if (kindOf(clause) !== 'JoinOnClause') return fail(clause, 'join ... where', 'Use join ... on with equality conditions.');
  // Inside a function's body the analyser's errors are not raised by the analysis (a key that
  // one side lacks, on the data's schema): they are the query's error, not a lowering's.
  const rightSpan = spanOf(op.Expression);
  const [error] = analyserErrorsIn(op).filter((d) => d.start < rightSpan.start || d.start >= rightSpan.start + rightSpan.length);
  if (error !== undefined) throw new KqlError('semantic', error);
  const on: { left: string; right: string }[] = [];
  for (const e of listOf(clause.Expressions)) on.push(...joinCondition(e));
  const columns = outputOf(op);
  const output: { name: string; side: 'left' | 'right'; column: string }[] = [];
  const fromLeft = () => left.columns.forEach((c, i) => output.push({ name: columns[i]!.name, side: 'left', column: c.name }));
  if (kind === 'leftanti' || kind === 'leftsemi') {
    fromLeft();
  } else if (kind === 'rightanti' || kind === 'rightsemi') {
    right.columns.forEach((c, i) => output.push({ name: columns[i]!.name, side: 'right', column: c.name }));
  } else if (lookup) {
    fromLeft();
    // The right side's key columns do not repeat (the left's stay).
    const rightKeys = new Set(on.map((k) => k.right));
    let at = left.columns.length;
    for (const c of right.columns) if (!rightKeys.has(c.name)) output.push({ name: columns[at++]!.name, side: 'right', column: c.name });
  } else {
    fromLeft();
    right.columns.forEach((c, i) => output.push({ name: columns[left.columns.length + i]!.name, side: 'right', column: c.name }));
  }
  if (output.length !== columns.length || output.some((o) => o.name === undefined)) {
    return fail(op, 'A join whose output the compiler cannot match to the analyser\'s');
  }
  return { kind: 'join', joinKind: kind, left, right, on, output, columns };
}

function joinCondition(e: KNode): { left: string; right: string }[] {
  const kind = kindOf(e);
  if (kind === 'NameReference') return [{ left: String(e.SimpleName), right: String(e.SimpleName) }];
  if (kind === 'AndExpression') return [...joinCondition(e.Left), ...joinCondition(e.Right)];
  if (kind === 'EqualExpression') {
    const side = (x: KNode): { side: string; name: string } | undefined => {
      if (kindOf(x) !== 'PathExpression') return undefined;
      return { side: String(x.Expression.toString()).trim().toLowerCase(), name: String(x.Selector.SimpleName) };
    };
    const a = side(e.Left);
    const b = side(e.Right);
    if (a && b) {
      const l = a.side === '$left' ? a : b;
      const r = a.side === '$right' ? a : b;
      if (l.side === '$left' && r.side === '$right') return [{ left: l.name, right: r.name }];
    }
  }
  return fail(e, 'This join condition', 'Use column names, or $left.a == $right.b, joined with and.');
}
