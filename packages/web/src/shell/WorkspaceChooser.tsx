// The Microsoft Sentinel workspaces of the Directory + subscription selection, own and delegated,
// for the pages that work on them. useSelectionWorkspaces() reads them (with what to show until
// they are there: a spinner, or the error with Try again); <WorkspaceChooser> is the picker of the
// pages that work on one workspace at a time (Analytics, Watchlists, Automation, Data connectors),
// kept in the URL (?workspace=<ARM id>, beside the page's other parameters), and renders the
// page's content for the chosen one.
import { useState, type ReactNode } from 'react';
import { Badge, Field, MessageBar, MessageBarBody, MessageBarTitle, Select, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { listSentinelWorkspaces, type SentinelWorkspace, type WorkspaceListing } from '../api/workspaces.ts';
import type { Session } from '../auth/session.ts';
import { ErrorMessage } from './ErrorMessage.tsx';
import { useFilter } from './filter-context.tsx';
import { useLoad } from '../pages/use-load.ts';

const useStyles = makeStyles({
  row: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalL, flexWrap: 'wrap' },
  picker: { minWidth: '360px', maxWidth: '560px' },
  secondary: { color: tokens.colorNeutralForeground3, paddingBottom: tokens.spacingVerticalXS },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

/** ARM ids compare without case. */
export const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** A parameter of the page's URL. */
export function urlParameter(name: string): string | undefined {
  return new URLSearchParams(location.search).get(name) ?? undefined;
}

/** Sets (or, undefined, removes) a parameter of the page's URL, keeping the others; no new history entry. */
export function setUrlParameter(name: string, value: string | undefined): void {
  const params = new URLSearchParams(location.search);
  if (value === undefined) params.delete(name); else params.set(name, value);
  const query = params.toString();
  history.replaceState(null, '', query === '' ? location.pathname : `${location.pathname}?${query}`);
}

export interface SelectionWorkspaces {
  session: Session;
  /** The list once read; until then `pending` says why not (a spinner, or an error with Try again). */
  listing?: WorkspaceListing;
  pending?: ReactNode;
  reload(): void;
}

export function useSelectionWorkspaces(): SelectionWorkspaces {
  const { state: filterState, session, reload: reloadFilter } = useFilter();
  const filterKey = filterState.status === 'ready' ? JSON.stringify(filterState.filter.subscriptions) : filterState.status;
  const [workspaces, reload] = useLoad(
    () => (filterState.status === 'ready' ? listSentinelWorkspaces(filterState.filter, session.tenantId) : new Promise<never>(() => {})),
    `${session.tenantId} ${filterKey}`,
  );
  if (filterState.status === 'failed') {
    return { session, reload, pending: <ErrorMessage title="Your directories and subscriptions could not be loaded" error={filterState.error} onRetry={reloadFilter} /> };
  }
  if (filterState.status === 'loading' || workspaces.status === 'loading') return { session, reload, pending: <Spinner label="Loading workspaces…" /> };
  if (workspaces.status === 'failed') return { session, reload, pending: <ErrorMessage title="The workspaces could not be listed" error={workspaces.error} onRetry={reload} /> };
  return { session, reload, listing: workspaces.value };
}

/** The subscriptions whose workspaces could not be listed (the others are), each with Try again. */
export function ListingFailures({ listing, onRetry }: { listing: WorkspaceListing; onRetry(): void }) {
  return (
    <>
      {listing.failures.map((f) => (
        <ErrorMessage key={f.subscription} title={`Workspaces of subscription ${f.subscription} could not be listed`} error={new Error(f.message)} onRetry={onRetry} />
      ))}
    </>
  );
}

export function NoWorkspaces() {
  return (
    <MessageBar intent="info">
      <MessageBarBody><MessageBarTitle>No Microsoft Sentinel workspaces</MessageBarTitle>None of the selected subscriptions has a workspace with Microsoft Sentinel that you can read. Change the selection with the Directory + subscription filter at the top.</MessageBarBody>
    </MessageBar>
  );
}

export function NotInSelection({ session, instead }: { session: Session; instead?: string }) {
  return (
    <MessageBar intent="warning" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>Workspace not in your selection</MessageBarTitle>
        The workspace asked for is not among the Microsoft Sentinel workspaces of the selected subscriptions in {session.directoryName}.{' '}
        {instead !== undefined ? `${instead} is shown instead.` : 'Choose one above, or change the selection with the Directory + subscription filter at the top.'}
      </MessageBarBody>
    </MessageBar>
  );
}

/** How a workspace is named in the pickers: its name, directory and whether it is delegated. */
export const workspaceLabel = (w: SentinelWorkspace) => `${w.name} (${w.directoryName}${w.delegated ? ', delegated' : ''})`;

/**
 * One workspace of the selection, picked here (the URL's, else the first), and the page's content
 * for it. `context`: the chosen workspace's directory, subscription, resource group and access
 * beside the picker (pages that show these themselves leave it out).
 */
export function WorkspaceChooser({ children, context = true }: { children: (workspace: SentinelWorkspace) => ReactNode; context?: boolean }) {
  const styles = useStyles();
  const { session, listing, pending, reload } = useSelectionWorkspaces();
  const [chosen, setChosen] = useState<string | undefined>(() => urlParameter('workspace'));
  if (listing === undefined) return <>{pending}</>;
  const list = listing.workspaces;
  const requested = chosen === undefined ? undefined : list.find((w) => sameId(w.id, chosen));
  const workspace = requested ?? (chosen === undefined ? list[0] : undefined);
  const choose = (id: string) => {
    setChosen(id);
    setUrlParameter('workspace', id);
  };
  return (
    <>
      <ListingFailures listing={listing} onRetry={reload} />
      {list.length === 0 ? <NoWorkspaces /> : (
        <div className={styles.row}>
          <Field label="Workspace" className={styles.picker}>
            <Select value={workspace?.id ?? ''} onChange={(_e, d) => choose(d.value)}>
              {workspace === undefined ? <option value="">Choose a workspace</option> : null}
              {list.map((w) => <option key={w.id} value={w.id}>{workspaceLabel(w)}</option>)}
            </Select>
          </Field>
          {workspace !== undefined && context ? (
            <>
              <Text className={styles.secondary}>{workspace.directoryName} · {workspace.subscriptionName} · {workspace.resourceGroup}</Text>
              <span className={styles.secondary}>
                {workspace.delegated ? <Badge appearance="tint" color="brand">Delegated</Badge> : <Badge appearance="outline" color="informative">Own directory</Badge>}
              </span>
            </>
          ) : null}
        </div>
      )}
      {chosen !== undefined && requested === undefined && list.length > 0 ? <NotInSelection session={session} /> : null}
      {workspace !== undefined ? <div key={`${session.tenantId} ${workspace.id}`} className={styles.content}>{children(workspace)}</div> : null}
    </>
  );
}
