// The watchlists of one workspace: the list (name, alias, source, items, updated), creating one
// from a file, deleting one after a confirmation, and the chosen one's items (?watchlist=alias).
import { useState } from 'react';
import {
  Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, MessageBar, MessageBarBody,
  MessageBarTitle, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens,
} from '@fluentui/react-components';
import { AddRegular, ArrowClockwiseRegular, DeleteRegular, TextBulletListRegular } from '@fluentui/react-icons';
import type { SentinelWorkspace } from '../../api/workspaces.ts';
import { countItems, deleteWatchlist, kqlOf, listWatchlists, type Watchlist } from '../../api/watchlists.ts';
import { ErrorMessage } from '../../shell/ErrorMessage.tsx';
import { useLoad } from '../use-load.ts';
import { formatTime } from '../format.ts';
import { CreateWatchlistDialog } from './CreateWatchlistDialog.tsx';
import { WatchlistItems } from './WatchlistItems.tsx';
import { usePermissions } from '../use-permissions.ts';
import { VISUALLY_HIDDEN } from '../../shell/visually-hidden.ts';

const useStyles = makeStyles({
  toolbar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL, flexWrap: 'wrap' },
  spacer: { flexGrow: 1 },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  secondary: { color: tokens.colorNeutralForeground3 },
  code: { fontFamily: tokens.fontFamilyMonospace, backgroundColor: tokens.colorNeutralBackground3, padding: `0 ${tokens.spacingHorizontalXS}`, borderRadius: tokens.borderRadiusSmall },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
});


function watchlistOfUrl(): string | undefined {
  return new URLSearchParams(location.search).get('watchlist') ?? undefined;
}

function setWatchlistInUrl(alias: string | undefined): void {
  const params = new URLSearchParams(location.search);
  if (alias === undefined) params.delete('watchlist');
  else params.set('watchlist', alias);
  history.replaceState(null, '', `${location.pathname}?${params.toString()}`);
}

