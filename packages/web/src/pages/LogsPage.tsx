// Logs: KQL queries over a Microsoft Sentinel workspace of the selection (and, with
// `workspace("name")`, any other the user can query), as Log Analytics' Logs blade does. The
// editor is Monaco with @kusto/monaco-kusto (loaded with this page only), given the workspaces'
// tables as its schema; queries go to the query API with the chosen time range, and the answer
// is a typed, paged grid, and a chart when the query ends in `| render`. History (this browser,
// per user), saved queries (the workspace's savedSearches) and CSV export beside it.
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Badge, Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Select, Spinner, Tab, TabList, Text, Title2,
  makeStyles, tokens,
} from '@fluentui/react-components';
import { ArrowDownloadRegular, DismissRegular, PlayRegular, SaveRegular } from '@fluentui/react-icons';
import type { SentinelWorkspace } from '../api/workspaces.ts';
import { listSavedSearches, listTables, runQuery, QueryError, type QueryAnswer, type SavedSearch } from '../api/query.ts';
import { ErrorMessage } from '../shell/ErrorMessage.tsx';
import {
  ListingFailures, NoWorkspaces, NotInSelection, sameId, setUrlParameter, urlParameter, useSelectionWorkspaces, workspaceLabel,
} from '../shell/WorkspaceChooser.tsx';
import { useLoad } from './use-load.ts';
import { usePermissions } from './use-permissions.ts';
import { KqlEditor, type KqlEditorHandle } from './logs/KqlEditor.tsx';
import { ResultsGrid } from './logs/ResultsGrid.tsx';
import { SavedQueries, SaveQueryDialog } from './logs/SavedQueries.tsx';
import { downloadCsv } from './logs/csv.ts';
import { addToHistory, clearHistory, readHistory, type HistoryEntry } from './logs/history.ts';
import { engineSchema, type WorkspaceSchema } from './logs/schema.ts';
import { TIME_RANGES, labelOf, queryFiltersTime, timespanOf, type TimeRange, type TimeRangeKey } from './logs/time-range.ts';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  toolbar: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  picker: { minWidth: '300px' },
  layout: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) 280px', gap: tokens.spacingHorizontalL, alignItems: 'start' },
  main: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  side: {
    display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, backgroundColor: tokens.colorNeutralBackground1,
    padding: tokens.spacingHorizontalM, borderRadius: tokens.borderRadiusMedium, border: `1px solid ${tokens.colorNeutralStroke2}`,
    maxHeight: '720px', overflowY: 'auto',
  },
  hint: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  summary: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  spacer: { flexGrow: 1 },
  historyList: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  historyItem: {
    justifyContent: 'flex-start', textAlign: 'left', width: '100%', fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200,
    whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', display: 'block',
  },
});

// Fluent's charts load with the first `| render` only.
const ResultsChart = lazy(() => import('./logs/ResultsChart.tsx').then((m) => ({ default: m.ResultsChart })));
const DEFAULT_QUERY = '// Shift+Enter runs the query. workspace("name") reads another workspace you can query.\nSecurityEvent\n| take 100';

export default function LogsPage() {
  const styles = useStyles();
  const { session, listing, pending, reload } = useSelectionWorkspaces();
  const [chosen, setChosen] = useState<string | undefined>(() => urlParameter('workspace'));
  const choose = (id: string) => {
    setChosen(id);
    setUrlParameter('workspace', id);
  };
  const heading = <Title2 as="h1">Logs</Title2>;
  if (listing === undefined) return <div className={styles.page}>{heading}{pending}</div>;
  const list = listing.workspaces;
  const requested = chosen === undefined ? undefined : list.find((w) => sameId(w.id, chosen));
  const workspace = requested ?? list[0];
  return (
    <div className={styles.page}>
      {heading}
      <ListingFailures listing={listing} onRetry={reload} />
      {workspace === undefined ? <NoWorkspaces /> : (
        <>
          {chosen !== undefined && requested === undefined ? <NotInSelection session={session} instead={workspace.name} /> : null}
          <LogsWorkspace workspace={workspace} workspaces={list} onChoose={choose} userName={session.user.userName} />
        </>
      )}
    </div>
  );
}

// `id` counts the runs of the page (each answer is told from the one before: data-run in the page).
type RunState = { id: number } & (
  | { status: 'idle' }
  | { status: 'running'; started: number; controller: AbortController }
  | { status: 'failed'; error: unknown }
  | { status: 'done'; answer: QueryAnswer; seconds: number; rangeLabel: string; workspace: string });

