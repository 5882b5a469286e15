// The Overview page's figures, each from the real data through the Log Analytics query API
// (POST /v1/workspaces/{id}/query, the portal's ARM token is accepted there) over one workspace
// or across the selection (the `workspaces` body parameter), and the incident queue for the most
// recent incidents. Every time window is the server's: queries use now() and ISO durations, so a
// browser whose clock is off still sees the right periods.
import { armRequest } from './arm-client.ts';
import type { Incident } from './incidents.ts';
import type { SentinelWorkspace } from './workspaces.ts';

/** The query API reads a home workspace plus at most 100 more (`workspaces`); larger scopes go in several queries. */
const WORKSPACES_PER_QUERY = 100;

export interface TimeRange {
  key: '24h' | '7d' | '30d';
  label: string;
  /** KQL timespan literals of the period and of one point of the chart. */
  period: string;
  step: string;
  periodMs: number;
  stepMs: number;
  /** ISO 8601 duration of two periods (this one and the one before), the queries' timespan. */
  twoPeriods: string;
}

export const TIME_RANGES: readonly TimeRange[] = [
  { key: '24h', label: 'Last 24 hours', period: '24h', step: '1h', periodMs: 86_400_000, stepMs: 3_600_000, twoPeriods: 'P2D' },
  { key: '7d', label: 'Last 7 days', period: '7d', step: '6h', periodMs: 7 * 86_400_000, stepMs: 6 * 3_600_000, twoPeriods: 'P14D' },
  { key: '30d', label: 'Last 30 days', period: '30d', step: '1d', periodMs: 30 * 86_400_000, stepMs: 86_400_000, twoPeriods: 'P60D' },
];

/**
 * Sentinel's own records rather than data arriving from sources: read through `union *` but not
 * counted as events (SecurityAlert is counted as alerts).
 */
const NOT_SOURCES = ['SecurityIncident', 'Usage', 'SentinelHealth', 'Watchlist'];
const notSources = NOT_SOURCES.map((t) => `'${t}'`).join(', ');

interface QueryAnswer { tables: { name: string; columns: { name: string; type: string }[]; rows: unknown[][] }[] }
type Row = Record<string, unknown>;

/** One query over the workspaces (in groups the API takes), the rows of each as objects. */
async function queryAll(workspaces: readonly SentinelWorkspace[], query: string, timespan: string): Promise<Row[]> {
  const groups: SentinelWorkspace[][] = [];
  for (let i = 0; i < workspaces.length; i += WORKSPACES_PER_QUERY) groups.push(workspaces.slice(i, i + WORKSPACES_PER_QUERY));
  const answers = await Promise.all(groups.map((group) => {
    const [home, ...more] = group;
    const body = { query, timespan, ...(more.length > 0 ? { workspaces: more.map((w) => w.customerId) } : {}) };
    return armRequest<QueryAnswer>('POST', `/v1/workspaces/${encodeURIComponent(home!.customerId)}/query`, body);
  }));
  return answers.flatMap((answer) => {
    const table = answer.tables[0];
    if (table === undefined) return [];
    return table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c.name, r[i]])));
  });
}

// --- events, alerts and data sources ---

export interface SeriesPoint { time: Date; current: number; previous: number }
export interface SourceVolume {
  workspaceId: string;
  table: string;
  events: number;
  previousEvents: number;
  /** _BilledSize summed, in bytes. */
  bytes: number;
  lastEvent: string | undefined;
}
export interface Activity {
  events: SeriesPoint[];
  alerts: SeriesPoint[];
  totals: { events: number; previousEvents: number; alerts: number; previousAlerts: number };
  sources: SourceVolume[];
}

/**
 * Rows per workspace, table and point of the chart over two periods (this one and the one before),
 * counted by TimeGenerated: point i covers [start + i*step, start + (i+1)*step).
 */
export function activityQuery(range: TimeRange): string {
  return [
    `let P = ${range.period}; let step = ${range.step}; let end = now(); let start = end - 2 * P;`,
    'union withsource=Table *',
    `| where TimeGenerated > start and TimeGenerated <= end and Table !in (${notSources})`,
    `| summarize Rows = count(), Bytes = sum(_BilledSize), Last = max(TimeGenerated) by Workspace = TenantId, Table, Index = toint(floor((TimeGenerated - start) / step, 1))`,
    `| extend Start = start`,
  ].join('\n');
}

