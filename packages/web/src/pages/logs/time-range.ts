// The time range picker's choices, as the query API's `timespan` (ISO 8601: a duration ending
// now, or start/end). "Set in query" sends none: the query's own filters on TimeGenerated decide.
export type TimeRangeKey = 'PT30M' | 'PT1H' | 'PT4H' | 'P1D' | 'P2D' | 'P7D' | 'P30D' | 'custom' | 'query';

export const TIME_RANGES: { key: TimeRangeKey; label: string }[] = [
  { key: 'PT30M', label: 'Last 30 minutes' },
  { key: 'PT1H', label: 'Last hour' },
  { key: 'PT4H', label: 'Last 4 hours' },
  { key: 'P1D', label: 'Last 24 hours' },
  { key: 'P2D', label: 'Last 48 hours' },
  { key: 'P7D', label: 'Last 7 days' },
  { key: 'P30D', label: 'Last 30 days' },
  { key: 'custom', label: 'Custom' },
  { key: 'query', label: 'Set in query' },
];

export interface TimeRange { key: TimeRangeKey; start?: string; end?: string }

/** Local date-time input values (YYYY-MM-DDTHH:MM) are taken as UTC, as the page labels them. */
const utc = (local: string) => new Date(`${local}:00Z`);

/** The timespan to send, or an error saying what to fix. */
export function timespanOf(range: TimeRange): { timespan?: string; error?: string } {
  if (range.key === 'query') return {};
  if (range.key !== 'custom') return { timespan: range.key };
  if (range.start === undefined || range.start === '' || range.end === undefined || range.end === '') {
    return { error: 'A custom time range needs a start and an end (UTC).' };
  }
  const start = utc(range.start);
  const end = utc(range.end);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return { error: 'The custom time range is not a valid date and time.' };
  if (start >= end) return { error: 'The custom time range must start before it ends.' };
  return { timespan: `${start.toISOString()}/${end.toISOString()}` };
}

export function labelOf(range: TimeRange): string {
  if (range.key === 'custom') return `${range.start ?? '?'} to ${range.end ?? '?'} UTC`;
  return TIME_RANGES.find((r) => r.key === range.key)?.label ?? range.key;
}

/** Whether the query filters TimeGenerated itself (then Log Analytics' picker says "Set in query"). */
export function queryFiltersTime(query: string): boolean {
  return /\bwhere\b[^|]*\bTimeGenerated\b/i.test(query.replace(/\/\/[^\n]*/g, ''));
}
