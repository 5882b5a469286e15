// Helpers for rewrites that change how a column is produced because of how the operators above
// use it: a project or summarize (the consumer) over operators that pass every column on.
import type { Relation, Scalar } from '../nodes.ts';

/** Operators that pass every input column on unchanged and hold scalars only over them. */
export type Passing = Relation & { kind: 'filter' | 'sort' | 'limit' | 'sample' | 'serialize' };

/**
 * For a project or summarize: the operators below it that pass every column on (where, sort,
 * take, sample, serialize; nearest first) and the first relation below them.
 */
export function chainBelow(consumer: Relation): { chain: Passing[]; below: Relation } | undefined {
  if (consumer.kind !== 'project' && consumer.kind !== 'aggregate') return undefined;
  const chain: Passing[] = [];
  let below = consumer.input;
  while (below.kind === 'filter' || below.kind === 'sort' || below.kind === 'limit' || below.kind === 'sample' || below.kind === 'serialize') {
    chain.push(below);
    below = below.input;
  }
  return { chain, below };
}

/** The consumer over the chain over `below` again, each with the input it had above. */
export function rebuild(consumer: Relation, chain: Relation[], below: Relation): Relation {
  let input = below;
  for (const r of [...chain].reverse()) input = { ...r, input } as Relation;
  return { ...consumer, input } as Relation;
}

/**
 * The scalars of a consumer or a passing operator, mapped by `fn` (top level only). Not through
 * walk.ts's mapScalars, which also maps inside toscalar() plans, where a column of the same name
 * is another column.
 */
export function mapOwn(r: Relation, fn: (s: Scalar) => Scalar): Relation {
  switch (r.kind) {
    case 'filter': return { ...r, predicate: fn(r.predicate) };
    case 'sort': return { ...r, keys: r.keys.map((k) => ({ ...k, expr: fn(k.expr) })) };
    case 'limit': case 'sample': return { ...r, count: fn(r.count) };
    case 'project': return { ...r, exprs: r.exprs.map((e) => ({ ...e, expr: fn(e.expr) })) };
    case 'aggregate': return {
      ...r,
      keys: r.keys.map((k) => ({ ...k, expr: fn(k.expr) })),
      aggregates: r.aggregates.map((a) => ({ ...a, call: { ...a.call, args: a.call.args.map(fn) } })),
    };
    default: return r;
  }
}

export function scalarsOf(r: Relation): Scalar[] {
  const out: Scalar[] = [];
  mapOwn(r, (s) => { out.push(s); return s; });
  return out;
}

/** `s` with every scalar below it (not into subqueries) passed through `fn`, innermost first. */
export function mapDeep(s: Scalar, fn: (s: Scalar) => Scalar): Scalar {
  switch (s.kind) {
    case 'call': return fn({ ...s, args: s.args.map((a) => mapDeep(a, fn)) });
    case 'window': return fn({
      ...s,
      args: s.args.map((a) => mapDeep(a, fn)),
      order: s.order.map((k) => ({ ...k, expr: mapDeep(k.expr, fn) })),
      ...(s.partition !== undefined ? { partition: s.partition.map((p) => mapDeep(p, fn)) } : {}),
    });
    default: return fn(s);
  }
}

/** Whether column `name` occurs in `s` other than where `allowed` says a call may hold it. */
export function usedOtherwise(s: Scalar, name: string, allowed: (call: Scalar & { kind: 'call' }) => boolean): boolean {
  if (s.kind === 'column') return s.name === name;
  if (s.kind === 'call') {
    if (allowed(s)) return s.args.slice(1).some((a) => usedOtherwise(a, name, allowed));
    return s.args.some((a) => usedOtherwise(a, name, allowed));
  }
  if (s.kind === 'window') return [...s.args, ...s.order.map((k) => k.expr), ...(s.partition ?? [])].some((a) => usedOtherwise(a, name, allowed));
  return false;
}
