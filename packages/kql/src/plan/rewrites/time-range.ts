// Rewrite: the query API's timespan restricts TimeGenerated of every table read (or, for
// near-real-time rules, _TimeReceived). Applied to the scans themselves, so that the engine
// skips data outside the range before anything else.
// Sentinel's Watchlist table is left out: it holds reference data (each item's row is written
// when the item changes), and Sentinel ignores a query's time range for watchlists, "in both the
// query UI and in scheduled alerts"; restricted, a rule's 5-minute window would see no item.
import type { Relation } from '../nodes.ts';
import { mapRelationDeep } from './walk.ts';

/** Tables a time range does not restrict (lower-case). */
const TIMELESS = new Set(['watchlist']);

export function restrictTimeRange(plan: Relation, range: { start?: bigint; end?: bigint; column: 'TimeGenerated' | '_TimeReceived' }): Relation {
  return mapRelationDeep(plan, (r) => {
    if (r.kind !== 'scan' || TIMELESS.has(r.table.toLowerCase()) || !r.columns.some((c) => c.name === range.column && c.type === 'datetime')) return r;
    return { ...r, timeRange: { ...r.timeRange, ...range } };
  });
}
