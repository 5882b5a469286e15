// One watchlist's items, a page at a time (the server's pages, Load more follows nextLink): a
// column per field, the search key first; an item added, edited (with its etag) or deleted.
import { useCallback, useEffect, useState } from 'react';
import {
  Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, MessageBar, MessageBarActions, MessageBarBody,
  MessageBarTitle, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3, makeStyles, tokens,
} from '@fluentui/react-components';
import { AddRegular, DeleteRegular, DismissRegular, EditRegular } from '@fluentui/react-icons';
import type { SentinelWorkspace } from '../../api/workspaces.ts';
import { deleteItem, itemsPage, kqlOf, putItem, type Watchlist, type WatchlistItem } from '../../api/watchlists.ts';
import { ErrorMessage } from '../../shell/ErrorMessage.tsx';
import { formatTime } from '../format.ts';
import { VISUALLY_HIDDEN } from '../../shell/visually-hidden.ts';
import { isConflict } from '../../api/arm-client.ts';

const useStyles = makeStyles({
  section: {
    display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium, boxShadow: tokens.shadow4,
  },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  spacer: { flexGrow: 1 },
  kql: {
    fontFamily: tokens.fontFamilyMonospace, backgroundColor: tokens.colorNeutralBackground3, padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium, margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere',
  },
  scroll: { overflowX: 'auto' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, '& > *': { flexShrink: 0 } },
  cell: { overflowWrap: 'anywhere' },
});


type Pages = { status: 'loading' } | { status: 'failed'; error: unknown } | { status: 'ready'; items: WatchlistItem[]; nextLink?: string; more?: 'loading' | { error: unknown } };

interface Props {
  workspace: SentinelWorkspace;
  watchlist: Watchlist;
  /** The caller's roles allow adding and editing items / deleting them. */
  canWrite: boolean;
  canDelete: boolean;
  onClose(): void;
  /** Items were added or deleted: the list's count is read again. */
  onChanged(): void;
}

