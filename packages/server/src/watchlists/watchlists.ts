// Watchlists of a workspace (Microsoft.SecurityInsights/watchlists) and their items
// (.../watchlistItems). The control plane is the record; every change of an item also becomes a
// row of the workspace's Watchlist table (as Sentinel writes them), which is what KQL's
// _GetWatchlist('alias') reads. Those rows go through an outbox committed with the change
// (watchlist-log.ts appends them), so the table never shows a change the record does not hold.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/database.ts';
import type { WatchlistItemTable, WatchlistTable } from '../db/schema.ts';
import type { Caller } from '../access/caller.ts';
import type { Workspace } from '../control/workspaces.ts';
import { ApiError } from '../errors.ts';
import { parseIsoDuration } from '../detect/durations.ts';
import { parseWatchlistContent } from './watchlist-csv.ts';

export type WatchlistRow = WatchlistTable;
export type WatchlistItemRow = WatchlistItemTable;

export interface WatchlistInput {
  displayName: string;
  provider: string;
  itemsSearchKey: string;
  source?: string | undefined;
  sourceType?: string | undefined;
  description?: string | undefined;
  labels?: string[] | undefined;
  defaultDuration?: string | undefined;
  rawContent?: string | undefined;
  contentType?: string | undefined;
  numberOfLinesToSkip?: number | undefined;
}

export interface UserInfo {
  objectId: string;
  email?: string;
  name: string;
}

/** Sentinel's aliases: what `_GetWatchlist('...')` names. Letters, digits, '-' and '_'. */
const ALIAS = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Rows per statement: SQLite takes at most 32,766 parameters in one. */
const CHUNK = 1000;

export function watchlistRowId(workspaceArmId: string, alias: string): string {
  return `${workspaceArmId.toLowerCase()}/providers/microsoft.securityinsights/watchlists/${alias.toLowerCase()}`;
}

export function watchlistItemRowId(watchlistRowIdValue: string, itemId: string): string {
  return `${watchlistRowIdValue}/watchlistitems/${itemId.toLowerCase()}`;
}

export function userInfo(caller: Caller): UserInfo {
  return caller.kind === 'User' ? { objectId: caller.principalId, email: caller.name, name: caller.displayName } : { objectId: caller.principalId, name: caller.displayName };
}

export async function getWatchlist(db: Db, id: string): Promise<WatchlistRow | undefined> {
  return db.selectFrom('watchlists').selectAll().where('id', '=', id.toLowerCase()).executeTakeFirst();
}

export async function listWatchlists(db: Db, workspaceCustomerId: string): Promise<WatchlistRow[]> {
  return db.selectFrom('watchlists').selectAll().where('workspace_id', '=', workspaceCustomerId).orderBy('id').execute();
}

export async function getWatchlistItem(db: Db, id: string): Promise<WatchlistItemRow | undefined> {
  return db.selectFrom('watchlist_items').selectAll().where('id', '=', id.toLowerCase()).executeTakeFirst();
}

export async function listWatchlistItems(db: Db, watchlistRowIdValue: string): Promise<WatchlistItemRow[]> {
  return db.selectFrom('watchlist_items').selectAll().where('watchlist_id', '=', watchlistRowIdValue).orderBy('seq').execute();
}

/** The time of a change of a row last changed at `previous`: later than it, so arg_max picks the change. */
function stampAfter(now: Date, previous?: string): string {
  const before = previous === undefined ? -Infinity : Date.parse(previous);
  return new Date(Math.max(now.getTime(), before + 1)).toISOString();
}

