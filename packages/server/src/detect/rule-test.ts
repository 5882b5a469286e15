// "Test with current data": a rule's settings run over the windows of the last N days as the
// scheduler would have run them, counting the alerts each would have raised; nothing is raised
// or recorded. Scheduled rules: their own windows (ending every frequency, lookback as set), up
// to MAX_TEST_WINDOWS of them, newest first. NRT rules run on every arrival; here they are
// tested over one-hour windows of ingestion time (the same rows, so AlertPerResult counts are
// what the rule raises; SingleAlert counts are one per hour instead of one per run).
import type { Services } from '../services.ts';
import type { Caller } from '../access/caller.ts';
import type { Workspace } from '../control/workspaces.ts';
import { ApiError } from '../errors.ts';
import { HOUR, DAY } from './durations.ts';
import { ruleWindows, type RuleDefinition } from './rule-model.ts';
import { evaluateDefinition } from './rule-run.ts';
import { scheduledDelayMs, type Window } from './windows.ts';

export const MAX_TEST_DAYS = 14;
export const MAX_TEST_WINDOWS = 2000;

export interface RuleTestResult {
  days: number;
  windows: { start: string; end: string; rows: number; alerts: number }[];
  totalAlerts: number;
  /** Windows with at least one alert. */
  windowsWithAlerts: number;
  /** Set when the period held more windows than were tested (the oldest were left out). */
  truncated: boolean;
}

export async function testRule(services: Services, caller: Caller, workspace: Workspace, definition: RuleDefinition, days: number): Promise<RuleTestResult> {
  if (!Number.isInteger(days) || days < 1 || days > MAX_TEST_DAYS) {
    throw new ApiError('InvalidParameter', `days must be a whole number from 1 to ${MAX_TEST_DAYS}; got ${days}.`, { target: 'days' });
  }
  const now = services.now().getTime();
  const { frequencyMs, periodMs } = definition.kind === 'NRT' ? { frequencyMs: HOUR, periodMs: HOUR } : ruleWindows(definition);
  // The newest window the scheduler would have run by now: ends on a whole minute, delay old.
  const newestEnd = Math.floor((now - (definition.kind === 'NRT' ? 0 : scheduledDelayMs(services.config))) / 60_000) * 60_000;
  const windows: Window[] = [];
  for (let end = newestEnd; end > newestEnd - days * DAY && windows.length < MAX_TEST_WINDOWS; end -= frequencyMs) {
    windows.push({ start: new Date(end - periodMs), end: new Date(end) });
  }
  const truncated = newestEnd - days * DAY < (windows.at(-1)?.end.getTime() ?? newestEnd) - frequencyMs;
  const out: RuleTestResult['windows'] = [];
  for (const w of windows.reverse()) {
    const r = await evaluateDefinition(services, caller, definition, workspace, w);
    out.push({ start: w.start.toISOString(), end: w.end.toISOString(), rows: r.rows, alerts: r.alerts.length });
  }
  return {
    days,
    windows: out,
    totalAlerts: out.reduce((n, w) => n + w.alerts, 0),
    windowsWithAlerts: out.filter((w) => w.alerts > 0).length,
    truncated,
  };
}