export function WatchlistItems({ workspace, watchlist, canWrite, canDelete, onClose, onChanged }: Props) {
  const styles = useStyles();
  const alias = watchlist.name;
  const key = watchlist.properties.itemsSearchKey;
  const [pages, setPages] = useState<Pages>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [editing, setEditing] = useState<WatchlistItem | 'new'>();
  const [deleting, setDeleting] = useState<WatchlistItem>();
  const [deleteError, setDeleteError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    setPages({ status: 'loading' });
    itemsPage(workspace.id, alias).then(
      (p) => { if (live) setPages({ status: 'ready', items: p.items, ...(p.nextLink ? { nextLink: p.nextLink } : {}) }); },
      (error: unknown) => { if (live) setPages({ status: 'failed', error }); },
    );
    return () => { live = false; };
  }, [workspace.id, alias, attempt]);
  const reload = useCallback(() => setAttempt((a) => a + 1), []);

  const loadMore = async () => {
    if (pages.status !== 'ready' || pages.nextLink === undefined) return;
    const current = pages;
    setPages({ ...current, more: 'loading' });
    try {
      const p = await itemsPage(workspace.id, alias, current.nextLink);
      setPages({ status: 'ready', items: [...current.items, ...p.items], ...(p.nextLink ? { nextLink: p.nextLink } : {}) });
    } catch (error) {
      setPages({ ...current, more: { error } });
    }
  };

  const remove = async (item: WatchlistItem) => {
    setBusy(true);
    setDeleteError(undefined);
    try {
      await deleteItem(workspace.id, alias, item.name);
      reload();
      onChanged();
    } catch (error) {
      setDeleteError(error);
    } finally {
      setDeleting(undefined);
      setBusy(false);
    }
  };

  const items = pages.status === 'ready' ? pages.items : [];
  const columns = columnsOf(items, key);
  return (
    <section className={styles.section} aria-labelledby="watchlist-items-title">
      <div className={styles.header}>
        <Title3 as="h2" id="watchlist-items-title">Items of {watchlist.properties.displayName}</Title3>
        <span className={styles.spacer} />
        <Button appearance="primary" icon={<AddRegular />} disabled={pages.status !== 'ready' || !canWrite} onClick={() => setEditing('new')}>Add item</Button>
        <Button icon={<DismissRegular />} onClick={onClose}>Close</Button>
      </div>
      {watchlist.properties.description ? <Text>{watchlist.properties.description}</Text> : null}
      <Text>Search key: <b>{key}</b>. In a query of {workspace.name}:</Text>
      <pre className={styles.kql} aria-label={`KQL reading ${alias}`}>{`${kqlOf(alias)}\n| project SearchKey, ${columns.filter((c) => c !== key).slice(0, 4).join(', ') || key}`}</pre>
      {deleteError !== undefined ? <ErrorMessage title="The item could not be deleted" error={deleteError} /> : null}
      {pages.status === 'loading' ? <Spinner label="Loading items…" />
        : pages.status === 'failed' ? <ErrorMessage title="The items could not be listed" error={pages.error} onRetry={reload} />
        : items.length === 0 ? (
          <MessageBar intent="info"><MessageBarBody><MessageBarTitle>No items</MessageBarTitle>{watchlist.properties.displayName} has no items: add one with Add item.</MessageBarBody></MessageBar>
        ) : (
          <div className={styles.scroll}>
            <Table aria-label={`Items of ${watchlist.properties.displayName}`} size="small">
              <TableHeader>
                <TableRow>
                  {columns.map((c) => <TableHeaderCell key={c}>{c}</TableHeaderCell>)}
                  <TableHeaderCell>Updated</TableHeaderCell>
                  <TableHeaderCell><span style={VISUALLY_HIDDEN}>Actions</span></TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {items.map((item) => {
                  const label = String(item.properties.itemsKeyValue[key] ?? item.name);
                  return (
                    <TableRow key={item.name} data-item={item.name}>
                      {columns.map((c) => <TableCell key={c} className={styles.cell}>{text(item.properties.itemsKeyValue[c])}</TableCell>)}
                      <TableCell>{formatTime(item.properties.updated)}</TableCell>
                      <TableCell>
                        <div className={styles.actions}>
                          <Button size="small" icon={<EditRegular />} disabled={!canWrite} aria-label={`Edit ${label}`} onClick={() => setEditing(item)}>Edit</Button>
                          <Button size="small" icon={<DeleteRegular />} disabled={!canDelete} aria-label={`Delete item ${label}`} onClick={() => setDeleting(item)}>Delete</Button>
                        </div>
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </div>
        )}
      {pages.status === 'ready' && pages.nextLink !== undefined ? (
        <div>
          <Button disabled={pages.more === 'loading'} onClick={() => { void loadMore(); }}>{pages.more === 'loading' ? 'Loading…' : 'Load more'}</Button>
        </div>
      ) : null}
      {pages.status === 'ready' && typeof pages.more === 'object' ? <ErrorMessage title="More items could not be loaded" error={pages.more.error} onRetry={() => { void loadMore(); }} /> : null}
      <ItemDialog
        item={editing}
        columns={columns}
        searchKey={key}
        workspace={workspace}
        watchlist={watchlist}
        onCancel={() => setEditing(undefined)}
        onSaved={() => { setEditing(undefined); reload(); onChanged(); }}
        onReload={() => { setEditing(undefined); reload(); }}
      />
      <Dialog open={deleting !== undefined} onOpenChange={(_e, d) => { if (!d.open) setDeleting(undefined); }}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Delete item {deleting === undefined ? '' : text(deleting.properties.itemsKeyValue[key])}?</DialogTitle>
            <DialogContent>It leaves {watchlist.properties.displayName}: {kqlOf(alias)} no longer returns it.</DialogContent>
            <DialogActions>
              <Button appearance="primary" disabled={busy} onClick={() => { if (deleting !== undefined) void remove(deleting); }}>Delete</Button>
              <Button onClick={() => setDeleting(undefined)}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </section>
  );
}

const text = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** The watchlist's columns as its items show them, the search key first. */
function columnsOf(items: WatchlistItem[], key: string): string[] {
  const seen = new Set<string>([key]);
  for (const item of items) for (const c of Object.keys(item.properties.itemsKeyValue)) seen.add(c);
  return [...seen];
}

function ItemDialog({ item, columns, searchKey, workspace, watchlist, onCancel, onSaved, onReload }: {
  item: WatchlistItem | 'new' | undefined; columns: string[]; searchKey: string; workspace: SentinelWorkspace; watchlist: Watchlist;
  onCancel(): void; onSaved(): void;
  /** After a 412: drop the form and read the items again. */
  onReload(): void;
}) {
  const styles = useStyles();
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const open = item !== undefined;
  useEffect(() => {
    if (item === undefined) return;
    setValues(Object.fromEntries(columns.map((c) => [c, item === 'new' ? '' : text(item.properties.itemsKeyValue[c])])));
    setError(undefined);
    setTried(false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [item]);
  const keyMissing = (values[searchKey] ?? '').trim() === '';

  const submit = async () => {
    setTried(true);
    if (item === undefined || keyMissing) return;
    setBusy(true);
    setError(undefined);
    try {
      if (item === 'new') await putItem(workspace.id, watchlist.name, crypto.randomUUID(), values);
      else await putItem(workspace.id, watchlist.name, item.name, values, item.etag);
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const conflict = isConflict(error);
  return (
    <Dialog open={open} onOpenChange={(_e, d) => { if (!d.open) onCancel(); }}>
      <DialogSurface>
        <form onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate>
          <DialogBody>
            <DialogTitle>{item === 'new' ? `Add an item to ${watchlist.properties.displayName}` : `Edit item of ${watchlist.properties.displayName}`}</DialogTitle>
            <DialogContent className={styles.form}>
              {columns.map((c) => (
                <Field key={c} label={c} required={c === searchKey}
                  validationState={c === searchKey && tried && keyMissing ? 'error' : 'none'}
                  validationMessage={c === searchKey && tried && keyMissing ? `${c} is the search key: every item needs it.` : undefined}>
                  <Input value={values[c] ?? ''} onChange={(_e, d) => setValues((v) => ({ ...v, [c]: d.value }))} />
                </Field>
              ))}
              {conflict ? (
                <MessageBar intent="warning" layout="multiline" role="alert">
                  <MessageBarBody>
                    <MessageBarTitle>This item was changed since the list was read — reload</MessageBarTitle>
                    Someone saved it after this page read it, so your change was not saved and nothing was overwritten. Your values are still
                    here; Reload drops them and shows the item as it is now. ({error instanceof Error ? error.message : ''})
                  </MessageBarBody>
                  <MessageBarActions><Button onClick={onReload}>Reload</Button></MessageBarActions>
                </MessageBar>
              ) : error !== undefined ? <ErrorMessage title="The item was not saved" error={error} /> : null}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save'}</Button>
              <Button onClick={onCancel}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
