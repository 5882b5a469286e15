// The Overview's panels. Each loads on its own (a failing one shows the API's message with Try
// again, the others stay): events and alerts over time with the data sources, incidents by status
// and severity, the newest incidents, and anomalies in data arrival.
import {
  Badge, MessageBar, MessageBarBody, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, mergeClasses,
} from '@fluentui/react-components';
import {
  ANOMALY_RULES, loadActivity, loadAnomalies, loadIncidentCounts, loadRecentIncidents,
  type Activity, type Anomaly, type TimeRange,
} from '../../api/overview.ts';
import { SEVERITIES, STATUSES } from '../../api/incidents.ts';
import type { SentinelWorkspace } from '../../api/workspaces.ts';
import { Link } from '../../routing.tsx';
import type { Loaded } from '../use-load.ts';
import { SeverityBadge, StatusBadge } from '../incident-badges.tsx';
import { formatTime } from '../format.ts';
import { Figure, Panel, changeText, formatBytes, formatNumber, useFreshLoad, usePanelStyles } from './parts.tsx';
import { TrendChart } from './TrendChart.tsx';

export interface Scope {
  /** The workspaces read: one, or every one of the selection. */
  workspaces: SentinelWorkspace[];
  /** The one workspace chosen, or undefined for all of the selection. */
  single: SentinelWorkspace | undefined;
  /** Changes when the scope does (workspaces, range), so that each panel loads again. */
  key: string;
}

const nameOf = (scope: Scope, customerId: string) => {
  const w = scope.workspaces.find((x) => x.customerId.toLowerCase() === customerId.toLowerCase());
  return w === undefined ? customerId : w.name;
};
const directoryOf = (scope: Scope, customerId: string) =>
  scope.workspaces.find((x) => x.customerId.toLowerCase() === customerId.toLowerCase())?.directoryName ?? '';

/** Events, alerts and data sources come from one query: loaded once for both panels. */
export function useActivity(scope: Scope, range: TimeRange) {
  return useFreshLoad(() => loadActivity(scope.workspaces, range), `${scope.key} ${range.key}`);
}

export function EventsPanel({ activity, retry, range }: { activity: Loaded<Activity>; retry: () => void; range: TimeRange }) {
  return (
    <Panel id="overview-events" title="Events and alerts over time" state={activity} retry={retry}
      failure="Events and alerts could not be counted" loading="Counting events and alerts…">
      {(a) => <EventsAndAlerts activity={a} range={range} />}
    </Panel>
  );
}

export function SourcesPanel({ activity, retry, range, scope }: { activity: Loaded<Activity>; retry: () => void; range: TimeRange; scope: Scope }) {
  return (
    <Panel id="overview-sources" title="Data sources and their volumes" state={activity} retry={retry}
      failure="The data sources could not be counted" loading="Counting events per table…">
      {(a) => <Sources activity={a} range={range} scope={scope} />}
    </Panel>
  );
}

function EventsAndAlerts({ activity, range }: { activity: Activity; range: TimeRange }) {
  const styles = usePanelStyles();
  const { totals } = activity;
  const period = range.label.toLowerCase();
  return (
    <>
      <div className={styles.figures}>
        <Figure label={`Events, ${period}`} current={totals.events} previous={totals.previousEvents} />
        <Figure label={`Alerts, ${period}`} current={totals.alerts} previous={totals.previousAlerts} />
      </div>
      <Text className={styles.secondary}>
        Rows of every data table by TimeGenerated (alerts are the SecurityAlert table), against the {range.period === '24h' ? '24 hours' : range.label.replace('Last ', '')} before, drawn dashed over the same times.
      </Text>
      <div className={styles.pair}>
        <div className={styles.cell}>
          <TrendChart what="Events" points={activity.events} range={range}
            summary={`${formatNumber(totals.events)} events, ${changeText(totals.events, totals.previousEvents)}`} />
        </div>
        <div className={styles.cell}>
          <TrendChart what="Alerts" points={activity.alerts} range={range}
            summary={`${formatNumber(totals.alerts)} alerts, ${changeText(totals.alerts, totals.previousAlerts)}`} />
        </div>
      </div>
    </>
  );
}

