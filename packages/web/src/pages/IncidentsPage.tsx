// The incident queue of every Microsoft Sentinel workspace in the Directory + subscription
// selection, own and delegated alike (Vigil's multi-workspace queue API): filtered, sorted and
// paged on the server, with bulk changes whose result is shown per incident.
import { useCallback, useEffect, useState } from 'react';
import {
  Button, Checkbox, MessageBar, MessageBarBody, MessageBarTitle, Select, Spinner, Table, TableBody, TableCell,
  TableHeader, TableHeaderCell, TableRow, Text, Title2, Toolbar, Menu, MenuTrigger, MenuPopover, MenuList, MenuItem,
  Field, makeStyles, tokens,
} from '@fluentui/react-components';
import { ArrowClockwiseRegular, PersonRegular, ChevronDownRegular, CheckmarkCircleRegular } from '@fluentui/react-icons';
import {
  bulkUpdate, ownerName, queuePage, queuePath, SEVERITIES, STATUSES, type BulkChange, type BulkResult, type Incident, type QueueQuery, type Severity, type SortField, type Status,
} from '../api/incidents.ts';
import { ErrorMessage } from '../shell/ErrorMessage.tsx';
import { useFilter } from '../shell/filter-context.tsx';
import { Link } from '../routing.tsx';
import { SeverityBadge, StatusBadge } from './incident-badges.tsx';
import { formatTime } from './format.ts';
import { AssignDialog, CloseDialog } from './incident-dialogs.tsx';

const PAGE_SIZE = 50;

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL },
  spacer: { flexGrow: 1 },
  filters: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'flex-end', flexWrap: 'wrap' },
  table: { backgroundColor: tokens.colorNeutralBackground1, tableLayout: 'auto' },
  secondary: { color: tokens.colorNeutralForeground3 },
  check: { width: '44px' },
  results: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

type Load = { status: 'loading' } | { status: 'failed'; error: unknown } | { status: 'ready'; query: QueueQuery; items: Incident[]; nextLink?: string; loadingMore?: boolean; moreError?: unknown };