/** Checks the settings that are not the content; each problem an InvalidParameter naming its field. */
function checkInput(alias: string, input: WatchlistInput, existing: WatchlistRow | undefined): void {
  if (!ALIAS.test(alias)) {
    throw new ApiError('InvalidParameter', `Watchlist alias '${alias}' is not one watchlists take: use 1 to 64 letters, digits, '-' and '_', starting with a letter or digit (for example VIP-Users). Queries name it in _GetWatchlist('${alias}').`, { target: 'watchlistAlias' });
  }
  if (input.defaultDuration !== undefined && parseIsoDuration(input.defaultDuration) === undefined) {
    throw new ApiError('InvalidParameter', `properties.defaultDuration '${input.defaultDuration}' is not an ISO 8601 duration such as P30D or PT12H.`, { target: 'properties.defaultDuration' });
  }
  if (input.rawContent !== undefined && input.contentType === undefined) {
    throw new ApiError('InvalidParameter', 'properties.rawContent is set but properties.contentType is not: say how to read it, \'text/csv\' (or \'text/tsv\').', { target: 'properties.contentType' });
  }
  if (existing !== undefined && input.rawContent === undefined && input.itemsSearchKey !== existing.items_search_key) {
    throw new ApiError('InvalidParameter', `properties.itemsSearchKey cannot change from '${existing.items_search_key}' to '${input.itemsSearchKey}' without new content: the items are keyed by it. Send rawContent with the change (its items replace the current ones), or keep '${existing.items_search_key}'.`, { target: 'properties.itemsSearchKey' });
  }
}

/** The Watchlist table row of a change of an item. */
function itemRecord(w: WatchlistRow, tenantId: string, item: WatchlistItemRow, status: 'Create' | 'Update' | 'Delete', stamp: string): Record<string, unknown> {
  return {
    TimeGenerated: stamp,
    _DTTimestamp: stamp,
    _DTItemType: 'watchlist-item',
    _DTItemId: item.item_id,
    _DTItemStatus: status,
    WatchlistId: w.watchlist_id,
    WatchlistAlias: w.alias,
    WatchlistName: w.display_name,
    WatchlistItemId: item.item_id,
    WatchlistItem: JSON.parse(item.items_key_value) as unknown,
    EntityMapping: JSON.parse(item.entity_mapping) as unknown,
    SearchKey: item.search_key,
    CreatedTimeUTC: item.created_at,
    LastUpdatedTimeUTC: stamp,
    CreatedBy: JSON.parse(item.created_by) as unknown,
    UpdatedBy: JSON.parse(item.updated_by) as unknown,
    Provider: w.provider,
    Source: w.source ?? '',
    Tags: w.labels,
    DefaultDuration: w.default_duration ?? '',
    AzureTenantId: tenantId,
  };
}

/** The Watchlist table row of a change of the watchlist itself (_DTItemType 'watchlist'). */
function watchlistRecord(w: WatchlistRow, tenantId: string, status: 'Create' | 'Update' | 'Delete', stamp: string): Record<string, unknown> {
  return {
    TimeGenerated: stamp,
    _DTTimestamp: stamp,
    _DTItemType: 'watchlist',
    _DTItemId: w.watchlist_id,
    _DTItemStatus: status,
    WatchlistId: w.watchlist_id,
    WatchlistAlias: w.alias,
    WatchlistName: w.display_name,
    SearchKey: w.items_search_key,
    CreatedTimeUTC: w.created_at,
    LastUpdatedTimeUTC: stamp,
    CreatedBy: JSON.parse(w.created_by) as unknown,
    UpdatedBy: JSON.parse(w.updated_by) as unknown,
    Provider: w.provider,
    Source: w.source ?? '',
    Tags: w.labels,
    DefaultDuration: w.default_duration ?? '',
    AzureTenantId: tenantId,
  };
}

/** The directory the workspace belongs to (the tenantId watchlists and their items show). */
export async function watchlistTenant(db: Db, workspace: Workspace): Promise<string> {
  return (await db.selectFrom('subscriptions').select('directory_id').where('id', '=', workspace.subscription_id).executeTakeFirstOrThrow()).directory_id;
}

