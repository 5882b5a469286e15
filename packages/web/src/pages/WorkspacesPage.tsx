// Every Microsoft Sentinel workspace in the directories and subscriptions of the filter,
// own and delegated alike, as the Azure portal's Sentinel page lists them across tenants.
import { useEffect, useState } from 'react';
import {
  Badge, Button, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Table, TableBody, TableCell, TableHeader,
  TableHeaderCell, TableRow, Text, Title2, makeStyles, tokens,
} from '@fluentui/react-components';
import { ArrowClockwiseRegular } from '@fluentui/react-icons';
import { listSentinelWorkspaces, type WorkspaceListing } from '../api/workspaces.ts';
import { ErrorMessage } from '../shell/ErrorMessage.tsx';
import { Link } from '../routing.tsx';
import { connectorsHref } from './connectors-link.ts';

/** The Overview of one workspace (its ARM id), the same for a workspace of the user's directory and a delegated one. */
const overviewHref = (workspaceId: string) => `/overview?workspace=${encodeURIComponent(workspaceId)}`;
import { useFilter } from '../shell/filter-context.tsx';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL },
  spacer: { flexGrow: 1 },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  secondary: { color: tokens.colorNeutralForeground3 },
});

type Load = { status: 'loading' } | { status: 'failed'; error: unknown } | { status: 'ready'; listing: WorkspaceListing };

export default function WorkspacesPage() {
  const styles = useStyles();
  const { state: filterState, session, reload: reloadFilter } = useFilter();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (filterState.status !== 'ready') return;
    let live = true;
    setLoad({ status: 'loading' });
    listSentinelWorkspaces(filterState.filter, session.tenantId).then(
      (listing) => { if (live) setLoad({ status: 'ready', listing }); },
      (error: unknown) => { if (live) setLoad({ status: 'failed', error }); },
    );
    return () => { live = false; };
  }, [filterState, session.tenantId, attempt]);

  const heading = (
    <div className={styles.header}>
      <Title2 as="h1">Microsoft Sentinel workspaces</Title2>
      <span className={styles.spacer} />
      <Button icon={<ArrowClockwiseRegular />} onClick={() => setAttempt((a) => a + 1)} disabled={load.status === 'loading'}>Refresh</Button>
    </div>
  );
  if (filterState.status === 'failed') {
    return <div className={styles.page}>{heading}<ErrorMessage title="Your directories and subscriptions could not be loaded" error={filterState.error} onRetry={reloadFilter} /></div>;
  }
  if (filterState.status === 'loading' || load.status === 'loading') {
    return <div className={styles.page}>{heading}<Spinner label="Loading workspaces…" /></div>;
  }
  if (load.status === 'failed') {
    return <div className={styles.page}>{heading}<ErrorMessage title="The workspaces could not be listed" error={load.error} onRetry={() => setAttempt((a) => a + 1)} /></div>;
  }
  const { workspaces, failures } = load.listing;
  const filter = filterState.filter;
  return (
    <div className={styles.page}>
      {heading}
      <Text className={styles.secondary}>
        {workspaces.length} {workspaces.length === 1 ? 'workspace' : 'workspaces'} in {filter.subscriptions.length} selected{' '}
        {filter.subscriptions.length === 1 ? 'subscription' : 'subscriptions'}. Change the selection with the Directory + subscription filter at the top.
      </Text>
      {failures.map((f) => (
        <ErrorMessage key={f.subscription} title={`Workspaces of subscription ${f.subscription} could not be listed`} error={new Error(f.message)} onRetry={() => setAttempt((a) => a + 1)} />
      ))}
      {filter.subscriptions.length === 0 ? (
        <MessageBar intent="info">
          <MessageBarBody><MessageBarTitle>No subscription selected</MessageBarTitle>Choose subscriptions in the Directory + subscription filter at the top.</MessageBarBody>
        </MessageBar>
      ) : workspaces.length === 0 && failures.length === 0 ? (
        <MessageBar intent="info">
          <MessageBarBody><MessageBarTitle>No Microsoft Sentinel workspaces</MessageBarTitle>None of the selected subscriptions has a workspace with Microsoft Sentinel that you can read.</MessageBarBody>
        </MessageBar>
      ) : null}
      {workspaces.length > 0 ? (
        <Table className={styles.table} aria-label="Microsoft Sentinel workspaces">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Directory</TableHeaderCell>
              <TableHeaderCell>Subscription</TableHeaderCell>
              <TableHeaderCell>Resource group</TableHeaderCell>
              <TableHeaderCell>Location</TableHeaderCell>
              <TableHeaderCell>Access</TableHeaderCell>
              <TableHeaderCell>Data connectors</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {workspaces.map((w) => (
              <TableRow key={w.id} data-workspace-id={w.id}>
                <TableCell><Link href={overviewHref(w.id)} aria-label={`Overview of ${w.name}`}><Text weight="semibold">{w.name}</Text></Link></TableCell>
                <TableCell>{w.directoryName}</TableCell>
                <TableCell>{w.subscriptionName}</TableCell>
                <TableCell>{w.resourceGroup}</TableCell>
                <TableCell>{w.location}</TableCell>
                <TableCell>
                  {w.delegated
                    ? <Badge appearance="tint" color="brand">Delegated</Badge>
                    : <Badge appearance="outline" color="informative">Own directory</Badge>}
                </TableCell>
                <TableCell><Link href={connectorsHref(w.id)} aria-label={`Data connectors of ${w.name}`}>Data connectors</Link></TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </div>
  );
}
