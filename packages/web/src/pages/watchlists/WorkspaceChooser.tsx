// One Microsoft Sentinel workspace of the Directory + subscription selection, own or delegated,
// chosen in a picker and kept in the URL (?workspace=<ARM id>), for the pages that work on one
// workspace (Watchlists, Automation). The page's own content renders below for the chosen one.
import { useState, type ReactNode } from 'react';
import { Badge, Field, MessageBar, MessageBarBody, MessageBarTitle, Select, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { listSentinelWorkspaces, type SentinelWorkspace } from '../../api/workspaces.ts';
import { ErrorMessage } from '../../shell/ErrorMessage.tsx';
import { useFilter } from '../../shell/filter-context.tsx';
import { useLoad } from '../use-load.ts';

const useStyles = makeStyles({
  row: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalL, flexWrap: 'wrap' },
  picker: { minWidth: '360px' },
  secondary: { color: tokens.colorNeutralForeground3, paddingBottom: tokens.spacingVerticalXS },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function workspaceOfUrl(): string | undefined {
  return new URLSearchParams(location.search).get('workspace') ?? undefined;
}

export function WorkspaceChooser({ path, children }: { path: string; children: (workspace: SentinelWorkspace) => ReactNode }) {
  const styles = useStyles();
  const { state: filterState, session, reload: reloadFilter } = useFilter();
  const filterKey = filterState.status === 'ready' ? JSON.stringify(filterState.filter.subscriptions) : filterState.status;
  const [workspaces, reloadWorkspaces] = useLoad(
    () => (filterState.status === 'ready' ? listSentinelWorkspaces(filterState.filter, session.tenantId) : new Promise<never>(() => {})),
    `${session.tenantId} ${filterKey}`,
  );
  const [chosen, setChosen] = useState<string | undefined>(workspaceOfUrl);
  const choose = (id: string) => {
    setChosen(id);
    history.replaceState(null, '', `${path}?workspace=${encodeURIComponent(id)}`);
  };

  if (filterState.status === 'failed') return <ErrorMessage title="Your directories and subscriptions could not be loaded" error={filterState.error} onRetry={reloadFilter} />;
  if (filterState.status === 'loading' || workspaces.status === 'loading') return <Spinner label="Loading workspaces…" />;
  if (workspaces.status === 'failed') return <ErrorMessage title="The workspaces could not be listed" error={workspaces.error} onRetry={reloadWorkspaces} />;
  const list = workspaces.value.workspaces;
  const requested = chosen === undefined ? undefined : list.find((w) => sameId(w.id, chosen));
  const workspace = requested ?? (chosen === undefined ? list[0] : undefined);
  return (
    <>
      {workspaces.value.failures.map((f) => (
        <ErrorMessage key={f.subscription} title={`Workspaces of subscription ${f.subscription} could not be listed`} error={new Error(f.message)} onRetry={reloadWorkspaces} />
      ))}
      {list.length === 0 ? (
        <MessageBar intent="info">
          <MessageBarBody><MessageBarTitle>No Microsoft Sentinel workspaces</MessageBarTitle>None of the selected subscriptions has a workspace with Microsoft Sentinel that you can read. Change the selection with the Directory + subscription filter at the top.</MessageBarBody>
        </MessageBar>
      ) : (
        <div className={styles.row}>
          <Field label="Workspace" className={styles.picker}>
            <Select value={workspace?.id ?? ''} onChange={(_e, d) => choose(d.value)}>
              {workspace === undefined ? <option value="">Choose a workspace</option> : null}
              {list.map((w) => <option key={w.id} value={w.id}>{w.name} ({w.directoryName}{w.delegated ? ', delegated' : ''})</option>)}
            </Select>
          </Field>
          {workspace !== undefined ? (
            <>
              <Text className={styles.secondary}>{workspace.directoryName} · {workspace.subscriptionName} · {workspace.resourceGroup}</Text>
              <span className={styles.secondary}>
                {workspace.delegated ? <Badge appearance="tint" color="brand">Delegated</Badge> : <Badge appearance="outline" color="informative">Own directory</Badge>}
              </span>
            </>
          ) : null}
        </div>
      )}
      {chosen !== undefined && requested === undefined && list.length > 0 ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Workspace not in your selection</MessageBarTitle>
            The workspace asked for is not among the Microsoft Sentinel workspaces of the selected subscriptions in {session.directoryName}. Choose one above, or change the selection with the Directory + subscription filter at the top.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {workspace !== undefined ? <div key={`${session.tenantId} ${workspace.id}`} className={styles.content}>{children(workspace)}</div> : null}
    </>
  );
}

export function formatTime(iso: string | undefined): string {
  if (iso === undefined || iso === '') return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The server's field-level detail lines of a refusal (every bad line of a watchlist file, say). */
export function errorDetails(error: unknown): { message: string; target?: string }[] {
  const details = (error as { details?: { message: string; target?: string }[] } | undefined)?.details;
  return Array.isArray(details) ? details : [];
}