export async function loadActivity(workspaces: readonly SentinelWorkspace[], range: TimeRange): Promise<Activity> {
  const rows = await queryAll(workspaces, activityQuery(range), range.twoPeriods);
  const points = Math.round(range.periodMs / range.stepMs);
  const start = rows.length > 0 ? Date.parse(String(rows[0]!.Start)) : undefined;
  const series = () => Array.from({ length: points }, () => ({ current: 0, previous: 0 }));
  const events = series();
  const alerts = series();
  const totals = { events: 0, previousEvents: 0, alerts: 0, previousAlerts: 0 };
  const sources = new Map<string, SourceVolume>();
  for (const r of rows) {
    const index = Number(r.Index);
    if (!Number.isInteger(index) || index < 0 || index >= 2 * points) continue;
    const current = index >= points;
    const count = Number(r.Rows);
    const table = String(r.Table);
    const alert = table === 'SecurityAlert';
    const point = (alert ? alerts : events)[current ? index - points : index]!;
    if (current) point.current += count; else point.previous += count;
    if (alert) { if (current) totals.alerts += count; else totals.previousAlerts += count; continue; }
    if (current) totals.events += count; else totals.previousEvents += count;
    const key = `${String(r.Workspace)}/${table}`;
    const source = sources.get(key) ?? { workspaceId: String(r.Workspace), table, events: 0, previousEvents: 0, bytes: 0, lastEvent: undefined };
    if (current) { source.events += count; source.bytes += Number(r.Bytes); } else source.previousEvents += count;
    const last = String(r.Last);
    if (source.lastEvent === undefined || last > source.lastEvent) source.lastEvent = last;
    sources.set(key, source);
  }
  // Point times: the current period's; the previous period's point i is one period earlier.
  const base = start ?? Date.now() - 2 * range.periodMs;
  const at = (i: number) => new Date(base + range.periodMs + i * range.stepMs);
  return {
    events: events.map((p, i) => ({ time: at(i), ...p })),
    alerts: alerts.map((p, i) => ({ time: at(i), ...p })),
    totals,
    sources: [...sources.values()].sort((a, b) => b.events - a.events || b.previousEvents - a.previousEvents || a.table.localeCompare(b.table)),
  };
}

// --- incidents by status and severity ---

export interface IncidentCounts {
  /** Incidents created in this period, by their current status and severity: counts[status][severity]. */
  counts: Record<string, Record<string, number>>;
  total: number;
  previousTotal: number;
}

/** The latest row of each incident of SecurityIncident (one per change, as Sentinel writes it) created in the two periods. */
export function incidentCountsQuery(range: TimeRange): string {
  return [
    `let P = ${range.period}; let end = now();`,
    'SecurityIncident',
    '| where CreatedTime > end - 2 * P',
    '| summarize arg_max(TimeGenerated, Status, Severity, CreatedTime) by Workspace = TenantId, IncidentName',
    '| summarize Incidents = count() by Current = CreatedTime > end - P, Status, Severity',
  ].join('\n');
}

export async function loadIncidentCounts(workspaces: readonly SentinelWorkspace[], range: TimeRange): Promise<IncidentCounts> {
  const rows = await queryAll(workspaces, incidentCountsQuery(range), range.twoPeriods);
  const out: IncidentCounts = { counts: {}, total: 0, previousTotal: 0 };
  for (const r of rows) {
    const n = Number(r.Incidents);
    if (r.Current === true) {
      const byStatus = (out.counts[String(r.Status)] ??= {});
      byStatus[String(r.Severity)] = (byStatus[String(r.Severity)] ?? 0) + n;
      out.total += n;
    } else {
      out.previousTotal += n;
    }
  }
  return out;
}

// --- recent incidents ---

export const RECENT_INCIDENTS = 8;

