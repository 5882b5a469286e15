// "Test with current data": the rule as it stands in the wizard (saved or not) run over the
// windows of the last 1-14 days by the server (testAlertRule), nothing raised; the alerts each
// window would have raised, as a small chart and a table of the windows that would have alerted.
import { useState } from 'react';
import {
  Button, Field, Select, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens,
} from '@fluentui/react-components';
import { BeakerRegular } from '@fluentui/react-icons';
import { testRule, type RuleTestResult } from '../../api/analytics.ts';
import type { SentinelWorkspace } from '../../api/workspaces.ts';
import { ErrorMessage } from '../../shell/ErrorMessage.tsx';
import { formatTime } from '../format.ts';
import { propertiesOf, type RuleDraft } from './rule-draft.ts';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalM, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap' },
  chart: { width: '100%', height: '120px', display: 'block' },
  table: { tableLayout: 'auto' },
  secondary: { color: tokens.colorNeutralForeground3 },
});

/** Windows listed in the table (those with alerts, newest first). */
const LISTED = 50;

export function TestPanel({ workspace, draft, allowed }: { workspace: SentinelWorkspace; draft: RuleDraft; allowed: boolean }) {
  const styles = useStyles();
  const [days, setDays] = useState('1');
  const [state, setState] = useState<{ status: 'idle' } | { status: 'running' } | { status: 'failed'; error: unknown } | { status: 'done'; result: RuleTestResult }>({ status: 'idle' });

  const run = async () => {
    setState({ status: 'running' });
    try {
      setState({ status: 'done', result: await testRule(workspace.id, draft.kind, propertiesOf(draft), Number(days)) });
    } catch (error) {
      setState({ status: 'failed', error });
    }
  };

  return (
    <section className={styles.panel} aria-label="Test with current data">
      <Text as="h3" weight="semibold" size={400}>Results simulation</Text>
      <Text className={styles.secondary}>
        Runs the rule as it is set here over {workspace.name}&apos;s data of the last days, window by window as the scheduler would, and counts the
        alerts each window would have raised. Nothing is raised or saved.
      </Text>
      <div className={styles.row}>
        <Field label="Over the last">
          <Select value={days} onChange={(_e, d) => setDays(d.value)}>
            {Array.from({ length: 14 }, (_x, i) => String(i + 1)).map((d) => <option key={d} value={d}>{d === '1' ? '1 day' : `${d} days`}</option>)}
          </Select>
        </Field>
        <Button icon={<BeakerRegular />} disabled={!allowed || state.status === 'running'} onClick={() => { void run(); }}>Test with current data</Button>
      </div>
      {!allowed ? <Text>Your roles on {workspace.name} do not allow querying its logs (Microsoft.OperationalInsights/workspaces/query/read), which the test does.</Text> : null}
      {state.status === 'running' ? <Spinner size="small" label="Running the rule over each window…" /> : null}
      {state.status === 'failed' ? <ErrorMessage title="The rule could not be tested" error={state.error} /> : null}
      {state.status === 'done' ? <TestResult result={state.result} /> : null}
    </section>
  );
}

function TestResult({ result }: { result: RuleTestResult }) {
  const styles = useStyles();
  const windows = result.windows;
  const max = Math.max(1, ...windows.map((w) => w.alerts));
  const alerting = windows.filter((w) => w.alerts > 0).reverse();
  const summary = `${result.totalAlerts} alert${result.totalAlerts === 1 ? '' : 's'} in ${result.windowsWithAlerts} of ${windows.length} window${windows.length === 1 ? '' : 's'} over the last ${result.days} day${result.days === 1 ? '' : 's'}${result.truncated ? ' (the oldest windows were not tested)' : ''}.`;
  const width = 1000;
  const barWidth = width / Math.max(1, windows.length);
  return (
    <>
      <Text weight="semibold" role="status">{summary}</Text>
      {windows.length > 0 ? (
        <svg className={styles.chart} viewBox={`0 0 ${width} 100`} preserveAspectRatio="none" role="img"
          aria-label={`Alerts per window, oldest to newest: ${summary}`}>
          <line x1="0" y1="99.5" x2={width} y2="99.5" stroke={tokens.colorNeutralStroke1} strokeWidth="1" />
          {windows.map((w, i) => (w.alerts > 0 ? (
            <rect key={w.end} x={i * barWidth} y={100 - (w.alerts / max) * 96} width={Math.max(barWidth * 0.8, 1.5)} height={(w.alerts / max) * 96} fill={tokens.colorBrandBackground}>
              <title>{`${formatTime(w.start)} – ${formatTime(w.end)}: ${w.alerts} alert${w.alerts === 1 ? '' : 's'}`}</title>
            </rect>
          ) : null))}
        </svg>
      ) : null}
      {alerting.length > 0 ? (
        <Table className={styles.table} aria-label="Windows that would have raised alerts" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Window start</TableHeaderCell>
              <TableHeaderCell>Window end</TableHeaderCell>
              <TableHeaderCell>Rows</TableHeaderCell>
              <TableHeaderCell>Alerts</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {alerting.slice(0, LISTED).map((w) => (
              <TableRow key={w.end}>
                <TableCell>{formatTime(w.start)}</TableCell>
                <TableCell>{formatTime(w.end)}</TableCell>
                <TableCell>{w.rows}</TableCell>
                <TableCell>{w.alerts}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
      {alerting.length > LISTED ? <Text className={styles.secondary}>The {LISTED} newest of {alerting.length} windows with alerts are listed.</Text> : null}
    </>
  );
}
