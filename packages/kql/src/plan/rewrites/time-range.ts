// Rewrite: the query API's timespan restricts TimeGenerated of every table read (or, for
// near-real-time rules, _TimeReceived). Applied to the scans themselves, so that the engine
// skips data outside the range before anything else.
import type { Relation } from '../nodes.ts';
import { mapRelation } from './walk.ts';

export function restrictTimeRange(plan: Relation, range: { start?: bigint; end?: bigint; column: 'TimeGenerated' | '_TimeReceived' }): Relation {
  return mapRelation(plan, (r) => {
    if (r.kind !== 'scan' || !r.columns.some((c) => c.name === range.column && c.type === 'datetime')) return r;
    return { ...r, timeRange: { ...r.timeRange, ...range } };
  });
}