/** The newest incidents: the multi-workspace queue over the selection, or one workspace's incidents list. */
export async function loadRecentIncidents(workspace: SentinelWorkspace | undefined): Promise<Incident[]> {
  const order = `$orderby=${encodeURIComponent('properties/createdTimeUtc desc')}&$top=${RECENT_INCIDENTS}`;
  const path = workspace === undefined
    ? `/providers/Vigil.SecurityInsights/incidents?api-version=2025-01-01&${order}`
    : `${workspace.id}/providers/Microsoft.SecurityInsights/incidents?api-version=2025-09-01&${order}`;
  const page = await armRequest<{ value: Incident[] }>('GET', path);
  return page.value.slice(0, RECENT_INCIDENTS);
}

// --- anomalies in data arrival ---

export type AnomalyKind = 'Stopped' | 'Spike' | 'Drop';
export interface Anomaly {
  workspaceId: string;
  table: string;
  kind: AnomalyKind;
  /** Rows in the last hour. */
  lastHour: number;
  /** Mean and standard deviation of the rows per hour in the 168 hours before (hours without data count as 0). */
  mean: number;
  stdev: number;
  /** Hours of those 168 that had data. */
  hoursWithData: number;
  lastEvent: string;
}

/** The rules (the page and docs/portal/overview.md explain them). */
export const ANOMALY_RULES = {
  baselineHours: 168,
  /** A table that sent data in at least this many of the baseline hours sends regularly. */
  regularHours: 152,
  /** A table needs data in at least this many baseline hours for a spike to be judged. */
  minimumHours: 24,
  deviations: 3,
} as const;

/**
 * Per workspace and table, the rows of the last hour against the 168 hours before, counted by
 * TimeGenerated; the query keeps the tables whose last hour is an anomaly.
 */
export function anomalyQuery(): string {
  const { baselineHours: H, regularHours, minimumHours, deviations: k } = ANOMALY_RULES;
  return [
    `let end = now(); let recent = end - 1h; let baseline = recent - ${H}h;`,
    'union withsource=Table *',
    `| where TimeGenerated > baseline and TimeGenerated <= end and Table !in (${notSources}, 'SecurityAlert')`,
    '| summarize Rows = count(), Last = max(TimeGenerated) by Workspace = TenantId, Table, Hour = bin_at(TimeGenerated, 1h, baseline)',
    '| summarize LastHour = sumif(Rows, Hour >= recent), HoursWithData = countif(Hour < recent), BaselineRows = sumif(Rows, Hour < recent),',
    '    BaselineSquares = sumif(Rows * Rows, Hour < recent), LastEvent = max(Last) by Workspace, Table',
    `| extend Mean = todouble(BaselineRows) / ${H}`,
    `| extend Stdev = sqrt(max_of(todouble(BaselineSquares) / ${H} - Mean * Mean, 0.0))`,
    '| extend Kind = case(',
    `    LastHour == 0 and HoursWithData >= ${regularHours}, 'Stopped',`,
    `    HoursWithData >= ${minimumHours} and LastHour > Mean + ${k} * Stdev and LastHour > 2 * Mean, 'Spike',`,
    `    LastHour > 0 and HoursWithData >= ${regularHours} and LastHour < Mean - ${k} * Stdev and LastHour < Mean / 2, 'Drop',`,
    "    '')",
    "| where Kind != ''",
    '| project Workspace, Table, Kind, LastHour, Mean, Stdev, HoursWithData, LastEvent',
  ].join('\n');
}

export async function loadAnomalies(workspaces: readonly SentinelWorkspace[]): Promise<Anomaly[]> {
  const rows = await queryAll(workspaces, anomalyQuery(), `PT${ANOMALY_RULES.baselineHours + 2}H`);
  const anomalies = rows.map((r): Anomaly => ({
    workspaceId: String(r.Workspace), table: String(r.Table), kind: r.Kind as AnomalyKind, lastHour: Number(r.LastHour),
    mean: Number(r.Mean), stdev: Number(r.Stdev), hoursWithData: Number(r.HoursWithData), lastEvent: String(r.LastEvent),
  }));
  anomalies.sort((a, b) => a.kind.localeCompare(b.kind) || a.table.localeCompare(b.table));
  return anomalies;
}
