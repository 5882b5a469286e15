// top-nested: hierarchical aggregation. Level i groups the input by the values of levels 1..i,
// aggregates, and keeps (per value path of levels 1..i-1 kept so far) the N groups with the
// highest (asc: lowest) aggregate; without N every group stays. `with others = v` adds, per
// kept path of the levels above, one row whose level-i value is v and whose aggregate covers the
// rows of the groups not kept (when there are any); the levels below it are empty. Output: each
// level's value and aggregate, as the analyser names them.
import { kindOf, listOf, type KNode } from '../../syntax/kusto-runtime.ts';
import type { KqlColumn } from '../../types.ts';
import type { Lowerer } from '../lower.ts';
import { call, col, lit, passThrough, type Named, type Relation, type Scalar } from '../nodes.ts';
import type { Scope } from '../scope.ts';
import { fail, outputOf } from './context.ts';
import { aggregateExpr, type Collected } from './summarize.ts';

interface Level {
  key: Scalar;
  value: Scalar;
  collected: Collected;
  count?: Scalar;
  descending: boolean;
  others?: Scalar;
}

const k = (i: number) => `__k${i}`;
const a = (i: number) => `__a${i}`;

export function lowerTopNested(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  const columns = outputOf(op);
  const clauses = listOf(op.Clauses);
  if (columns.length !== clauses.length * 2) return fail(op, 'A top-nested whose output the compiler cannot match to the analyser\'s');
  const levels: Level[] = clauses.map((clause: KNode) => {
    const key = lx.named(clause.OfExpression, scope, input).expr;
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
    let others: Scalar | undefined;
    if (clause.WithOthersClause) {
      others = lx.scalar(clause.WithOthersClause.Expression, scope, undefined);
      if (others.kind !== 'literal') return fail(clause.WithOthersClause, 'A computed top-nested others value');
    }
    return { key, value, collected, descending, ...(count !== undefined ? { count } : {}), ...(others !== undefined ? { others } : {}) };
  });
  // The input with each level's value as a column of its own (a value may be named like a column it reads).
  const keyed: Relation = {
    kind: 'project', input, exprs: [...passThrough(input.columns), ...levels.map((l, i) => ({ name: k(i), expr: l.key }))],
    columns: [...input.columns, ...levels.map((l, i) => ({ name: k(i), type: l.key.type }))],
  };
  const keyColumns = (n: number): KqlColumn[] => levels.slice(0, n).map((l, i) => ({ name: k(i), type: l.key.type }));
  const pathColumns = (n: number): KqlColumn[] => levels.slice(0, n).flatMap((l, i) => [{ name: k(i), type: l.key.type }, { name: a(i), type: l.value.type }]);
  const onKeys = (n: number) => keyColumns(n).map((c) => ({ left: c.name, right: c.name }));

  let kept: Relation | undefined;
  const others: Relation[] = [];
  levels.forEach((level, i) => {
    const keys = keyColumns(i + 1);
    const grouped: Relation = {
      kind: 'aggregate', input: keyed, keys: keys.map((c) => ({ name: c.name, expr: col(c.name, c.type) })), aggregates: level.collected,
      columns: [...keys, ...level.collected.map((x) => ({ name: x.name, type: x.call.type }))],
    };
    const valued: Relation = {
      kind: 'project', input: grouped, exprs: [...passThrough(keys), { name: a(i), expr: level.value }],
      columns: [...keys, { name: a(i), type: level.value.type }],
    };
    // Only groups under a kept path of the levels above (with those levels' aggregates).
    const parents = kept;
    const candidates: Relation = parents === undefined ? valued : joinOn(parents, valued, onKeys(i), [...pathColumns(i), keys[i]!, { name: a(i), type: level.value.type }]);
    let top = candidates;
    let rest: Relation | undefined;
    if (level.count !== undefined) {
      const rank = `__rank${lx.newId('')}`;
      const window: Scalar = {
        kind: 'window', fn: 'row_number', args: [], type: 'long', ...(i > 0 ? { partition: keyColumns(i).map((c) => col(c.name, c.type)) } : {}),
        order: [{ expr: col(a(i), level.value.type), descending: level.descending, nullsFirst: !level.descending }],
      };
      const numbered: Relation = {
        kind: 'project', input: candidates, exprs: [...passThrough(candidates.columns), { name: rank, expr: window }],
        columns: [...candidates.columns, { name: rank, type: 'long' }],
      };
      const cut = (keep: boolean): Relation => ({
        kind: 'project', columns: candidates.columns, exprs: passThrough(candidates.columns),
        input: { kind: 'filter', input: numbered, predicate: call(keep ? 'op:<=' : 'op:>', 'bool', col(rank, 'long'), level.count!), columns: numbered.columns },
      });
      top = cut(true);
      rest = cut(false);
    }
    if (level.others !== undefined && rest !== undefined) others.push(othersRow(level, i, rest, parents));
    kept = top;
  });

  function othersRow(level: Level, i: number, rest: Relation, parents: Relation | undefined): Relation {
    // The rows of the groups not kept, aggregated per path of the levels above.
    const restKeys: Relation = { kind: 'project', input: rest, exprs: passThrough(keyColumns(i + 1)), columns: keyColumns(i + 1) };
    const rows: Relation = {
      kind: 'join', joinKind: 'leftsemi', left: keyed, right: restKeys, on: onKeys(i + 1),
      output: keyed.columns.map((c) => ({ name: c.name, side: 'left' as const, column: c.name })), columns: keyed.columns,
    };
    const counted = '__rows';
    const grouped: Relation = {
      kind: 'aggregate', input: rows, keys: keyColumns(i).map((c) => ({ name: c.name, expr: col(c.name, c.type) })),
      aggregates: [...level.collected, { name: counted, call: { fn: 'count', args: [], type: 'long' } }],
      columns: [...keyColumns(i), ...level.collected.map((x) => ({ name: x.name, type: x.call.type })), { name: counted, type: 'long' }],
    };
    const some: Relation = { kind: 'filter', input: grouped, predicate: call('op:>', 'bool', col(counted, 'long'), lit(0n, 'long')), columns: grouped.columns };
    const valued: Relation = {
      kind: 'project', input: some,
      exprs: [...passThrough(keyColumns(i)), { name: k(i), expr: call('convert', level.key.type, level.others!) }, { name: a(i), expr: level.value }],
      columns: [...keyColumns(i), { name: k(i), type: level.key.type }, { name: a(i), type: level.value.type }],
    };
    return parents === undefined ? valued : joinOn(parents, valued, onKeys(i), [...pathColumns(i), { name: k(i), type: level.key.type }, { name: a(i), type: level.value.type }]);
  }

  // Every result row with all the levels' columns (the levels below an others row are empty).
  const all = pathColumns(levels.length);
  const padded = [kept!, ...others].map((r): Relation => ({
    kind: 'project', input: r, columns: all,
    exprs: all.map((c) => ({ name: c.name, expr: r.columns.some((x) => x.name === c.name) ? col(c.name, c.type) : lit(c.type === 'string' ? '' : null, c.type) })),
  }));
  const result: Relation = padded.length === 1 ? padded[0]! : { kind: 'union', inputs: padded, mapping: padded.map(() => all.map((c) => c.name)), columns: all };
  const exprs: Named[] = columns.map((c, j) => {
    const from = all[j]!;
    return { name: c.name, expr: from.type === c.type ? col(from.name, from.type) : call('convert', c.type, col(from.name, from.type)) };
  });
  return { kind: 'project', input: result, exprs, columns };
}

/** An inner join on `on`, its output named as `columns` (each from the side that has it, left first). */
function joinOn(left: Relation, right: Relation, on: { left: string; right: string }[], columns: KqlColumn[]): Relation {
  return {
    kind: 'join', joinKind: 'inner', left, right, on,
    output: columns.map((c) => ({ name: c.name, side: left.columns.some((x) => x.name === c.name) ? 'left' as const : 'right' as const, column: c.name })),
    columns,
  };
}