export function WorkspaceWatchlists({ workspace }: { workspace: SentinelWorkspace }) {
  const styles = useStyles();
  const [watchlists, reload] = useLoad(() => listWatchlists(workspace.id), workspace.id);
  const [createOpen, setCreateOpen] = useState(false);
  const [deleting, setDeleting] = useState<Watchlist>();
  const [deleteError, setDeleteError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<string | undefined>(watchlistOfUrl);
  const [counted, setCounted] = useState(0);
  const permissions = usePermissions(workspace.id);
  const canCreate = permissions.allows('Microsoft.SecurityInsights/watchlists/write');
  const canDelete = permissions.allows('Microsoft.SecurityInsights/watchlists/delete');

  const show = (alias: string | undefined) => { setShown(alias); setWatchlistInUrl(alias); };

  const remove = async (w: Watchlist) => {
    setBusy(true);
    setDeleteError(undefined);
    try {
      await deleteWatchlist(workspace.id, w.name);
      if (shown === w.name) show(undefined);
      reload();
    } catch (error) {
      setDeleteError(error);
    } finally {
      setDeleting(undefined);
      setBusy(false);
    }
  };

  const list = watchlists.status === 'ready' ? watchlists.value : [];
  const current = list.find((w) => w.name === shown);
  return (
    <>
      <div className={styles.toolbar}>
        <Text>
          Queries, hunting and analytics rules of {workspace.name} read a watchlist with{' '}
          <code className={styles.code}>_GetWatchlist('alias')</code>: one row per item, with <code className={styles.code}>SearchKey</code> and each column.
        </Text>
        <span className={styles.spacer} />
        <Button appearance="primary" icon={<AddRegular />} disabled={permissions.loading || !canCreate} onClick={() => setCreateOpen(true)}>New watchlist</Button>
        <Button icon={<ArrowClockwiseRegular />} onClick={() => { reload(); setCounted((c) => c + 1); }} disabled={watchlists.status === 'loading'}>Refresh</Button>
      </div>
      {!permissions.loading && (!canCreate || !canDelete) ? (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>You can read these watchlists, not change them</MessageBarTitle>
            Your roles in {workspace.directoryName}{workspace.delegated ? ' (through the delegation to your directory)' : ''} allow reading
            the watchlists of {workspace.name} and querying them, but not creating or deleting them
            (Microsoft.SecurityInsights/watchlists/write and delete). Microsoft Sentinel Contributor may.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {deleteError !== undefined ? <ErrorMessage title="The watchlist could not be deleted" error={deleteError} /> : null}
      {watchlists.status === 'loading' ? <Spinner label="Loading watchlists…" />
        : watchlists.status === 'failed' ? <ErrorMessage title="The watchlists could not be listed" error={watchlists.error} onRetry={reload} />
        : list.length === 0 ? (
          <MessageBar intent="info">
            <MessageBarBody><MessageBarTitle>No watchlists</MessageBarTitle>{workspace.name} has no watchlist yet. Create one from a CSV file with New watchlist.</MessageBarBody>
          </MessageBar>
        ) : (
          <Table className={styles.table} aria-label="Watchlists">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Alias</TableHeaderCell>
                <TableHeaderCell>Source</TableHeaderCell>
                <TableHeaderCell>Items</TableHeaderCell>
                <TableHeaderCell>Updated</TableHeaderCell>
                <TableHeaderCell><span style={VISUALLY_HIDDEN}>Actions</span></TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.map((w) => (
                <TableRow key={w.id} data-watchlist={w.name} aria-selected={w.name === shown}>
                  <TableCell><Text weight="semibold">{w.properties.displayName}</Text></TableCell>
                  <TableCell><code className={styles.code}>{w.name}</code></TableCell>
                  <TableCell>{w.properties.source ?? '—'}</TableCell>
                  <TableCell><ItemCount workspaceId={workspace.id} alias={w.name} version={`${w.etag} ${counted}`} /></TableCell>
                  <TableCell>{formatTime(w.properties.updated)}</TableCell>
                  <TableCell>
                    <div className={styles.actions}>
                      <Button size="small" icon={<TextBulletListRegular />} aria-label={`Items of ${w.properties.displayName}`} onClick={() => show(w.name)}>Items</Button>
                      <Button size="small" icon={<DeleteRegular />} disabled={permissions.loading || !canDelete} aria-label={`Delete ${w.properties.displayName}`} onClick={() => setDeleting(w)}>Delete</Button>
                    </div>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      {current !== undefined ? (
        <WatchlistItems key={current.id} workspace={workspace} watchlist={current}
          canWrite={!permissions.loading && permissions.allows('Microsoft.SecurityInsights/watchlists/watchlistItems/write')}
          canDelete={!permissions.loading && permissions.allows('Microsoft.SecurityInsights/watchlists/watchlistItems/delete')} onClose={() => show(undefined)} onChanged={() => setCounted((c) => c + 1)} />
      ) : shown !== undefined && watchlists.status === 'ready' ? (
        <MessageBar intent="warning">
          <MessageBarBody><MessageBarTitle>No watchlist '{shown}'</MessageBarTitle>{workspace.name} has no watchlist with that alias (it may have been deleted).</MessageBarBody>
        </MessageBar>
      ) : null}
      <CreateWatchlistDialog
        open={createOpen}
        workspace={workspace}
        existing={list.map((w) => w.name)}
        onCancel={() => setCreateOpen(false)}
        onCreated={(w) => { setCreateOpen(false); reload(); show(w.name); }}
      />
      <Dialog open={deleting !== undefined} onOpenChange={(_e, d) => { if (!d.open) setDeleting(undefined); }}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Delete {deleting?.properties.displayName}?</DialogTitle>
            <DialogContent>
              The watchlist and all its items are deleted from {workspace.name}. Queries and analytics rules that read{' '}
              <code className={styles.code}>{deleting === undefined ? '' : kqlOf(deleting.name)}</code> then find no rows.
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" disabled={busy} onClick={() => { if (deleting !== undefined) void remove(deleting); }}>Delete</Button>
              <Button onClick={() => setDeleting(undefined)}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  );
}

/** The items a query sees through _GetWatchlist, counted by the query API; loads on its own. */
function ItemCount({ workspaceId, alias, version }: { workspaceId: string; alias: string; version: string }) {
  const [count, retry] = useLoad(() => countItems(workspaceId, alias), `${workspaceId} ${alias} ${version}`);
  if (count.status === 'loading') return <Spinner size="extra-tiny" aria-label={`Counting the items of ${alias}`} />;
  if (count.status === 'failed') {
    const message = count.error instanceof Error ? count.error.message : String(count.error);
    return <Button size="small" appearance="transparent" title={message} onClick={retry}>Not counted — try again</Button>;
  }
  return <>{count.value.toLocaleString()}</>;
}