function Sources({ activity, range, scope }: { activity: Activity; range: TimeRange; scope: Scope }) {
  const styles = usePanelStyles();
  const many = scope.single === undefined;
  return (
    <>
      <Text className={styles.secondary}>
        Each table that received events in the last two periods, with its events and billed size ({range.label.toLowerCase()}) and its latest event.
        Every table of the workspace is read (<code>union *</code>), from its first row.
      </Text>
      {activity.sources.length === 0 ? (
        <MessageBar intent="info"><MessageBarBody>No table received events in the last two periods.</MessageBarBody></MessageBar>
      ) : (
        <Table size="small" className={styles.table} aria-label="Data sources">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Table</TableHeaderCell>
              {many ? <TableHeaderCell>Workspace</TableHeaderCell> : null}
              <TableHeaderCell className={styles.numeric}>Events</TableHeaderCell>
              <TableHeaderCell>Change</TableHeaderCell>
              <TableHeaderCell className={styles.numeric}>Size</TableHeaderCell>
              <TableHeaderCell>Latest event</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {activity.sources.map((s) => (
              <TableRow key={`${s.workspaceId}/${s.table}`}>
                <TableCell>{s.table}</TableCell>
                {many ? <TableCell>{nameOf(scope, s.workspaceId)} <Text className={styles.secondary}>({directoryOf(scope, s.workspaceId)})</Text></TableCell> : null}
                <TableCell className={styles.numeric}>{formatNumber(s.events)}</TableCell>
                <TableCell>{changeText(s.events, s.previousEvents)}</TableCell>
                <TableCell className={styles.numeric}>{formatBytes(s.bytes)}</TableCell>
                <TableCell>{formatTime(s.lastEvent)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}

export function IncidentCountsPanel({ scope, range }: { scope: Scope; range: TimeRange }) {
  const styles = usePanelStyles();
  const [counts, retry] = useFreshLoad(() => loadIncidentCounts(scope.workspaces, range), `${scope.key} ${range.key}`);
  const period = range.label.toLowerCase();
  return (
    <Panel id="overview-incident-counts" title="Incidents by status and severity" state={counts} retry={retry}
      failure="Incidents could not be counted" loading="Counting incidents…">
      {(c) => (
        <>
          <div className={styles.figures}>
            <Figure label={`Incidents created, ${period}`} current={c.total} previous={c.previousTotal} />
          </div>
          <Table size="small" className={mergeClasses(styles.table, styles.fitted)} aria-label={`Incidents created, ${period}, by status and severity`}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Status</TableHeaderCell>
                {SEVERITIES.map((s) => <TableHeaderCell key={s}>{s}</TableHeaderCell>)}
                <TableHeaderCell>Total</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {STATUSES.map((status) => {
                const row = c.counts[status] ?? {};
                return (
                  <TableRow key={status}>
                    <TableCell><StatusBadge status={status} /></TableCell>
                    {SEVERITIES.map((s) => <TableCell key={s} className={styles.count}>{formatNumber(row[s] ?? 0)}</TableCell>)}
                    <TableCell className={styles.count}>{formatNumber(Object.values(row).reduce((a, b) => a + b, 0))}</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          <Text className={styles.secondary}>Incidents created in the period, by their status and severity now (the latest row of each in SecurityIncident).</Text>
        </>
      )}
    </Panel>
  );
}

export function RecentIncidentsPanel({ scope }: { scope: Scope }) {
  const styles = usePanelStyles();
  const [recent, retry] = useFreshLoad(() => loadRecentIncidents(scope.single), scope.key);
  return (
    <Panel id="overview-recent" title="Recent incidents" state={recent} retry={retry}
      failure="The recent incidents could not be listed" loading="Loading recent incidents…">
      {(incidents) => incidents.length === 0 ? (
        <MessageBar intent="info"><MessageBarBody>No incidents yet.</MessageBarBody></MessageBar>
      ) : (
        <>
          <Table size="small" className={mergeClasses(styles.table, styles.fitted)} aria-label="Recent incidents">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Severity</TableHeaderCell>
                <TableHeaderCell>Title</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                {scope.single === undefined ? <TableHeaderCell>Workspace</TableHeaderCell> : null}
                <TableHeaderCell>Created</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {incidents.map((i) => (
                <TableRow key={i.id}>
                  <TableCell><SeverityBadge severity={i.properties.severity} /></TableCell>
                  <TableCell><Link href={`/incidents${i.id}`}>{i.properties.title}</Link></TableCell>
                  <TableCell><StatusBadge status={i.properties.status} /></TableCell>
                  {scope.single === undefined ? <TableCell>{i.properties.workspace?.name} <Text className={styles.secondary}>({i.properties.workspace?.directoryName})</Text></TableCell> : null}
                  <TableCell>{formatTime(i.properties.createdTimeUtc)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Link href="/incidents">All incidents</Link>
        </>
      )}
    </Panel>
  );
}

const KIND_TEXT: Record<Anomaly['kind'], { badge: 'danger' | 'warning' | 'informative'; label: string }> = {
  Stopped: { badge: 'danger', label: 'Stopped' },
  Spike: { badge: 'warning', label: 'Far above usual' },
  Drop: { badge: 'informative', label: 'Far below usual' },
};

export function AnomaliesPanel({ scope }: { scope: Scope }) {
  const styles = usePanelStyles();
  const [anomalies, retry] = useFreshLoad(() => loadAnomalies(scope.workspaces), scope.key);
  const { regularHours, minimumHours, deviations, baselineHours } = ANOMALY_RULES;
  return (
    <Panel id="overview-anomalies" title="Anomalies in data arrival" state={anomalies} retry={retry}
      failure="Data arrival could not be checked" loading="Checking data arrival…">
      {(list) => (
        <>
          <Text className={styles.secondary}>
            Each table&apos;s rows in the last hour against its hourly rows in the {baselineHours} hours before (hours without data count as none):{' '}
            <strong>stopped</strong> when a table that sent data in at least {regularHours} of those hours sent nothing in the last hour;{' '}
            <strong>far above usual</strong> when the last hour is more than {deviations} standard deviations and twice above its hourly mean (judged once the table sent data in {minimumHours} hours);{' '}
            <strong>far below usual</strong> when a regular table&apos;s last hour is more than {deviations} standard deviations and half below its mean.
          </Text>
          {list.length === 0 ? (
            <MessageBar intent="success"><MessageBarBody>No anomalies: every table&apos;s last hour is in line with its previous week.</MessageBarBody></MessageBar>
          ) : (
            <Table size="small" className={styles.table} aria-label="Anomalies in data arrival">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Table</TableHeaderCell>
                  {scope.single === undefined ? <TableHeaderCell>Workspace</TableHeaderCell> : null}
                  <TableHeaderCell>Anomaly</TableHeaderCell>
                  <TableHeaderCell className={styles.numeric}>Last hour</TableHeaderCell>
                  <TableHeaderCell className={styles.numeric}>Usual per hour</TableHeaderCell>
                  <TableHeaderCell>Latest event</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {list.map((a) => (
                  <TableRow key={`${a.workspaceId}/${a.table}`}>
                    <TableCell>{a.table}</TableCell>
                    {scope.single === undefined ? <TableCell>{nameOf(scope, a.workspaceId)} <Text className={styles.secondary}>({directoryOf(scope, a.workspaceId)})</Text></TableCell> : null}
                    <TableCell><Badge appearance="tint" color={KIND_TEXT[a.kind].badge}>{KIND_TEXT[a.kind].label}</Badge></TableCell>
                    <TableCell className={styles.numeric}>{formatNumber(a.lastHour)}</TableCell>
                    <TableCell className={styles.numeric}>{a.mean.toLocaleString(undefined, { maximumFractionDigits: 1 })} ± {a.stdev.toLocaleString(undefined, { maximumFractionDigits: 1 })}</TableCell>
                    <TableCell>{formatTime(a.lastEvent)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </>
      )}
    </Panel>
  );
}