async function insertChunks<T extends 'watchlist_items' | 'watchlist_outbox'>(trx: Db, table: T, rows: readonly (T extends 'watchlist_items' ? WatchlistItemRow : { workspace_id: string; record: string })[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx.insertInto(table).values(rows.slice(i, i + CHUNK) as never).execute();
  }
}

const outboxRows = (workspace: Workspace, records: Record<string, unknown>[]) =>
  records.map((r) => ({ workspace_id: workspace.customer_id, record: JSON.stringify(r) }));

/**
 * Creates or replaces a watchlist. With rawContent its items are the content's lines (on a
 * replace they take the place of all current items); without it a new watchlist is empty and
 * an existing one keeps its items. Bad content changes nothing.
 */
export async function putWatchlist(
  db: Db, workspace: Workspace, alias: string, input: WatchlistInput, by: UserInfo, now: Date,
): Promise<{ row: WatchlistRow; created: boolean; items: number }> {
  const id = watchlistRowId(workspace.id, alias);
  const existing = await getWatchlist(db, id);
  checkInput(alias, input, existing);
  const content = input.rawContent === undefined ? undefined : parseWatchlistContent(input.rawContent, {
    contentType: input.contentType!, numberOfLinesToSkip: input.numberOfLinesToSkip ?? 0, searchKey: input.itemsSearchKey,
  });
  const tenantId = await watchlistTenant(db, workspace);
  const stamp = stampAfter(now, existing?.updated_at);
  const user = JSON.stringify(by);
  const row: WatchlistRow = {
    id,
    workspace_id: workspace.customer_id,
    alias: existing?.alias ?? alias,
    watchlist_id: existing?.watchlist_id ?? randomUUID(),
    display_name: input.displayName,
    provider: input.provider,
    source: input.source ?? null,
    source_type: input.sourceType ?? null,
    description: input.description ?? null,
    labels: JSON.stringify(input.labels ?? []),
    default_duration: input.defaultDuration ?? null,
    items_search_key: input.itemsSearchKey,
    content_type: input.contentType ?? existing?.content_type ?? null,
    number_of_lines_to_skip: input.numberOfLinesToSkip ?? existing?.number_of_lines_to_skip ?? 0,
    columns: content !== undefined ? JSON.stringify(content.columns) : existing?.columns ?? '[]',
    etag: randomUUID(),
    created_at: existing?.created_at ?? stamp,
    created_by: existing?.created_by ?? user,
    updated_at: stamp,
    updated_by: user,
  };
  let items = 0;
  await inTransaction(db, async (trx) => {
    const records: Record<string, unknown>[] = [watchlistRecord(row, tenantId, existing === undefined ? 'Create' : 'Update', stamp)];
    if (existing === undefined) {
      await trx.insertInto('watchlists').values(row).execute();
    } else {
      const { id: _i, workspace_id: _w, alias: _a, watchlist_id: _g, created_at: _c, created_by: _b, ...changes } = row;
      await trx.updateTable('watchlists').set(changes).where('id', '=', id).execute();
    }
    if (content !== undefined) {
      if (existing !== undefined) {
        for (const old of await listWatchlistItems(trx, id)) records.push(itemRecord(row, tenantId, old, 'Delete', stampAfter(now, old.updated_at)));
        await trx.deleteFrom('watchlist_items').where('watchlist_id', '=', id).execute();
      }
      const made: WatchlistItemRow[] = content.items.map((item, seq) => {
        const itemId = randomUUID();
        return {
          id: watchlistItemRowId(id, itemId), watchlist_id: id, item_id: itemId, seq,
          items_key_value: JSON.stringify(item.fields), entity_mapping: '{}', search_key: item.fields[input.itemsSearchKey]!,
          etag: randomUUID(), created_at: stamp, created_by: user, updated_at: stamp, updated_by: user,
        };
      });
      await insertChunks(trx, 'watchlist_items', made);
      for (const item of made) records.push(itemRecord(row, tenantId, item, 'Create', stamp));
      items = made.length;
    }
    await insertChunks(trx, 'watchlist_outbox', outboxRows(workspace, records));
  });
  return { row, created: existing === undefined, items };
}