function LogsWorkspace({ workspace, workspaces, onChoose, userName }: {
  workspace: SentinelWorkspace;
  workspaces: SentinelWorkspace[];
  onChoose: (id: string) => void;
  userName: string;
}) {
  const styles = useStyles();
  const editor = useRef<KqlEditorHandle>(undefined);
  const [range, setRange] = useState<TimeRange>({ key: 'P1D' });
  const [rangeProblem, setRangeProblem] = useState<string>();
  const [run, setRun] = useState<RunState>({ id: 0, status: 'idle' });
  const [elapsed, setElapsed] = useState(0);
  const [view, setView] = useState<'results' | 'chart'>('results');
  const [side, setSide] = useState<'history' | 'saved'>('history');
  const [historyEntries, setHistory] = useState<HistoryEntry[]>(() => readHistory(userName));
  const [saveOpen, setSaveOpen] = useState(false);
  // Saving and deleting saved queries need savedSearches/write and delete (Log Analytics or
  // Sentinel Contributor): not offered to a Reader or Responder, whom the server would refuse.
  const permissions = usePermissions(workspace.id);
  const maySave = permissions.allows('Microsoft.OperationalInsights/workspaces/savedSearches/write');
  const mayDelete = permissions.allows('Microsoft.OperationalInsights/workspaces/savedSearches/delete');
  const [savedNote, setSavedNote] = useState<string>();

  // The schema: the chosen workspace's tables and functions, and the other workspaces' tables
  // (for workspace("name")). The chosen one's failure is shown; the others' only weaken IntelliSense.
  const [saved, reloadSaved] = useLoad(() => listSavedSearches(workspace.id), workspace.id);
  const [tables, reloadTables] = useLoad(() => listTables(workspace.id), workspace.id);
  const otherIds = workspaces.filter((w) => !sameId(w.id, workspace.id)).map((w) => w.id).join(' ');
  const [otherTables] = useLoad(() => Promise.all(workspaces.filter((w) => !sameId(w.id, workspace.id)).map(async (w): Promise<WorkspaceSchema> => ({
    name: w.name, tables: await listTables(w.id).catch(() => []), functions: [],
  }))), otherIds);
  const [schemaVersion, setSchemaVersion] = useState(1);
  const schema = useMemo(() => {
    if (tables.status !== 'ready') return undefined;
    const current: WorkspaceSchema = { name: workspace.name, tables: tables.value, functions: saved.status === 'ready' ? saved.value : [] };
    return engineSchema(current, otherTables.status === 'ready' ? otherTables.value : [], schemaVersion);
  }, [tables, saved, otherTables, workspace.name, schemaVersion]);
  useEffect(() => setSchemaVersion((v) => v + 1), [tables, saved, otherTables]);

  useEffect(() => {
    if (run.status !== 'running') return;
    const timer = setInterval(() => setElapsed(Math.floor((Date.now() - run.started) / 1000)), 500);
    return () => clearInterval(timer);
  }, [run]);
  // A query still running when the page or workspace goes away is cancelled (the server stops it too).
  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => () => { if (runRef.current.status === 'running') runRef.current.controller.abort(); }, [workspace.id]);

  const start = useCallback(async () => {
    const query = editor.current?.value().trim() ?? '';
    if (query === '') {
      setRun({ id: runRef.current.id + 1, status: 'failed', error: new QueryError(0, 'EmptyQuery', 'The editor is empty: write a query, then run it.') });
      return;
    }
    const setInQuery = range.key === 'query' || queryFiltersTime(query);
    const { timespan, error } = setInQuery ? {} : timespanOf(range);
    if (error !== undefined) {
      setRangeProblem(error);
      return;
    }
    setRangeProblem(undefined);
    if (runRef.current.status === 'running') runRef.current.controller.abort();
    const controller = new AbortController();
    const started = Date.now();
    const rangeLabel = setInQuery ? 'Set in query' : labelOf(range);
    const id = runRef.current.id + 1;
    setElapsed(0);
    setRun({ id, status: 'running', started, controller });
    setHistory(addToHistory(userName, { query, workspace: workspace.name, timeRange: rangeLabel, ranAt: new Date().toISOString() }));
    try {
      const answer = await runQuery(workspace.id, query, timespan, controller.signal);
      if (controller.signal.aborted) return;
      setView(answer.render !== undefined && ['table', 'card'].indexOf(answer.render.visualization) < 0 ? 'chart' : 'results');
      setRun({ id, status: 'done', answer, seconds: (Date.now() - started) / 1000, rangeLabel, workspace: workspace.name });
    } catch (e) {
      if (e instanceof QueryError && e.line !== undefined) editor.current?.markError(e.line, e.column ?? 1, e.message);
      if (controller.signal.aborted) {
        setRun({ id, status: 'failed', error: new QueryError(0, 'Cancelled', 'The query was cancelled; nothing was returned.') });
        return;
      }
      setRun({ id, status: 'failed', error: e });
    }
  }, [range, userName, workspace.id, workspace.name]);
  const startRef = useRef(start);
  startRef.current = start;
  const cancel = () => { if (run.status === 'running') run.controller.abort(); };

  const load = (query: string) => editor.current?.setValue(query);
  const primary = run.status === 'done' ? run.answer.tables[0] : undefined;

  return (
    <>
      <div className={styles.toolbar}>
        <Field label="Workspace" className={styles.picker}>
          <Select value={workspace.id} onChange={(_e, d) => onChoose(d.value)}>
            {workspaces.map((w) => <option key={w.id} value={w.id}>{workspaceLabel(w)}</option>)}
          </Select>
        </Field>
        <Field label="Time range (UTC)" validationMessage={rangeProblem}>
          <Select value={range.key} onChange={(_e, d) => { setRangeProblem(undefined); setRange((r) => ({ ...r, key: d.value as TimeRangeKey })); }}>
            {TIME_RANGES.map((r) => <option key={r.key} value={r.key}>{r.label}</option>)}
          </Select>
        </Field>
        {range.key === 'custom' ? (
          <>
            <Field label="From (UTC)">
              <Input type="datetime-local" value={range.start ?? ''} onChange={(_e, d) => setRange((r) => ({ ...r, start: d.value }))} />
            </Field>
            <Field label="To (UTC)">
              <Input type="datetime-local" value={range.end ?? ''} onChange={(_e, d) => setRange((r) => ({ ...r, end: d.value }))} />
            </Field>
          </>
        ) : null}
        {run.status === 'running' ? (
          <Button icon={<DismissRegular />} onClick={cancel}>Cancel</Button>
        ) : (
          <Button appearance="primary" icon={<PlayRegular />} onClick={() => void start()}>Run</Button>
        )}
        <Button icon={<SaveRegular />} disabled={permissions.loading || !maySave} onClick={() => { setSavedNote(undefined); setSaveOpen(true); }}>Save</Button>
        <Button icon={<ArrowDownloadRegular />} disabled={primary === undefined} onClick={() => primary !== undefined && downloadCsv(primary, `${workspace.name}-results-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`)}>
          Export to CSV
        </Button>
      </div>
      <div className={styles.layout}>
        <div className={styles.main}>
          <KqlEditor
            initial={DEFAULT_QUERY}
            schema={schema}
            label={`KQL query of ${workspace.name}`}
            onRun={() => void startRef.current()}
            onReady={(h) => { editor.current = h; }}
          />
          <Text className={styles.hint}>
            Shift+Enter runs the query; Ctrl+Space lists tables, columns and functions; Tab leaves the editor (Ctrl+M makes Tab indent instead).
            {' '}The time range applies to TimeGenerated of every table; a query that filters TimeGenerated itself runs with the range “Set in query”.
            {tables.status === 'loading' ? ' Loading the schema…' : ''}
          </Text>
          {tables.status === 'failed' ? <ErrorMessage title={`The tables of ${workspace.name} could not be read: IntelliSense does not know them`} error={tables.error} onRetry={reloadTables} /> : null}
          {savedNote !== undefined ? <MessageBar intent="success"><MessageBarBody>{savedNote}</MessageBarBody></MessageBar> : null}
          <div data-run={run.id} data-state={run.status}><RunResult run={run} elapsed={elapsed} view={view} onView={setView} onGoTo={(l, c) => editor.current?.goTo(l, c)} /></div>
        </div>
        <aside className={styles.side} aria-label="Query history and saved queries">
          <TabList selectedValue={side} onTabSelect={(_e, d) => setSide(d.value as 'history' | 'saved')} size="small">
            <Tab value="history">History</Tab>
            <Tab value="saved">Saved queries</Tab>
          </TabList>
          {side === 'history' ? (
            <div role="region" aria-label="Query history">
              {historyEntries.length === 0 ? <Text>The queries you run are listed here (in this browser).</Text> : (
                <>
                  <ol className={styles.historyList}>
                    {historyEntries.map((h) => (
                      <li key={`${h.ranAt} ${h.query}`}>
                        <Button appearance="subtle" className={styles.historyItem} title={`${h.query}\n\n${h.workspace}, ${h.timeRange}, ${new Date(h.ranAt).toLocaleString()}`} onClick={() => load(h.query)}>
                          {h.query.split('\n').filter((l) => !l.trim().startsWith('//')).join(' ').slice(0, 120)}
                        </Button>
                      </li>
                    ))}
                  </ol>
                  <Button size="small" onClick={() => { clearHistory(userName); setHistory([]); }}>Clear history</Button>
                </>
              )}
            </div>
          ) : (
            <div role="region" aria-label="Saved queries">
              {!permissions.loading && !maySave ? (
                <MessageBar intent="info" layout="multiline">
                  <MessageBarBody>You can open the saved queries of {workspace.name}, not save them{mayDelete ? '' : ' or delete them'}: that needs Microsoft.OperationalInsights/workspaces/savedSearches/write{mayDelete ? '' : ' and delete'} (Log Analytics Contributor or Microsoft Sentinel Contributor).</MessageBarBody>
                </MessageBar>
              ) : null}
              <SavedQueries saved={saved} workspaceId={workspace.id} mayDelete={!permissions.loading && mayDelete} onOpen={(s: SavedSearch) => load(s.properties.query)} onChanged={reloadSaved} />
            </div>
          )}
        </aside>
      </div>
      <SaveQueryDialog
        open={saveOpen} workspaceId={workspace.id} workspaceName={workspace.name} query={() => editor.current?.value() ?? ''}
        onClose={() => setSaveOpen(false)}
        onSaved={() => { setSaveOpen(false); setSavedNote(`Saved in ${workspace.name}. It is under Saved queries.`); setSide('saved'); reloadSaved(); }}
      />
    </>
  );
}

