// mv-apply: each input row's arrays are expanded (as mv-expand does) into a small table of its
// own, the subquery runs on that table, and its rows come out joined with the input row. Here
// every row gets a number; the subquery is lowered over all expanded rows at once and then made
// per-row (byRow): the number travels through every operator, summarize groups by it, and a
// summarize without `by` gives a row even where no element reached it (Kusto's summarize of an
// empty table), with the values of that empty case. Subqueries with take/top, joins, unions or
// window functions are refused.
import { kindOf, listOf, type KNode } from '../../syntax/kusto-runtime.ts';
import { kqlTypeOf } from '../../syntax/symbols.ts';
import type { KqlColumn, KqlType } from '../../types.ts';
import type { Lowerer } from '../lower.ts';
import { call, col, lit, passThrough, type Expansion, type Relation, type Scalar } from '../nodes.ts';
import type { Scope } from '../scope.ts';
import { fail, implicitName, isHint, outputOf, parametersOf, resultNameOf } from './context.ts';
import { containsWindow } from './window.ts';

export function lowerMvApply(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  const columns = outputOf(op);
  if (op.ContextIdClause) return fail(op.ContextIdClause, 'mv-apply with context_id');
  let bags: Expansion['bags'] = 'bag';
  let indexColumn: string | undefined;
  for (const p of parametersOf(op.Parameters)) {
    if (p.name === 'kind' || p.name === 'bagexpansion') bags = p.text.toLowerCase() === 'array' ? 'array' : 'bag';
    else if (p.name === 'with_itemindex') indexColumn = p.text;
    else if (!isHint(p.name)) fail(p.node, `The mv-apply parameter '${p.name}'`);
  }
  const id = lx.newId('');
  const row = `__row${id}`;
  const rowCol = { kind: 'column' as const, name: row, type: 'long' as const };
  // Numbered once (a shared relation): the numbers must be the same everywhere they are joined on.
  const numberedRows: Relation = {
    kind: 'project', input, exprs: [...passThrough(input.columns), { name: row, expr: { kind: 'window', fn: 'row_index', args: [], type: 'long', order: [] } }],
    columns: [...input.columns, { name: row, type: 'long' }],
  };
  const numbered: Relation = { kind: 'shared', id: lx.newId('rows'), input: numberedRows, columns: numberedRows.columns };
  const expand: Expansion[] = [];
  let expandedColumns: KqlColumn[] = [...numbered.columns];
  for (const e of listOf(op.Expressions)) {
    const inner = kindOf(e) === 'MvApplyExpression' ? e.Expression : e;
    const n = lx.named(inner, scope, numbered);
    const name = n.name || implicitName(inner) || resultNameOf(inner) || fail(inner, 'mv-apply of an unnamed expression');
    if (n.expr.type !== 'dynamic') return fail(inner, `mv-apply of a ${n.expr.type} value`);
    const type: KqlType = e.ToTypeOf ? typeNamed(e.ToTypeOf) : 'dynamic';
    expand.push({ name, expr: n.expr, type, bags });
    expandedColumns = expandedColumns.some((c) => c.name === name)
      ? expandedColumns.map((c) => (c.name === name ? { name, type } : c))
      : [...expandedColumns, { name, type }];
  }
  if (indexColumn !== undefined) expandedColumns = [...expandedColumns, { name: indexColumn, type: 'long' }];
  let limit: number | undefined;
  if (op.RowLimitClause) {
    const v = lx.scalar(op.RowLimitClause.RowLimit, scope, undefined);
    if (v.kind !== 'literal' || v.value === null) return fail(op.RowLimitClause, 'A computed mv-apply limit');
    limit = Number(v.value);
  }
  const expanded: Relation = {
    kind: 'mvexpand', input: numbered, expand, columns: expandedColumns,
    ...(limit !== undefined ? { limit } : {}), ...(indexColumn !== undefined ? { indexColumn } : {}),
  };
  const subquery = lx.pipeline(op.Subquery, expanded, scope);
  const perRow = byRow(subquery, { expanded, row: rowCol, all: numbered, at: op.Subquery, lx });
  // Each subquery row joined with its input row; the subquery's columns win.
  const output = columns.map((c) => (perRow.columns.some((x) => x.name === c.name)
    ? { name: c.name, side: 'right' as const, column: c.name }
    : { name: c.name, side: 'left' as const, column: c.name }));
  return { kind: 'join', joinKind: 'inner', left: numbered, right: perRow, on: [{ left: row, right: row }], output, columns };
}