/** Deletes a watchlist and its items (each item's Delete row goes to the Watchlist table). */
export async function deleteWatchlist(db: Db, workspace: Workspace, id: string, by: UserInfo, now: Date): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const existing = await getWatchlist(trx, id);
    if (existing === undefined) return false;
    const tenantId = await watchlistTenant(trx, workspace);
    const gone = { ...existing, updated_by: JSON.stringify(by) };
    const records = [watchlistRecord(gone, tenantId, 'Delete', stampAfter(now, existing.updated_at))];
    for (const item of await listWatchlistItems(trx, id)) records.push(itemRecord(gone, tenantId, { ...item, updated_by: gone.updated_by }, 'Delete', stampAfter(now, item.updated_at)));
    await insertChunks(trx, 'watchlist_outbox', outboxRows(workspace, records));
    await trx.deleteFrom('watchlists').where('id', '=', id).execute();
    return true;
  });
}

/** An item's fields as sent: scalars become the text a CSV would hold; nested values are refused. */
function itemFields(value: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) out[k] = '';
    else if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else throw new ApiError('InvalidParameter', `properties.itemsKeyValue.${k} is ${Array.isArray(v) ? 'an array' : 'an object'}: an item's fields are the watchlist's columns, each a single value (text, a number or true/false).`, { target: `properties.itemsKeyValue.${k}` });
  }
  return out;
}

/** Creates or replaces one item of a watchlist. */
export async function putWatchlistItem(
  db: Db, workspace: Workspace, watchlist: WatchlistRow, itemId: string,
  input: { itemsKeyValue: Record<string, unknown>; entityMapping?: Record<string, unknown> | undefined }, by: UserInfo, now: Date,
): Promise<{ row: WatchlistItemRow; created: boolean }> {
  if (!GUID.test(itemId)) {
    throw new ApiError('InvalidParameter', `Watchlist item id '${itemId}' is not a GUID: items are named by one (for example ${randomUUID()}).`, { target: 'watchlistItemId' });
  }
  const fields = itemFields(input.itemsKeyValue);
  const key = watchlist.items_search_key;
  if (!(key in fields)) {
    throw new ApiError('InvalidParameter', `properties.itemsKeyValue has no '${key}', the search key of watchlist '${watchlist.alias}': every item needs it (it becomes the item's SearchKey).`, { target: `properties.itemsKeyValue.${key}` });
  }
  const columns = JSON.parse(watchlist.columns) as string[];
  const unknown = columns.length === 0 ? [] : Object.keys(fields).filter((k) => !columns.includes(k));
  if (unknown.length > 0) {
    throw new ApiError('InvalidParameter', `properties.itemsKeyValue has ${unknown.map((k) => `'${k}'`).join(', ')}, not a column of watchlist '${watchlist.alias}' (its columns are ${columns.map((c) => `'${c}'`).join(', ')}). Use those names (they are matched exactly).`, { target: `properties.itemsKeyValue.${unknown[0]}` });
  }
  const id = watchlistItemRowId(watchlist.id, itemId);
  const tenantId = await watchlistTenant(db, workspace);
  const user = JSON.stringify(by);
  return inTransaction(db, async (trx) => {
    const existing = await getWatchlistItem(trx, id);
    const stamp = stampAfter(now, existing?.updated_at);
    const last = existing === undefined ? await trx.selectFrom('watchlist_items').select((eb) => eb.fn.max('seq').as('seq')).where('watchlist_id', '=', watchlist.id).executeTakeFirst() : undefined;
    const row: WatchlistItemRow = {
      id, watchlist_id: watchlist.id, item_id: existing?.item_id ?? itemId, seq: existing?.seq ?? (last?.seq ?? -1) + 1,
      items_key_value: JSON.stringify(fields), entity_mapping: JSON.stringify(input.entityMapping ?? {}), search_key: fields[key]!,
      etag: randomUUID(), created_at: existing?.created_at ?? stamp, created_by: existing?.created_by ?? user, updated_at: stamp, updated_by: user,
    };
    const { id: _i, watchlist_id: _w, item_id: _g, seq: _s, created_at: _c, created_by: _b, ...changes } = row;
    await trx.insertInto('watchlist_items').values(row).onConflict((oc) => oc.column('id').doUpdateSet(changes)).execute();
    if (columns.length === 0) await trx.updateTable('watchlists').set({ columns: JSON.stringify(Object.keys(fields)) }).where('id', '=', watchlist.id).execute();
    await insertChunks(trx, 'watchlist_outbox', outboxRows(workspace, [itemRecord(watchlist, tenantId, row, existing === undefined ? 'Create' : 'Update', stamp)]));
    return { row, created: existing === undefined };
  });
}

