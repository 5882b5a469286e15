// Generic traversal for rewrites: rebuild a relation bottom-up, or map every scalar in a node.
import type { Relation, Scalar } from '../nodes.ts';

/** Applies `fn` to every relation, children first. */
export function mapRelation(r: Relation, fn: (r: Relation) => Relation): Relation {
  switch (r.kind) {
    case 'scan': case 'values': case 'range': case 'external': return fn(r);
    case 'join': return fn({ ...r, left: mapRelation(r.left, fn), right: mapRelation(r.right, fn) });
    case 'union': return fn({ ...r, inputs: r.inputs.map((i) => mapRelation(i, fn)) });
    default: return fn({ ...r, input: mapRelation(r.input, fn) } as Relation);
  }
}

/** Applies `fn` to each top-level scalar of one relation (not into its inputs), and into the plans of its subqueries. */
export function mapScalars(r: Relation, fn: (s: Scalar) => Scalar): Relation {
  const deep = (s: Scalar): Scalar => {
    const mapped = fn(s);
    if (mapped.kind === 'subquery') return { ...mapped, plan: mapRelation(mapped.plan, (x) => mapScalars(x, fn)) };
    return mapped;
  };
  return mapOwnScalars(r, deep);
}

/** Applies `fn` to each top-level scalar of one relation, and nothing else. */
function mapOwnScalars(r: Relation, fn: (s: Scalar) => Scalar): Relation {
  switch (r.kind) {
    case 'values': return { ...r, rows: r.rows.map((row) => row.map(fn)) };
    case 'range': return { ...r, from: fn(r.from), to: fn(r.to), step: fn(r.step) };
    case 'filter': return { ...r, predicate: fn(r.predicate) };
    case 'project': return { ...r, exprs: r.exprs.map((e) => ({ ...e, expr: fn(e.expr) })) };
    case 'aggregate': return {
      ...r,
      keys: r.keys.map((k) => ({ ...k, expr: fn(k.expr) })),
      aggregates: r.aggregates.map((a) => ({ ...a, call: { ...a.call, args: a.call.args.map(fn) } })),
    };
    case 'sort': return { ...r, keys: r.keys.map((k) => ({ ...k, expr: fn(k.expr) })) };
    case 'limit': case 'sample': return { ...r, count: fn(r.count) };
    case 'series': return {
      ...r,
      keys: r.keys.map((k) => ({ ...k, expr: fn(k.expr) })),
      aggregates: r.aggregates.map((a) => ({ ...a, fill: fn(a.fill), call: { ...a.call, args: a.call.args.map(fn) } })),
      axis: { ...r.axis, expr: fn(r.axis.expr) },
      step: fn(r.step),
      ...(r.from !== undefined ? { from: fn(r.from) } : {}),
      ...(r.to !== undefined ? { to: fn(r.to) } : {}),
    };
    case 'mvexpand': return { ...r, expand: r.expand.map((e) => ({ ...e, expr: fn(e.expr) })) };
    default: return r;
  }
}

/**
 * Applies `fn` to every relation, children first, including the relations of subqueries
 * (toscalar(), `in (subquery)`) at any depth: each exactly once. For rewrites that must reach
 * every table a query reads (the workspaces list, the time range).
 */
export function mapRelationDeep(r: Relation, fn: (r: Relation) => Relation): Relation {
  const inScalar = (s: Scalar): Scalar => {
    switch (s.kind) {
      case 'subquery': return { ...s, plan: mapRelationDeep(s.plan, fn) };
      case 'call': return { ...s, args: s.args.map(inScalar) };
      case 'window': return {
        ...s,
        args: s.args.map(inScalar),
        order: s.order.map((k) => ({ ...k, expr: inScalar(k.expr) })),
        ...(s.partition !== undefined ? { partition: s.partition.map(inScalar) } : {}),
      };
      default: return s;
    }
  };
  return mapRelation(r, (x) => fn(mapOwnScalars(x, inScalar)));
}

/** Every scalar a relation holds directly (not its inputs'), including call arguments. */
export function scalarsOf(r: Relation): Scalar[] {
  const out: Scalar[] = [];
  mapScalars(r, (s) => {
    const stack = [s];
    while (stack.length > 0) {
      const x = stack.pop()!;
      out.push(x);
      if (x.kind === 'call' || x.kind === 'window') stack.push(...x.args);
      if (x.kind === 'window') stack.push(...(x.partition ?? []), ...x.order.map((k) => k.expr));
    }
    return s;
  });
  return out;
}

/** Visits every relation of a plan, including those inside toscalar() and `in (subquery)`. */
export function visitRelations(r: Relation, fn: (r: Relation) => void): void {
  fn(r);
  for (const s of scalarsOf(r)) if (s.kind === 'subquery') visitRelations(s.plan, fn);
  switch (r.kind) {
    case 'scan': case 'values': case 'range': case 'external': return;
    case 'join': visitRelations(r.left, fn); visitRelations(r.right, fn); return;
    case 'union': r.inputs.forEach((i) => visitRelations(i, fn)); return;
    default: visitRelations(r.input, fn);
  }
}
