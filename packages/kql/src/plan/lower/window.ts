// Window functions (prev, next, row_number, row_cumsum, row_rank_dense, row_rank_min,
// row_window_session) over a
// serialized row set. SQL cannot nest window functions, nor use them in WHERE: what a call needs
// computed first (restart groups, changes of value) is hoisted into helper columns of projections
// placed before the operator (levels, computed in order), which the operator's output drops.
import type { KNode } from '../../syntax/kusto-runtime.ts';
import type { KqlType } from '../../types.ts';
import type { Lowerer } from '../lower.ts';
import { col, passThrough, type Named, type Relation, type Scalar } from '../nodes.ts';
import { fail, semantic, typeOf } from './context.ts';
import { isSerialized } from './order.ts';

/** Window functions of KQL; the catalogue (functions/window.ts) has their SQL or their parts. */
export const WINDOW_FUNCTIONS = new Set(['prev', 'next', 'row_number', 'row_cumsum', 'row_rank_dense', 'row_rank_min', 'row_window_session']);

const over = (fn: string, args: Scalar[], type: KqlType, extra: Partial<Extract<Scalar, { kind: 'window' }>> = {}): Scalar =>
  ({ kind: 'window', fn, args, type, order: [], ...extra });

/** Helper columns, per level, that the operator being lowered must compute first. */
export class WindowHelpers {
  readonly levels: Named[][] = [];
  /**
   * A window with PARTITION BY gives its rows back grouped by partition: the row order is then
   * restored by this helper column (the rows' positions), which the operator sorts on.
   */
  position: Scalar | undefined;
  /** Columns defined earlier in the same operator: a helper is computed before them, so it inlines them. */
  inline: (s: Scalar) => Scalar = (s) => s;
  constructor(private readonly lx: Lowerer) {}

  add(level: number, raw: Scalar): Scalar {
    const expr = this.inline(raw);
    while (this.levels.length <= level) this.levels.push([]);
    const name = `__w${this.lx.newId('')}`;
    this.levels[level]!.push({ name, expr });
    return col(name, expr.type);
  }

  /** `input` with the helper columns added, level after level (each level sees the previous). */
  apply(input: Relation): Relation {
    let rel = input;
    for (const level of this.levels) {
      if (level.length === 0) continue;
      const columns = [...rel.columns, ...level.map((n) => ({ name: n.name, type: n.expr.type }))];
      rel = { kind: 'project', input: rel, exprs: [...passThrough(rel.columns), ...level], columns };
    }
    return rel;
  }
}

export function lowerWindowCall(lx: Lowerer, node: KNode, fn: string, args: Scalar[], row: Relation | undefined): Scalar {
  if (row === undefined) return fail(node, `${fn}() outside an operator over rows`);
  if (!isSerialized(row)) {
    return semantic(node, 'VQ013', `The function '${fn}' needs a serialized row set.`, 'Add | serialize, or | sort by ..., before the operator that calls it.');
  }
  const helpers = lx.windowHelpers ?? fail(node, `${fn}() in this operator`, 'Use it in extend, project, serialize or where.');
  const type = typeOf(node);
  switch (fn) {
    case 'prev': case 'next':
      return over(fn, args, type);
    case 'row_number': case 'row_cumsum': {
      const [first, restart] = args;
      const own = fn === 'row_number' ? (first !== undefined ? [first] : []) : [first!];
      if (restart === undefined) return over(fn, own, type);
      // Restarts: rows are numbered (summed) within groups that start where `restart` is true.
      const starts = helpers.add(0, restart);
      const index = helpers.position ??= helpers.add(0, over('row_index', [], 'long'));
      const group = helpers.add(1, over('running_countif', [starts], 'long'));
      return over(fn, own, type, { partition: [group], order: [{ expr: index, descending: false, nullsFirst: false }] });
    }
    case 'row_rank_dense': {
      const changed = helpers.add(0, over('changed', [args[0]!], 'bool'));
      return over('running_countif', [changed], type);
    }
    case 'row_rank_min': {
      const changed = helpers.add(0, over('changed', [args[0]!], 'bool'));
      const index = helpers.add(0, over('row_index', [], 'long'));
      return over('running_last_where', [changed, index], type);
    }
    case 'row_window_session': {
      // A session starts at the first row, after a null, where the value reaches the previous
      // value plus MaxDistanceBetweenNeighbors, where Restart is true, or where it reaches the
      // session's start plus MaxDistanceFromFirst. All but the last are row-local: they cut the
      // rows into segments; within one, the starts follow greedily from the first value.
      const [x, fromFirst, neighbors, restart] = args;
      const value = helpers.add(0, x!);
      const restarts = restart !== undefined ? [helpers.add(0, restart)] : [];
      const index = helpers.position ??= helpers.add(0, over('row_index', [], 'long'));
      const breaks = helpers.add(1, over('session_break', [value, neighbors!, ...restarts], 'bool'));
      const segment = helpers.add(2, over('running_countif', [breaks], 'long'));
      return over('session_start', [value, fromFirst!], type, { partition: [segment], order: [{ expr: index, descending: false, nullsFirst: false }] });
    }
    default:
      return fail(node, `${fn}()`);
  }
}

export function containsWindow(s: Scalar): boolean {
  switch (s.kind) {
    case 'window': return true;
    case 'call': return s.args.some(containsWindow);
    default: return false;
  }
}

/**
 * Lowers an operator's expressions with window helpers collected, and gives the relation they
 * must be evaluated over (the input, or the input with helper columns).
 */
export function withWindows<T>(lx: Lowerer, input: Relation, lower: () => T): { row: Relation; result: T; position: Scalar | undefined } {
  const saved = lx.windowHelpers;
  const helpers = new WindowHelpers(lx);
  lx.windowHelpers = helpers;
  try {
    const result = lower();
    return { row: helpers.apply(input), result, position: helpers.position };
  } finally {
    lx.windowHelpers = saved;
  }
}

/**
 * The operator's projection, in the serialized order again when a partitioned window disturbed
 * it: the position column is kept, sorted on, then dropped.
 */
export function inOrder(project: Relation & { kind: 'project' }, position: Scalar | undefined): Relation {
  if (position === undefined || position.kind !== 'column') return project;
  const withPosition: Relation = { ...project, exprs: [...project.exprs, { name: position.name, expr: position }], columns: [...project.columns, { name: position.name, type: position.type }] };
  const sorted: Relation = { kind: 'sort', input: withPosition, keys: [{ expr: position, descending: false, nullsFirst: false }], columns: withPosition.columns };
  return { kind: 'project', input: sorted, exprs: passThrough(project.columns), columns: project.columns };
}