export async function deleteWatchlistItem(db: Db, workspace: Workspace, watchlist: WatchlistRow, id: string, by: UserInfo, now: Date): Promise<boolean> {
  const tenantId = await watchlistTenant(db, workspace);
  return inTransaction(db, async (trx) => {
    const existing = await getWatchlistItem(trx, id);
    if (existing === undefined) return false;
    const gone = { ...existing, updated_by: JSON.stringify(by) };
    await insertChunks(trx, 'watchlist_outbox', outboxRows(workspace, [itemRecord(watchlist, tenantId, gone, 'Delete', stampAfter(now, existing.updated_at))]));
    await trx.deleteFrom('watchlist_items').where('id', '=', existing.id).execute();
    return true;
  });
}

const TYPE = 'Microsoft.SecurityInsights/Watchlists';

export function presentWatchlist(workspaceDisplayId: string, tenantId: string, w: WatchlistRow) {
  const properties: Record<string, unknown> = {
    watchlistId: w.watchlist_id,
    displayName: w.display_name,
    provider: w.provider,
    created: w.created_at,
    updated: w.updated_at,
    createdBy: JSON.parse(w.created_by) as unknown,
    updatedBy: JSON.parse(w.updated_by) as unknown,
    watchlistType: 'watchlist',
    watchlistAlias: w.alias,
    isDeleted: false,
    labels: JSON.parse(w.labels) as unknown,
    tenantId,
    numberOfLinesToSkip: w.number_of_lines_to_skip,
    itemsSearchKey: w.items_search_key,
    // The content is read when it is sent: it is never "in progress" afterwards.
    uploadStatus: 'Complete',
  };
  if (w.source !== null) properties.source = w.source;
  if (w.source_type !== null) properties.sourceType = w.source_type;
  if (w.description !== null) properties.description = w.description;
  if (w.default_duration !== null) properties.defaultDuration = w.default_duration;
  if (w.content_type !== null) properties.contentType = w.content_type;
  return { id: `${workspaceDisplayId}/providers/Microsoft.SecurityInsights/watchlists/${w.alias}`, name: w.alias, type: TYPE, etag: w.etag, properties };
}

export function presentWatchlistItem(workspaceDisplayId: string, tenantId: string, w: WatchlistRow, item: WatchlistItemRow) {
  return {
    id: `${workspaceDisplayId}/providers/Microsoft.SecurityInsights/watchlists/${w.alias}/watchlistItems/${item.item_id}`,
    name: item.item_id,
    type: `${TYPE}/WatchlistItems`,
    etag: item.etag,
    properties: {
      watchlistItemType: 'watchlist-item',
      watchlistItemId: item.item_id,
      tenantId,
      isDeleted: false,
      created: item.created_at,
      updated: item.updated_at,
      createdBy: JSON.parse(item.created_by) as unknown,
      updatedBy: JSON.parse(item.updated_by) as unknown,
      itemsKeyValue: JSON.parse(item.items_key_value) as unknown,
      entityMapping: JSON.parse(item.entity_mapping) as unknown,
    },
  };
}

