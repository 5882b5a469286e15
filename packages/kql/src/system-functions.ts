// Functions Sentinel defines in every workspace, which queries call like saved functions.
// Today: `_GetWatchlist(alias)`, the items of a watchlist as Sentinel returns them: the latest
// version of each item (by _DTTimestamp), deleted items left out, with SearchKey, _DTItemId and
// LastUpdatedTimeUTC, and the item's own fields (the watchlist's CSV columns) unpacked from
// WatchlistItem. Those columns depend on the data, so the body's bag_unpack is discovered at
// compile time (CompileEnv.discover); with no items the fixed columns remain.
import type { FunctionDef, WorkspaceDef } from './types.ts';

export const SYSTEM_FUNCTIONS: readonly FunctionDef[] = [
  {
    name: '_GetWatchlist',
    parameters: [{ name: 'watchlistAlias', type: 'string' }],
    body: `Watchlist
| where TimeGenerated < now()
| where _DTItemType == 'watchlist-item'
| where WatchlistAlias == watchlistAlias
| summarize arg_max(_DTTimestamp, _DTItemStatus, LastUpdatedTimeUTC, SearchKey, WatchlistItem) by _DTItemId
| where _DTItemStatus != 'Delete'
| project-away _DTTimestamp, _DTItemStatus
| evaluate bag_unpack(WatchlistItem)`,
  },
];

// The analyser's symbols are cached per WorkspaceDef object (syntax/symbols.ts): the same input
// gives back the same output object, so calling this on every compile keeps that cache warm.
const memo = new WeakMap<WorkspaceDef, WorkspaceDef>();

/** The workspace with the system functions added; a saved function of the same name wins. */
export function withSystemFunctions(workspace: WorkspaceDef): WorkspaceDef {
  const known = memo.get(workspace);
  if (known !== undefined) return known;
  const own = new Set(workspace.functions.map((f) => f.name.toLowerCase()));
  const added = SYSTEM_FUNCTIONS.filter((f) => !own.has(f.name.toLowerCase()));
  const out = added.length === 0 ? workspace : { ...workspace, functions: [...workspace.functions, ...added] };
  memo.set(workspace, out);
  return out;
}