export default function IncidentsPage() {
  const styles = useStyles();
  const { state: filterState, session, reload: reloadFilter } = useFilter();
  const [query, setQuery] = useState<QueueQuery>({ status: 'Open', sort: { field: 'createdTimeUtc', direction: 'desc' }, top: PAGE_SIZE });
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulk, setBulk] = useState<{ running: boolean; what?: string; results?: BulkResult[]; error?: unknown }>({ running: false });
  const [dialog, setDialog] = useState<'assign' | 'close' | undefined>();

  useEffect(() => {
    if (filterState.status !== 'ready') return;
    let live = true;
    setLoad({ status: 'loading' });
    queuePage(queuePath(query)).then(
      (page) => { if (live) setLoad({ status: 'ready', query, items: page.value, nextLink: page.nextLink }); },
      (error: unknown) => { if (live) setLoad({ status: 'failed', error }); },
    );
    return () => { live = false; };
  }, [filterState, query, attempt]);

  // A new query or selection lists other incidents: nothing hidden stays ticked for a bulk change.
  useEffect(() => { setSelected(new Set()); }, [filterState, query]);

  const refresh = useCallback(() => setAttempt((a) => a + 1), []);
  const loadMore = async () => {
    if (load.status !== 'ready' || load.nextLink === undefined) return;
    const current = load;
    setLoad({ ...current, loadingMore: true, moreError: undefined });
    try {
      const page = await queuePage(current.nextLink!);
      setLoad({ ...current, items: [...current.items, ...page.value], nextLink: page.nextLink, loadingMore: false });
    } catch (error) {
      setLoad({ ...current, loadingMore: false, moreError: error });
    }
  };

  const sortBy = (field: SortField) => setQuery((q) => ({
    ...q, sort: { field, direction: q.sort.field === field && q.sort.direction === 'desc' ? 'asc' : 'desc' },
  }));

  // Until the answer to the current query arrives, the previous one is not shown under its headers.
  const shown: Load = load.status === 'ready' && load.query !== query ? { status: 'loading' } : load;
  const items = shown.status === 'ready' ? shown.items : [];
  const titleOf = (id: string) => {
    const i = items.find((x) => x.id === id);
    return i === undefined ? id : `Incident ${i.properties.incidentNumber} (${i.properties.title}, ${i.properties.workspace?.directoryName ?? ''})`;
  };

  const runBulk = async (what: string, change: BulkChange) => {
    setDialog(undefined);
    const ids = [...selected];
    setBulk({ running: true, what });
    try {
      const results = await bulkUpdate(ids, change);
      setBulk({ running: false, what, results });
      setSelected(new Set(results.filter((r) => r.status !== 200).map((r) => r.id)));
      refresh();
    } catch (error) {
      setBulk({ running: false, what, error });
    }
  };

  const heading = (
    <div className={styles.header}>
      <Title2 as="h1">Incidents</Title2>
      <span className={styles.spacer} />
      <Button icon={<ArrowClockwiseRegular />} onClick={refresh} disabled={load.status === 'loading'}>Refresh</Button>
    </div>
  );
  if (filterState.status === 'failed') {
    return <div className={styles.page}>{heading}<ErrorMessage title="Your directories and subscriptions could not be loaded" error={filterState.error} onRetry={reloadFilter} /></div>;
  }

  const allSelected = items.length > 0 && items.every((i) => selected.has(i.id));
  const someSelected = items.some((i) => selected.has(i.id));
  const toggle = (id: string) => setSelected((s) => {
    const next = new Set(s);
    if (next.has(id)) next.delete(id); else next.add(id);
    return next;
  });
  const headerCell = (label: string, field?: SortField) => {
    if (field === undefined) return <TableHeaderCell key={label}>{label}</TableHeaderCell>;
    const direction = query.sort.field === field ? (query.sort.direction === 'asc' ? 'ascending' : 'descending') : undefined;
    return (
      <TableHeaderCell key={label} sortable sortDirection={direction} onClick={() => sortBy(field)} aria-sort={direction ?? 'none'}>
        {label}
      </TableHeaderCell>
    );
  };
  const failed = bulk.results?.filter((r) => r.status !== 200) ?? [];
  const succeeded = (bulk.results?.length ?? 0) - failed.length;

  return (
    <div className={styles.page}>
      {heading}
      <div className={styles.filters}>
        <Field label="Status">
          <Select value={query.status ?? 'All'} onChange={(_e, d) => setQuery((q) => ({ ...q, status: d.value === 'All' ? undefined : d.value as Status | 'Open' }))}>
            <option value="Open">Open (New and Active)</option>
            <option value="All">All</option>
            {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </Select>
        </Field>
        <Field label="Severity">
          <Select value={query.severity ?? 'All'} onChange={(_e, d) => setQuery((q) => ({ ...q, severity: d.value === 'All' ? undefined : d.value as Severity }))}>
            <option value="All">All</option>
            {SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}
          </Select>
        </Field>
        <span className={styles.spacer} />
        <Toolbar aria-label="Change the selected incidents">
          <Button icon={<PersonRegular />} disabled={selected.size === 0 || bulk.running}
            onClick={() => void runBulk('Assign to me', { owner: { userPrincipalName: session.user.userName } })}>Assign to me</Button>
          <Button disabled={selected.size === 0 || bulk.running} onClick={() => setDialog('assign')}>Assign to…</Button>
          <Menu>
            <MenuTrigger disableButtonEnhancement>
              <Button icon={<ChevronDownRegular />} iconPosition="after" disabled={selected.size === 0 || bulk.running}>Status</Button>
            </MenuTrigger>
            <MenuPopover>
              <MenuList>
                {(['New', 'Active'] as const).map((s) => <MenuItem key={s} onClick={() => void runBulk(`Status ${s}`, { status: s })}>{s}</MenuItem>)}
              </MenuList>
            </MenuPopover>
          </Menu>
          <Menu>
            <MenuTrigger disableButtonEnhancement>
              <Button icon={<ChevronDownRegular />} iconPosition="after" disabled={selected.size === 0 || bulk.running}>Severity</Button>
            </MenuTrigger>
            <MenuPopover>
              <MenuList>
                {SEVERITIES.map((s) => <MenuItem key={s} onClick={() => void runBulk(`Severity ${s}`, { severity: s })}>{s}</MenuItem>)}
              </MenuList>
            </MenuPopover>
          </Menu>
          <Button icon={<CheckmarkCircleRegular />} disabled={selected.size === 0 || bulk.running} onClick={() => setDialog('close')}>Close…</Button>
        </Toolbar>
      </div>
      {bulk.running ? <Spinner size="small" label={`${bulk.what}: updating ${selected.size} incidents…`} /> : null}
      {bulk.error !== undefined ? <ErrorMessage title={`${bulk.what} failed`} error={bulk.error} /> : null}
      {bulk.results !== undefined ? (
        <div role="status" aria-label="Result of the change">
        <MessageBar intent={failed.length === 0 ? 'success' : 'warning'} layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{bulk.what}: {succeeded} of {bulk.results.length} {bulk.results.length === 1 ? 'incident' : 'incidents'} updated</MessageBarTitle>
            {failed.length > 0 ? (
              <ul className={styles.results}>
                {failed.map((r) => <li key={r.id}>{titleOf(r.id)}: {r.error?.message ?? `HTTP ${r.status}`}</li>)}
              </ul>
            ) : null}
          </MessageBarBody>
        </MessageBar>
        </div>
      ) : null}
      {filterState.status === 'loading' || shown.status === 'loading' ? <Spinner label="Loading incidents…" />
        : shown.status === 'failed' ? <ErrorMessage title="The incidents could not be listed" error={shown.error} onRetry={refresh} />
        : filterState.filter.subscriptions.length === 0 ? (
          <MessageBar intent="info">
            <MessageBarBody><MessageBarTitle>No subscription selected</MessageBarTitle>Choose subscriptions in the Directory + subscription filter at the top.</MessageBarBody>
          </MessageBar>
        ) : items.length === 0 ? (
          <MessageBar intent="info">
            <MessageBarBody><MessageBarTitle>No incidents</MessageBarTitle>No incident in the selected workspaces matches the filters.</MessageBarBody>
          </MessageBar>
        ) : (
          <>
            <Text className={styles.secondary}>
              {items.length}{shown.nextLink !== undefined ? '+' : ''} {items.length === 1 ? 'incident' : 'incidents'}{selected.size > 0 ? `, ${selected.size} selected` : ''}
            </Text>
            <Table className={styles.table} aria-label="Incidents" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell className={styles.check}>
                    <Checkbox aria-label="Select all incidents" checked={allSelected ? true : someSelected ? 'mixed' : false}
                      onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((i) => i.id)))} />
                  </TableHeaderCell>
                  {headerCell('Severity', 'severity')}
                  {headerCell('Incident number', 'incidentNumber')}
                  {headerCell('Title')}
                  {headerCell('Status')}
                  {headerCell('Owner')}
                  {headerCell('Directory')}
                  {headerCell('Workspace')}
                  {headerCell('Created', 'createdTimeUtc')}
                  {headerCell('Last update', 'lastModifiedTimeUtc')}
                </TableRow>
              </TableHeader>
              <TableBody>
                {items.map((i) => (
                  <TableRow key={i.id} data-incident-id={i.id} aria-selected={selected.has(i.id)}>
                    <TableCell>
                      <Checkbox aria-label={`Select incident ${i.properties.incidentNumber}`} checked={selected.has(i.id)} onChange={() => toggle(i.id)} />
                    </TableCell>
                    <TableCell><SeverityBadge severity={i.properties.severity} /></TableCell>
                    <TableCell>{i.properties.incidentNumber}</TableCell>
                    <TableCell><Link href={`/incidents${i.id}`}>{i.properties.title}</Link></TableCell>
                    <TableCell><StatusBadge status={i.properties.status} /></TableCell>
                    <TableCell>{ownerName(i.properties.owner) || <span className={styles.secondary}>Unassigned</span>}</TableCell>
                    <TableCell>{i.properties.workspace?.directoryName}</TableCell>
                    <TableCell>{i.properties.workspace?.name}</TableCell>
                    <TableCell>{formatTime(i.properties.createdTimeUtc)}</TableCell>
                    <TableCell>{formatTime(i.properties.lastModifiedTimeUtc)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            {shown.moreError !== undefined ? <ErrorMessage title="More incidents could not be loaded" error={shown.moreError} onRetry={() => void loadMore()} /> : null}
            {shown.nextLink !== undefined ? (
              <div>
                <Button onClick={() => void loadMore()} disabled={shown.loadingMore === true}>{shown.loadingMore === true ? 'Loading…' : 'Load more'}</Button>
              </div>
            ) : null}
          </>
        )}
      <AssignDialog open={dialog === 'assign'} count={selected.size} onCancel={() => setDialog(undefined)}
        onAssign={(upn) => void runBulk(upn === '' ? 'Unassign' : `Assign to ${upn}`, { owner: upn === '' ? null : { userPrincipalName: upn } })} />
      <CloseDialog open={dialog === 'close'} count={selected.size} onCancel={() => setDialog(undefined)}
        onClose={(c) => void runBulk('Close', { status: 'Closed', ...c })} />
    </div>
  );
}
