// Stable topological ordering: among the nodes whose dependencies are all
// placed, the one that comes first in the template is placed next.

export type OrderResult = { ok: true; order: number[] } | { ok: false; cycle: number[] };

/** `deps[i]` lists the nodes node i depends on (indexes are template order). */
export function topologicalOrder(deps: readonly (readonly number[])[]): OrderResult {
  const count = deps.length;
  const placed = new Array<boolean>(count).fill(false);
  const order: number[] = [];
  while (order.length < count) {
    let next = -1;
    for (let i = 0; i < count; i += 1) {
      if (!placed[i] && (deps[i] as readonly number[]).every((dep) => placed[dep])) {
        next = i;
        break;
      }
    }
    if (next < 0) return { ok: false, cycle: findCycle(deps, placed) };
    placed[next] = true;
    order.push(next);
  }
  return { ok: true, order };
}

/** A cycle among the unplaced nodes, as a path that starts and ends at the same node. */
function findCycle(deps: readonly (readonly number[])[], placed: readonly boolean[]): number[] {
  const state = new Map<number, 'visiting' | 'done'>();
  const stack: number[] = [];
  const visit = (node: number): number[] | null => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const dep of deps[node] as readonly number[]) {
      if (placed[dep]) continue;
      if (state.get(dep) === 'visiting') return [...stack.slice(stack.indexOf(dep)), dep];
      if (state.get(dep) === undefined) {
        const found = visit(dep);
        if (found !== null) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (let i = 0; i < deps.length; i += 1) {
    if (!placed[i] && state.get(i) === undefined) {
      const found = visit(i);
      if (found !== null) return found;
    }
  }
  return [];
}
