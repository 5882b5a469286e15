// A workspace's watchlists (Microsoft.SecurityInsights/watchlists) and their items, as
// @azure/arm-securityinsight calls them, and the number of items through the query API
// (_GetWatchlist('alias') | count), which is how a query sees the list.
import { armList, armRequest } from './arm-client.ts';

const V = 'api-version=2025-09-01';

export interface Watchlist {
  id: string;
  name: string;
  etag: string;
  properties: {
    displayName: string;
    watchlistAlias: string;
    provider: string;
    source?: string;
    sourceType?: string;
    description?: string;
    itemsSearchKey: string;
    created: string;
    updated: string;
    createdBy?: { name?: string; email?: string; objectId?: string };
    updatedBy?: { name?: string; email?: string; objectId?: string };
    labels?: string[];
  };
}

export interface WatchlistItem {
  id: string;
  name: string;
  etag: string;
  properties: {
    itemsKeyValue: Record<string, unknown>;
    updated: string;
    updatedBy?: { name?: string; email?: string };
  };
}

export interface NewWatchlist {
  displayName: string;
  alias: string;
  description: string;
  itemsSearchKey: string;
  fileName: string;
  rawContent: string;
  contentType: 'text/csv' | 'text/tsv';
  numberOfLinesToSkip: number;
}

const watchlistsOf = (workspaceId: string) => `${workspaceId}/providers/Microsoft.SecurityInsights/watchlists`;
const itemsOf = (workspaceId: string, alias: string) => `${watchlistsOf(workspaceId)}/${encodeURIComponent(alias)}/watchlistItems`;

export const listWatchlists = (workspaceId: string) => armList<Watchlist>(`${watchlistsOf(workspaceId)}?${V}`);

export const createWatchlist = (workspaceId: string, w: NewWatchlist) =>
  armRequest<Watchlist>('PUT', `${watchlistsOf(workspaceId)}/${encodeURIComponent(w.alias)}?${V}`, {
    properties: {
      displayName: w.displayName,
      provider: 'Custom',
      source: w.fileName,
      sourceType: 'Local file',
      description: w.description,
      itemsSearchKey: w.itemsSearchKey,
      contentType: w.contentType,
      numberOfLinesToSkip: w.numberOfLinesToSkip,
      rawContent: w.rawContent,
    },
  });

export const deleteWatchlist = (workspaceId: string, alias: string) =>
  armRequest<void>('DELETE', `${watchlistsOf(workspaceId)}/${encodeURIComponent(alias)}?${V}`);

/** One page of items: the server's page, and its nextLink to read the next. */
export async function itemsPage(workspaceId: string, alias: string, nextLink?: string): Promise<{ items: WatchlistItem[]; nextLink?: string }> {
  const page = await armRequest<{ value?: WatchlistItem[]; nextLink?: string }>('GET', nextLink ?? `${itemsOf(workspaceId, alias)}?${V}`);
  return { items: page.value ?? [], ...(page.nextLink ? { nextLink: page.nextLink } : {}) };
}

export const putItem = (workspaceId: string, alias: string, itemId: string, itemsKeyValue: Record<string, string>, etag?: string) =>
  armRequest<WatchlistItem>('PUT', `${itemsOf(workspaceId, alias)}/${encodeURIComponent(itemId)}?${V}`, {
    ...(etag === undefined ? {} : { etag }),
    properties: { itemsKeyValue },
  });

export const deleteItem = (workspaceId: string, alias: string, itemId: string) =>
  armRequest<void>('DELETE', `${itemsOf(workspaceId, alias)}/${encodeURIComponent(itemId)}?${V}`);

/** The KQL that reads a watchlist, as Sentinel shows it. */
export const kqlOf = (alias: string) => `_GetWatchlist('${alias.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}')`;

/** How many items a query sees through _GetWatchlist (the query API, resource-centric). */
export async function countItems(workspaceId: string, alias: string): Promise<number> {
  const answer = await armRequest<{ tables: { rows: unknown[][] }[] }>('POST', `/v1${workspaceId}/query`, { query: `${kqlOf(alias)} | count` });
  return Number(answer.tables[0]?.rows[0]?.[0] ?? 0);
}

/** The columns of a CSV or TSV header (RFC 4180 quoting), after the lines to skip: to offer the search key. */
export function headerColumns(text: string, separator: string, linesToSkip: number): string[] {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let skipped = 0; skipped < linesToSkip && i < text.length; skipped++) {
    const end = text.indexOf('\n', i);
    i = end < 0 ? text.length : end + 1;
  }
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === separator) { fields.push(field); field = ''; }
    else if (c === '\n' || c === '\r') break;
    else field += c;
  }
  fields.push(field);
  return fields.map((f) => f.trim()).filter((f) => f !== '');
}