function RunResult({ run, elapsed, view, onView, onGoTo }: {
  run: RunState;
  elapsed: number;
  view: 'results' | 'chart';
  onView: (v: 'results' | 'chart') => void;
  onGoTo: (line: number, column: number) => void;
}) {
  const styles = useStyles();
  if (run.status === 'idle') return null;
  if (run.status === 'running') {
    return <Spinner size="small" label={`Running the query… ${elapsed} s`} aria-live="polite" />;
  }
  if (run.status === 'failed') {
    const e = run.error;
    const at = e instanceof QueryError && e.line !== undefined ? { line: e.line, column: e.column ?? 1 } : undefined;
    const inner = e instanceof QueryError && e.innerCode !== undefined ? e.innerCode : undefined;
    return (
      <div>
        <ErrorMessage
          title={e instanceof QueryError && e.code === 'Cancelled' ? 'Cancelled' : `The query was refused${inner !== undefined ? ` (${inner})` : ''}${at !== undefined ? ` at line ${at.line}, column ${at.column}` : ''}`}
          error={e}
        />
        {at !== undefined ? <Button size="small" appearance="transparent" onClick={() => onGoTo(at.line, at.column)}>Go to line {at.line}, column {at.column}</Button> : null}
      </div>
    );
  }
  const { answer } = run;
  const primary = answer.tables[0];
  const rows = primary?.rows.length ?? 0;
  return (
    <section aria-label="Query results" className={styles.main}>
      <div className={styles.summary} role="status">
        <Text weight="semibold">{rows.toLocaleString('en-US')} {rows === 1 ? 'row' : 'rows'}</Text>
        <Text>{run.seconds.toFixed(2)} s{answer.executionTime !== undefined ? ` (server ${answer.executionTime.toFixed(3)} s)` : ''}</Text>
        <Badge appearance="outline">{run.rangeLabel}</Badge>
        <Text className={styles.hint}>{run.workspace}</Text>
        {answer.render !== undefined ? (
          <>
            <span className={styles.spacer} />
            <TabList selectedValue={view} onTabSelect={(_e, d) => onView(d.value as 'results' | 'chart')} size="small" aria-label="Show as">
              <Tab value="results">Results</Tab>
              <Tab value="chart">Chart</Tab>
            </TabList>
          </>
        ) : null}
      </div>
      {answer.partialError !== undefined ? (
        <MessageBar intent="warning" layout="multiline"><MessageBarBody><MessageBarTitle>Partial results</MessageBarTitle>{answer.partialError}</MessageBarBody></MessageBar>
      ) : null}
      {primary === undefined ? <Text>The query returned no table.</Text>
        : view === 'chart' && answer.render !== undefined ? <Suspense fallback={<Spinner size="small" label="Loading the chart…" />}><ResultsChart table={primary} render={answer.render} /></Suspense>
          : rows === 0 ? <Text>No results in {run.rangeLabel === 'Set in query' ? 'the time the query sets' : `the ${run.rangeLabel.toLowerCase()}`}. Try a longer time range.</Text>
            : <ResultsGrid key={`${run.seconds} ${rows}`} table={primary} label="Results" />}
    </section>
  );
}