function typeNamed(clause: KNode): KqlType {
  const text = String(clause.toString()).replace(/^\s*to\s+typeof\s*\(\s*|\s*\)\s*$/gi, '').trim().toLowerCase();
  const aliases: Record<string, KqlType> = { double: 'real', date: 'datetime', time: 'timespan', boolean: 'bool', uniqueid: 'guid', int64: 'long', int32: 'int' };
  const known = ['bool', 'datetime', 'dynamic', 'guid', 'int', 'long', 'real', 'decimal', 'string', 'timespan'];
  const type = aliases[text] ?? (known.includes(text) ? text as KqlType : undefined);
  return type ?? kqlTypeOf(clause.Type) ?? fail(clause, `mv-apply to typeof(${text})`);
}

interface PerRow { expanded: Relation; row: Scalar & { kind: 'column' }; all: Relation; at: KNode; lx: Lowerer }

const withRow = (columns: KqlColumn[], row: string): KqlColumn[] => (columns.some((c) => c.name === row) ? columns : [...columns, { name: row, type: 'long' }]);

/** The subquery's plan made per input row: the row number carried up from the expanded rows. */
function byRow(r: Relation, ctx: PerRow): Relation {
  if (r === ctx.expanded) return r;
  const row = ctx.row.name;
  const refuse = (what: string): never => fail(ctx.at, `${what} inside mv-apply`, 'mv-apply here takes where, extend, project, parse, mv-expand, distinct, sort and summarize.');
  switch (r.kind) {
    case 'filter': case 'serialize': case 'distinct': {
      const input = byRow(r.input, ctx);
      if (r.kind === 'filter' && containsWindow(r.predicate)) refuse('A window function');
      return { ...r, input, columns: withRow(r.columns, row) } as Relation;
    }
    case 'sort': {
      const input = byRow(r.input, ctx);
      return { ...r, input, keys: [{ expr: ctx.row, descending: false, nullsFirst: false }, ...r.keys], columns: withRow(r.columns, row) };
    }
    case 'project': {
      if (r.exprs.some((e) => containsWindow(e.expr))) refuse('A window function');
      const input = byRow(r.input, ctx);
      return { ...r, input, exprs: r.exprs.some((e) => e.name === row) ? r.exprs : [...r.exprs, { name: row, expr: ctx.row }], columns: withRow(r.columns, row) };
    }
    case 'mvexpand': {
      const input = byRow(r.input, ctx);
      return { ...r, input, columns: withRow(r.columns, row) };
    }
    case 'aggregate': {
      const input = byRow(r.input, ctx);
      const grouped: Relation = { ...r, input, keys: [{ name: row, expr: ctx.row }, ...r.keys], columns: [{ name: row, type: 'long' }, ...r.columns] };
      if (r.keys.length > 0) return grouped;
      return everyRow(grouped, r, input, ctx);
    }
    default:
      return refuse(`The operator behind '${r.kind}'`);
  }
}

/**
 * A summarize without `by` gives one row per input row: where no element reached it, the values
 * Kusto's summarize gives for an empty table (computed once, from the same aggregates over no rows).
 */
function everyRow(grouped: Relation & { kind: 'aggregate' }, original: Relation & { kind: 'aggregate' }, input: Relation, ctx: PerRow): Relation {
  const row = ctx.row.name;
  const hit = `${row}_hit`;
  const rows: Relation = { kind: 'project', input: ctx.all, exprs: [{ name: row, expr: ctx.row }], columns: [{ name: row, type: 'long' }] };
  const joined: Relation = {
    kind: 'join', joinKind: 'leftouter', left: rows, right: grouped, on: [{ left: row, right: row }],
    output: [{ name: row, side: 'left', column: row }, { name: hit, side: 'right', column: row }, ...original.columns.map((c) => ({ name: c.name, side: 'right' as const, column: c.name }))],
    columns: [{ name: row, type: 'long' }, { name: hit, type: 'long' }, ...original.columns],
  };
  const empty: Relation = { ...original, input: { kind: 'filter', input, predicate: lit(false, 'bool'), columns: input.columns } };
  const found = call('isnotnull', 'bool', col(hit, 'long'));
  return {
    kind: 'project', input: joined, columns: [{ name: row, type: 'long' }, ...original.columns],
    exprs: [{ name: row, expr: ctx.row }, ...original.columns.map((c) => ({
      name: c.name,
      expr: call('iff', c.type, found, col(c.name, c.type), {
        kind: 'subquery', type: c.type,
        plan: { kind: 'project', input: empty, exprs: [{ name: c.name, expr: col(c.name, c.type) }], columns: [c] },
      } as Scalar),
    }))],
  };
}
